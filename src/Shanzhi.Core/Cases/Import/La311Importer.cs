using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Geography;
using Shanzhi.Import;
using Shanzhi.Storage;

namespace Shanzhi.Cases.Import;

/// <summary>
/// Imports MyLA311 service requests (the City of Los Angeles 311 export, 33 columns) as closed-loop
/// cases with replayed events. Valid rows load and invalid rows are reported with their row number,
/// or nothing loads when the import is atomic. A request whose SR number was imported before is
/// skipped, so importing a file twice changes nothing. Requests outside every configured grid go
/// to the external region, never dropped. A row with more fields than the header is rejected
/// alone (<c>import.extra_fields</c>), while header columns the importer does not read are
/// accepted, as the export's columns are the source city's to change.
/// </summary>
public sealed partial class La311Importer(ShanzhiDbContext db, GridLocator locator, ILogger<La311Importer> logger)
{
    /// <summary>Cases per write: large enough to amortise round trips and commits, small enough to keep memory flat.</summary>
    private const int BatchSize = 1000;

    private static readonly GridLocation ExternalRegion =
        new(Region.ExternalCode, Region.ChildPath("/", Region.ExternalCode), ImportMessages.ExternalRegionName);

    public async Task<CaseImportReport> ImportAsync(Stream csv, La311ImportOptions options, CancellationToken cancellationToken)
    {
        await using var input = CsvImportReader.Open(csv);
        var run = new ImportRun(options.Mapping ?? La311Mapping.Default);
        var columns = await ReadHeaderAsync(input, run.Errors, cancellationToken);
        if (columns is null)
        {
            return run.ToReport(rolledBack: false);
        }

        try
        {
            await using var transaction = options.Atomic ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await EnsureExternalRegionAsync(cancellationToken);
            run.Categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken);

            await ReadRowsAsync(input, columns, run, cancellationToken);

            if (transaction is null)
            {
                LogImported(run.Rows, run.Imported, run.Skipped, run.Errors.Count);
                return run.ToReport(rolledBack: false);
            }

            if (run.Errors.Count > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                LogRolledBack(run.Rows, run.Errors.Count);
                return run.ToReport(rolledBack: true);
            }

            await transaction.CommitAsync(cancellationToken);
            LogImported(run.Rows, run.Imported, run.Skipped, run.Errors.Count);
            return run.ToReport(rolledBack: false);
        }
        finally
        {
            // Units and the external region were tracked while saved; leave the caller's context clean.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>Returns the index of each required column by name, or null after reporting what is missing.</summary>
    private static async Task<Dictionary<string, int>?> ReadHeaderAsync(
        CsvImportReader input, List<ImportRowError> errors, CancellationToken cancellationToken)
    {
        try
        {
            await input.ReadHeaderAsync(cancellationToken);
        }
        catch (CsvInputException e)
        {
            errors.Add(new ImportRowError(e.Line, null, e.UserMessage, e.Code));
            return null;
        }

        var parser = input.Reader;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in La311Request.RequiredColumns)
        {
            if (parser.TryGetFieldIndex(column, out var index))
            {
                columns[column] = index;
            }
            else
            {
                errors.Add(new ImportRowError(1, column, ImportMessages.MissingColumn(column), CsvImportReader.MissingColumnCode));
            }
        }

        return errors.Count == 0 ? columns : null;
    }

    private async Task ReadRowsAsync(CsvImportReader input, Dictionary<string, int> columns, ImportRun run, CancellationToken cancellationToken)
    {
        var batch = new List<La311Request>(BatchSize);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parser = input.Reader;
        string Field(string column) => parser.GetString(columns[column]);
        try
        {
            while (await input.ReadAsync(cancellationToken))
            {
                run.Rows++;

                // Spreadsheet numbering: the header is row 1, so data record n is row n + 1.
                var row = (int)parser.RowNumber + 1;

                // Unknown header columns are accepted (the city, not us, decides the export's
                // columns), so the message lists no expected header.
                if (input.ExtraFieldsMessage(expectedHeader: null) is { } extraFields)
                {
                    run.Errors.Add(new ImportRowError(row, null, extraFields, CsvImportReader.ExtraFieldsCode));
                    continue;
                }

                var request = La311Request.Parse(Field, row, run.Errors);
                if (request is null)
                {
                    continue;
                }

                if (!seen.Add(request.SrNumber))
                {
                    run.Skipped++;
                    continue;
                }

                batch.Add(request);
                if (batch.Count == BatchSize)
                {
                    await SaveBatchAsync(batch, run, cancellationToken);
                    batch.Clear();
                }
            }
        }
        catch (CsvInputException e)
        {
            // The rows before the problem are saved like any others, or rolled back with them when
            // atomic. The error names the line where reading stopped.
            run.Errors.Add(new ImportRowError(e.Line, null, e.UserMessage, e.Code));
        }

        await SaveBatchAsync(batch, run, cancellationToken);
    }

