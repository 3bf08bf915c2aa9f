using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shanzhi.Import;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Passages;

/// <summary>A CSV row the import rejected: its line number in the file, the column and why.</summary>
/// <param name="Column">Column at fault, or null when the error concerns the whole row or the file past <paramref name="Line"/>.</param>
public sealed record PassageImportError(int Line, string? Column, string Message, string Code = PassageBatch.InvalidFieldCode);

public sealed record PassageImportReport(int Rows, int Accepted, int Duplicates, IReadOnlyList<PassageImportError> Errors);

/// <summary>
/// Imports passages from CSV (columns <c>device_id, sequence, occurred_at, direction, person_key,
/// decision, channel, status</c>) through the same <see cref="IPassageIngest"/> as the HTTP API,
/// so the rows are idempotent on (device, sequence) and durable when counted. Valid rows are
/// imported and invalid rows are listed; a row naming a person key the registry does not know is
/// invalid (<c>passage.unknown_person</c>), and so is a row older than the movement retention
/// (<c>passage.occurred_at_too_old</c>) or a row with more fields than the header
/// (<c>import.extra_fields</c>), and so is a row whose device sequence is already stored with another
/// passage (<c>passage.sequence_reused</c>). A header column outside that list rejects the whole file
/// (<c>import.unknown_column</c>), as an unknown field rejects a whole batch of the HTTP API.
/// A time without an offset is Beijing time.
/// </summary>
public sealed class PassageImporter(ShanzhiDbContext db, IPassageIngest ingest, TimeProvider clock, IOptions<RetentionOptions> retention)
{
    public const int ChunkSize = 10_000;

    private static readonly string[] Columns = ["device_id", "sequence", "occurred_at", "direction", "person_key", "decision", "channel", "status"];

    private static readonly string ExpectedHeader = string.Join(',', Columns);

    public async Task<PassageImportReport> ImportAsync(Stream csv, CancellationToken cancellationToken)
    {
        var devices = await (
                from d in db.Devices.AsNoTracking()
                join e in db.Entrances on d.EntranceId equals e.Id
                join p in db.Places on e.PlaceId equals p.Id
                select new DeviceContext(d.Id, e.Id, p.Id, p.Kind, p.GridCode, p.RegionPath))
            .ToDictionaryAsync(d => d.DeviceId, cancellationToken);
        var window = PassageTimeWindow.At(clock.GetUtcNow(), retention.Value);
        var errors = new List<PassageImportError>();
        var chunk = new List<PassageRecord>(ChunkSize);
        var lines = new List<int>(ChunkSize);
        int rows = 0, accepted = 0, duplicates = 0;

        await using var input = CsvImportReader.Open(csv);
        var parser = input.Reader;
        try
        {
            await input.ReadHeaderAsync(cancellationToken);
        }
        catch (CsvInputException e)
        {
            return new PassageImportReport(0, 0, 0, [new(e.Line, null, e.UserMessage, e.Code)]);
        }

        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var column in Columns)
        {
            if (parser.TryGetFieldIndex(column, out var index))
            {
                columns[column] = index;
            }
            else if (column is not ("channel" or "status" or "person_key"))
            {
                errors.Add(new(1, column, $"缺少列 {column}。文件首行应为：{ExpectedHeader}。", CsvImportReader.MissingColumnCode));
            }
        }

        foreach (var (index, name) in input.FindUnknownColumns(Columns))
        {
            errors.Add(new(1, null, CsvImportReader.UnknownColumnMessage(index, name, ExpectedHeader), CsvImportReader.UnknownColumnCode));
        }

        if (errors.Count > 0)
        {
            return new PassageImportReport(0, 0, 0, errors);
        }

        string? Field(string column) => columns.TryGetValue(column, out var index) ? parser.GetString(index).Trim() : null;
        try
        {
            while (await input.ReadAsync(cancellationToken))
            {
                rows++;

                // Spreadsheet numbering: the header is line 1, so data record n is line n + 1.
                var line = (int)parser.RowNumber + 1;
                if (input.ExtraFieldsMessage(ExpectedHeader) is { } extraFields)
                {
                    errors.Add(new(line, null, extraFields, CsvImportReader.ExtraFieldsCode));
                }
                else if (Read(Field, line, devices, window, errors) is { } record)
                {
                    chunk.Add(record);
                    lines.Add(line);
                }

                if (chunk.Count == ChunkSize)
                {
                    (accepted, duplicates) = Add((accepted, duplicates), await SubmitKnownAsync(chunk, lines, errors, cancellationToken));
                    chunk.Clear();
                    lines.Clear();
                }
            }
        }
        catch (CsvInputException e)
        {
            // The valid rows before the problem are still imported, and the error names the line where reading stopped.
            errors.Add(new(e.Line, null, e.UserMessage, e.Code));
        }

