using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Identity;
using Shanzhi.Import;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// A row the import did not load. Never carries a name or an ID number: the row number, the
/// column and the reason are enough to find and fix the row in the file.
/// </summary>
/// <param name="Row">
/// Row number as a spreadsheet shows it: the header is row 1. For <c>import.not_utf8</c> and
/// <c>import.unclosed_quote</c>, the line of the file where reading stopped.
/// </param>
/// <param name="Field">Column at fault, or null when the row or file as a whole failed.</param>
/// <param name="Code">Stable error code (<c>privacy.id_number_invalid</c>, <c>person.duplicate</c> …).</param>
public sealed record PersonImportError(int Row, string? Field, string Code, string Message);

/// <summary>Outcome of a person import.</summary>
/// <param name="Rows">Data rows read, header excluded.</param>
/// <param name="Imported">Persons written.</param>
/// <param name="RolledBack">True when an atomic import found errors and wrote nothing.</param>
/// <param name="FileRejected">
/// True when the header rejected the whole file (empty file, header not UTF-8, a missing or unknown
/// column), so no data row was read.
/// </param>
public sealed record PersonImportReport(int Rows, int Imported, IReadOnlyList<PersonImportError> Errors, bool RolledBack, bool FileRejected = false)
{
    public bool HasErrors => Errors.Count > 0;

    /// <summary>Data rows with at least one error (a row may have several). The errors of a rejected file are on the header, so they count none.</summary>
    public int FailedRows => FileRejected ? 0 : Errors.Select(e => e.Row).Distinct().Count();
}

/// <summary>
/// Bulk import of the population registry from CSV (columns in <see cref="Columns"/>). Each row is
/// checked like a form registration, plus duplicates on the ID-number blind index, both within
/// the file and against the store. Valid rows load in batches; with <c>atomic</c> nothing loads when
/// any row fails. A header column outside <see cref="Columns"/> rejects the whole file, and a row
/// with more fields than the header is rejected alone, as in the passage import.
/// </summary>
public sealed class ImportPersons(ShanzhiDbContext db, PersonIdentity identity, TimeProvider clock, ILogger<ImportPersons> logger, PersonLookup? lookup = null)
{
    /// <summary>Persons per write: large enough to amortise round trips, small enough to keep memory flat.</summary>
    public const int BatchSize = 500;

    public const string InvalidCharactersCode = "import.invalid_characters";

    public const string NameColumn = "name";
    public const string IdNumberColumn = "id_number";
    public const string PhoneColumn = "phone";
    public const string ResidencyColumn = "residency";
    public const string HomeGridColumn = "home_grid";

    /// <summary>Header names each column is recognised by: the English name or the Chinese one a city clerk writes.</summary>
    public static IReadOnlyDictionary<string, string[]> Columns { get; } = new Dictionary<string, string[]>
    {
        [NameColumn] = [NameColumn, "姓名"],
        [IdNumberColumn] = [IdNumberColumn, "身份证号"],
        [PhoneColumn] = [PhoneColumn, "手机号"],
        [ResidencyColumn] = [ResidencyColumn, "人口类别"],
        [HomeGridColumn] = [HomeGridColumn, "居住网格"],
    };

    private static readonly string[] RequiredColumns = [NameColumn, IdNumberColumn, ResidencyColumn];

    private static readonly string ExpectedHeader = string.Join(',', Columns.Keys);

    private sealed record Row(int Number, ValidPerson Person, byte[] Index);