    private async Task SaveBatchAsync(List<La311Request> batch, ImportRun run, CancellationToken cancellationToken)
    {
        var caseNumbers = batch.Select(r => ReplayLa311Request.CaseNo(r.SrNumber)).ToList();
        var existing = (await db.Cases.AsNoTracking()
            .Where(c => caseNumbers.Contains(c.CaseNo))
            .Select(c => c.CaseNo)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);

        var cases = new List<Case>(batch.Count);
        foreach (var request in batch)
        {
            if (existing.Contains(ReplayLa311Request.CaseNo(request.SrNumber)))
            {
                run.Skipped++;
                continue;
            }

            var categoryCode = run.Mapping.CategoryFor(request.RequestType, out var mapped);
            if (!run.Categories.TryGetValue(categoryCode, out var category))
            {
                run.Errors.Add(new ImportRowError(request.Row, La311Request.RequestTypeColumn,
                    ImportMessages.UnknownCategory(categoryCode, request.RequestType), ImportMessages.UnknownCategoryCode));
                continue;
            }

            var unit = request.NeedsAgency ? await UnitOfAsync(request.Owner, run, cancellationToken) : null;
            var replayed = ReplayLa311Request.Replay(request, category, unit, Locate(request));
            if (replayed.Value is not { } @case)
            {
                run.Errors.Add(new ImportRowError(request.Row, null, ImportMessages.ReplayFailed(replayed.Error!.Detail), ImportMessages.ReplayFailedCode));
                continue;
            }

            cases.Add(@case);
            run.CountMapping(request, mapped);
        }

        await WriteAsync(cases, cancellationToken);
        run.Imported += cases.Count;
    }

    /// <summary>Writes new units through EF Core, then the cases and their events in bulk, in one transaction.</summary>
    private async Task WriteAsync(List<Case> cases, CancellationToken cancellationToken)
    {
        await using var transaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken)
            : null;
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await BulkInsert.InsertAsync(db, cases, cancellationToken);
        await BulkInsert.InsertAsync(db, cases.SelectMany(c => c.NewEvents).ToList(), cancellationToken);
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private GridLocation Locate(La311Request request) =>
        request is { Latitude: { } latitude, Longitude: { } longitude }
            ? locator.Locate(latitude, longitude) ?? ExternalRegion
            : ExternalRegion;

    /// <summary>Finds the unit of an agency by its mapped name, creating it in the external region when missing.</summary>
    private async Task<Unit> UnitOfAsync(string agency, ImportRun run, CancellationToken cancellationToken)
    {
        if (run.Units.TryGetValue(agency, out var cached))
        {
            return cached;
        }

        var name = run.Mapping.UnitNameFor(agency);
        var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Name == name, cancellationToken);
        if (unit is null)
        {
            unit = new Unit { Name = name, Kind = UnitKind.Department, RegionCode = Region.ExternalCode };
            db.Units.Add(unit);
            LogUnitCreated(unit.Id, agency);
        }

        run.Units[agency] = unit;
        return unit;
    }

    private async Task EnsureExternalRegionAsync(CancellationToken cancellationToken)
    {
        if (await db.Regions.AnyAsync(r => r.Code == Region.ExternalCode, cancellationToken))
        {
            return;
        }

        db.Regions.Add(new Region
        {
            Code = Region.ExternalCode,
            Level = RegionLevel.External,
            Name = ImportMessages.ExternalRegionName,
            Path = ExternalRegion.RegionPath,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
        Message = "LA 311 import finished: {Rows} rows read, {Imported} cases imported, {Skipped} skipped as already imported, {Errors} errors")]
    private partial void LogImported(int rows, int imported, int skipped, int errors);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Atomic LA 311 import rolled back: {Errors} errors in {Rows} rows; no case was written")]
    private partial void LogRolledBack(int rows, int errors);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information,
        Message = "Created unit {UnitId} in the external region for LA 311 agency {Agency}")]
    private partial void LogUnitCreated(Guid unitId, string agency);

    /// <summary>Counts and caches of one import.</summary>
    private sealed class ImportRun(La311Mapping mapping)
    {
        public La311Mapping Mapping { get; } = mapping;

        public List<ImportRowError> Errors { get; } = [];

        public Dictionary<string, Category> Categories { get; set; } = [];

        public Dictionary<string, Unit> Units { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, int> UnmappedRequestTypes { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int Rows { get; set; }

        public int Imported { get; set; }

        public int Skipped { get; set; }

        public int DateOnlyClosings { get; set; }

        public void CountMapping(La311Request request, bool mapped)
        {
            if (!mapped)
            {
                UnmappedRequestTypes[request.RequestType] = UnmappedRequestTypes.GetValueOrDefault(request.RequestType) + 1;
            }

            if (request.ClosedDateOnly)
            {
                DateOnlyClosings++;
            }
        }

        public CaseImportReport ToReport(bool rolledBack) => new(
            Rows,
            rolledBack ? 0 : Imported,
            Skipped,
            Errors.OrderBy(e => e.Row).ToList(),
            UnmappedRequestTypes,
            DateOnlyClosings,
            rolledBack);
    }
}