        (accepted, duplicates) = Add((accepted, duplicates), await SubmitKnownAsync(chunk, lines, errors, cancellationToken));
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new PassageImportReport(rows, accepted, duplicates, errors);
    }

    private static PassageRecord? Read(Func<string, string?> field, int line, Dictionary<long, DeviceContext> devices, PassageTimeWindow window,
        List<PassageImportError> errors)
    {
        var deviceText = field("device_id");
        if (!long.TryParse(deviceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var deviceId) || !devices.TryGetValue(deviceId, out var device))
        {
            errors.Add(new(line, "device_id", $"设备编号“{deviceText}”不存在，请先登记设备。"));
            return null;
        }

        var personText = field("person_key");
        var sequenceText = field("sequence");
        var timeText = field("occurred_at");
        var input = new PassageInput(
            long.TryParse(sequenceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var sequence) ? sequence : null,
            ParseTime(timeText),
            field("direction"),

            // An unparsable key becomes 0, which validation rejects; an empty one means unidentified.
            string.IsNullOrEmpty(personText) ? null : long.TryParse(personText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var person) ? person : 0,
            field("decision"),
            field("channel"),
            field("status"));
        var (records, _, rowErrors) = PassageBatch.Validate(device, [input], window, format: PassageFormat.Csv);
        foreach (var error in rowErrors)
        {
            errors.Add(Unparsable(line, error, sequenceText, timeText) ?? new PassageImportError(line, Column(error.Field), error.Message, error.Code));
        }

        return records.Count == 1 ? records[0] : null;
    }

    /// <summary>
    /// The error of a sequence or time that is present but cannot be parsed. Validation treats such a
    /// value as missing, so its "missing" error is replaced by one that shows the value.
    /// </summary>
    private static PassageImportError? Unparsable(int line, PassageInputError error, string? sequenceText, string? timeText) => error switch
    {
        { Field: "sequence", Code: PassageBatch.MissingFieldCode } when !string.IsNullOrEmpty(sequenceText) =>
            new(line, "sequence", $"设备序号“{sequenceText}”无效，应为非负整数。", PassageBatch.InvalidFieldCode),
        { Field: "occurredAt", Code: PassageBatch.MissingFieldCode } when !string.IsNullOrEmpty(timeText) =>
            new(line, "occurred_at", $"通行时间“{timeText}”无效，应为 yyyy-MM-dd HH:mm:ss（北京时间）或带时区的 ISO 8601 时间。", PassageBatch.InvalidFieldCode),
        _ => null,
    };

    private static DateTimeOffset? ParseTime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        // Kind Unspecified: the text had no offset or Z, so it is Beijing time.
        return parsed.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(parsed, ShanghaiTime.Zone.GetUtcOffset(parsed))
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    private static string Column(string field) => field switch
    {
        "occurredAt" => "occurred_at",
        "personKey" => "person_key",
        _ => field,
    };

    /// <summary>
    /// Lists the chunk's rows that name an unregistered person, submits the others, and lists the
    /// submitted rows whose device sequence was already stored with another passage.
    /// </summary>
    private async Task<IngestReceipt> SubmitKnownAsync(List<PassageRecord> chunk, List<int> lines, List<PassageImportError> errors,
        CancellationToken cancellationToken)
    {
        var (known, unknown) = await PassageBatch.SplitUnknownPersonsAsync(db, chunk, cancellationToken);
        foreach (var i in unknown)
        {
            var error = PassageBatch.UnknownPerson(i, chunk[i].PersonKey!.Value, PassageFormat.Csv);
            errors.Add(new(lines[i], "person_key", error.Message, error.Code));
        }

        if (known.Count == 0)
        {
            return new IngestReceipt(0, 0);
        }

        var receipt = await SubmitAsync(known, cancellationToken);
        if (receipt.Duplicates == 0)
        {
            return receipt;
        }

        var knownLines = PassageBatch.OfKnown(lines, unknown);
        var reused = await PassageBatch.FindReusedAsync(db, known, cancellationToken);
        foreach (var i in reused)
        {
            var error = PassageBatch.SequenceReused(i, known[i].DeviceSequence);
            errors.Add(new(knownLines[i], "sequence", error.Message, error.Code));
        }

        return receipt with { Duplicates = receipt.Duplicates - reused.Count };
    }

    /// <summary>Submits one chunk, waiting and resending while the writer's queue is full.</summary>
    private async Task<IngestReceipt> SubmitAsync(IReadOnlyList<PassageRecord> chunk, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ingest.SubmitAsync([.. chunk], cancellationToken);
            if (result.Error != PassageErrors.QueueFull)
            {
                return result.Value ?? throw new InvalidOperationException($"Passage import failed: {result.Error!.Code}");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        }
    }

    private static (int, int) Add((int Accepted, int Duplicates) total, IngestReceipt receipt) =>
        (total.Accepted + receipt.Accepted, total.Duplicates + receipt.Duplicates);
}