    public async Task<Result<PersonImportReport>> ImportAsync(Stream csv, bool atomic, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        await using var input = CsvImportReader.Open(csv);
        var parser = input.Reader;
        var errors = new List<PersonImportError>();
        var columns = await ReadHeaderAsync(input, errors, cancellationToken);
        if (columns is null)
        {
            return new PersonImportReport(0, 0, errors, RolledBack: false, FileRejected: true);
        }

        var rows = 0;
        var imported = 0;
        try
        {
            await using var transaction = atomic ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var batch = new List<Row>(BatchSize);
            try
            {
                while (await input.ReadAsync(cancellationToken))
                {
                    rows++;
                    var number = (int)parser.RowNumber + 1;
                    if (input.ExtraFieldsMessage(ExpectedHeader) is { } extraFields)
                    {
                        errors.Add(new(number, null, CsvImportReader.ExtraFieldsCode, extraFields));
                        continue;
                    }

                    string? Field(string column) => columns.TryGetValue(column, out var i) ? parser.GetString(i) : null;
                    if (CheckRow(number, Field, user, errors) is not { } row)
                    {
                        continue;
                    }

                    if (!seen.TryAdd(Convert.ToHexString(row.Index), number))
                    {
                        errors.Add(new(number, IdNumberColumn, "person.duplicate_in_file",
                            $"身份证号与第 {seen[Convert.ToHexString(row.Index)]} 行相同，本行未导入。"));
                        continue;
                    }

                    batch.Add(row);
                    if (batch.Count == BatchSize)
                    {
                        imported += await SaveBatchAsync(batch, user, errors, cancellationToken);
                        batch.Clear();
                    }
                }
            }
            catch (CsvInputException e)
            {
                // The rows before the problem are checked and saved like any others, or rolled back
                // with them when atomic. The error names the line where reading stopped.
                errors.Add(new(e.Line, null, e.Code, e.UserMessage));
            }

            imported += await SaveBatchAsync(batch, user, errors, cancellationToken);
            errors.Sort((a, b) => a.Row.CompareTo(b.Row));

            if (transaction is not null && errors.Count > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                var report = new PersonImportReport(rows, 0, errors, RolledBack: true);
                logger.PersonImportRolledBack(rows, report.FailedRows);
                return report;
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        var done = new PersonImportReport(rows, imported, errors, RolledBack: false);
        logger.PersonsImported(rows, imported, done.FailedRows);
        return done;
    }

    private static async Task<Dictionary<string, int>?> ReadHeaderAsync(CsvImportReader input, List<PersonImportError> errors, CancellationToken cancellationToken)
    {
        try
        {
            await input.ReadHeaderAsync(cancellationToken);
        }
        catch (CsvInputException e)
        {
            errors.Add(new(e.Line, null, e.Code, e.UserMessage));
            return null;
        }

        var parser = input.Reader;
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (column, names) in Columns)
        {
            foreach (var name in names)
            {
                if (parser.TryGetFieldIndex(name, out var index))
                {
                    columns[column] = index;
                    break;
                }
            }

            if (!columns.ContainsKey(column) && RequiredColumns.Contains(column))
            {
                errors.Add(new(1, column, CsvImportReader.MissingColumnCode,
                    $"文件缺少必需的列“{column}”（或“{names[1]}”）。首行应为列名：{ExpectedHeader}。"));
            }
        }

        foreach (var (index, name) in input.FindUnknownColumns(Columns.Values.SelectMany(names => names)))
        {
            errors.Add(new(1, null, CsvImportReader.UnknownColumnCode, CsvImportReader.UnknownColumnMessage(index, name, ExpectedHeader)));
        }

        return errors.Count == 0 ? columns : null;
    }

    private Row? CheckRow(int number, Func<string, string?> field, StaffPrincipal user, List<PersonImportError> errors)
    {
        // The same rule as the JSON API: PostgreSQL rejects NUL, and other controls hide content from reviewers.
        var before = errors.Count;
        foreach (var column in Columns.Keys.Where(c => TextRules.HasControlCharacters(field(c))))
        {
            errors.Add(new(number, column, InvalidCharactersCode, $"“{column}”列含有不允许的控制字符（如 \\0），本行未导入。请删除这些字符后重新导入。"));
        }

        if (errors.Count > before)
        {
            return null;
        }

        var residencyText = field(ResidencyColumn);
        var residency = PersonRules.ParseResidency(residencyText);
        var (person, rowErrors) = PersonRules.Check(new RegisterPersonRequest(
            field(NameColumn), field(IdNumberColumn), field(PhoneColumn), residency, field(HomeGridColumn)), ShanghaiTime.Today(clock));
        foreach (var error in rowErrors)
        {
            var reported = error == RegistryErrors.ResidencyRequired && !string.IsNullOrWhiteSpace(residencyText)
                ? RegistryErrors.ResidencyInvalid
                : error;
            errors.Add(new(number, ColumnOf(reported.Field), reported.Code, reported.Detail));
        }

        if (person is null)
        {
            return null;
        }

        if (person.HomeGridCode is null && !PersonRules.HasCityScope(user))
        {
            errors.Add(new(number, HomeGridColumn, RegistryErrors.OutOfScope.Code, RegistryErrors.OutOfScope.Detail));
            return null;
        }

        return new Row(number, person, identity.IndexOf(person.IdNumber));
    }

    /// <summary>Checks grids, scope and store duplicates of a batch, writes the rows that pass, and returns how many were written.</summary>
    private async Task<int> SaveBatchAsync(List<Row> batch, StaffPrincipal user, List<PersonImportError> errors, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var grids = batch.Select(r => r.Person.HomeGridCode).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var gridPaths = await PersonRegistry.GridPathsAsync(db, grids, cancellationToken);
        var ready = new List<Row>(batch.Count);
        foreach (var row in batch)
        {
            string? gridPath = null;
            if (row.Person.HomeGridCode is { } grid && !gridPaths.TryGetValue(grid, out gridPath))
            {
                errors.Add(new(row.Number, HomeGridColumn, RegistryErrors.UnknownGrid.Code, RegistryErrors.UnknownGrid.Detail));
            }
            else if (!PersonRules.InScope(user, gridPath))
            {
                errors.Add(new(row.Number, HomeGridColumn, RegistryErrors.OutOfScope.Code, RegistryErrors.OutOfScope.Detail));
            }
            else
            {
                ready.Add(row);
            }
        }

        return await WriteAsync(ready, errors, mayRetry: true, cancellationToken);
    }

    private async Task<int> WriteAsync(List<Row> rows, List<PersonImportError> errors, bool mayRetry, CancellationToken cancellationToken)
    {
        var existing = await ExistingKeysAsync(rows.Select(r => r.Index).ToList(), cancellationToken);
        var fresh = new List<Row>(rows.Count);
        foreach (var row in rows)
        {
            if (existing.TryGetValue(Convert.ToHexString(row.Index), out var key))
            {
                errors.Add(Duplicate(row.Number, key));
            }
            else
            {
                fresh.Add(row);
            }
        }

        var now = clock.GetUtcNow();
        var sealedPersons = fresh.Select(r => identity.Seal(r.Person, now)).ToList();
        db.Persons.AddRange(sealedPersons);
        try
        {
            // The duplicate race below is handled, so EF's failure entries for it are not errors.
            // A failure that is not that race is rethrown and logged by the host.
            using (ExpectedConflicts.Begin())
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            // An atomic import commits later, or not at all; the directory's poll finds its rows after the commit.
            if (db.Database.CurrentTransaction is null)
            {
                lookup?.Registered(sealedPersons);
            }
        }
        catch (DbUpdateException) when (mayRetry && db.Database.CurrentTransaction is null)
        {
            // Someone registered one of these persons after the duplicate check. The batch's own
            // transaction rolled back whole, so check again (reporting the newcomer) and write once more.
            db.ChangeTracker.Clear();
            return await WriteAsync(fresh, errors, mayRetry: false, cancellationToken);
        }
        catch (DbUpdateException) when (db.Database.CurrentTransaction is not null)
        {
            // Atomic import, same race. SaveChanges inside a transaction rolls back to its own
            // savepoint, so the transaction is still usable: report the newcomers as duplicates and
            // the whole import rolls back. Any other failure is rethrown.
            db.ChangeTracker.Clear();
            var registered = await ExistingKeysAsync(fresh.Select(r => r.Index).ToList(), cancellationToken);
            if (registered.Count == 0)
            {
                throw;
            }

            foreach (var row in fresh.Where(r => registered.ContainsKey(Convert.ToHexString(r.Index))))
            {
                errors.Add(Duplicate(row.Number, registered[Convert.ToHexString(row.Index)]));
            }

            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return fresh.Count;
    }

    private static PersonImportError Duplicate(int row, long existingKey) =>
        new(row, IdNumberColumn, "person.duplicate", $"该身份证号已登记，人员编号为 {existingKey}，本行未导入。");

    private async Task<Dictionary<string, long>> ExistingKeysAsync(List<byte[]> indexes, CancellationToken cancellationToken)
    {
        var found = await db.Persons.AsNoTracking()
            .Where(p => indexes.Contains(p.IdNumberIndex))
            .Select(p => new { p.Key, p.IdNumberIndex })
            .ToListAsync(cancellationToken);
        return found.ToDictionary(p => Convert.ToHexString(p.IdNumberIndex), p => p.Key, StringComparer.Ordinal);
    }

    private static string? ColumnOf(string? field) => field switch
    {
        "name" => NameColumn,
        "idNumber" => IdNumberColumn,
        "phone" => PhoneColumn,
        "residency" => ResidencyColumn,
        "homeGridCode" => HomeGridColumn,
        _ => field,
    };
}
