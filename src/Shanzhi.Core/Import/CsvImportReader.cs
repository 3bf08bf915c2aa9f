using System.Globalization;
using CsvHelper;

namespace Shanzhi.Import;

/// <summary>
/// The CSV reader of every import: UTF-8 (a byte order mark is optional), comma-separated, with
/// a header row. CsvHelper reads any byte as UTF-8, and it recovers an unclosed quote by taking the
/// following lines into the field. A GBK file or a lost quote would then show up as missing columns
/// or wrong field values. This reader throws <see cref="CsvInputException"/> instead, after the
/// records before the problem, and importers keep or roll back those rows by their own rules.
/// Quoting errors within one line are recovered as CsvHelper does, and short rows read as empty
/// fields, so a damaged row reaches validation and is reported by its number.
/// </summary>
public sealed class CsvImportReader : IAsyncDisposable
{
    public const string NotUtf8Code = "import.not_utf8";
    public const string UnclosedQuoteCode = "import.unclosed_quote";
    public const string EmptyFileCode = "import.empty_file";
    public const string MissingColumnCode = "import.missing_column";
    public const string UnknownColumnCode = "import.unknown_column";
    public const string ExtraFieldsCode = "import.extra_fields";

    /// <summary>Longest header name an error message repeats; longer names are cut, as a column name may be a pasted value.</summary>
    private const int MaxQuotedHeaderLength = 40;

    private readonly Utf8CheckingStream _input;
    private int? _unclosedQuoteLine;

    private CsvImportReader(Stream csv)
    {
        _input = new Utf8CheckingStream(csv);
        Reader = CsvReader.Create(_input, new CsvReaderOptions
        {
            Separator = ',',
            FormatProvider = CultureInfo.InvariantCulture,
            TrackLineNumbers = true,
            OnMalformedRecord = record =>
            {
                if (_unclosedQuoteLine is null
                    && record.Reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.TextAfterClosingQuote
                    && FindUnclosedQuote(record.RawRecord) is { } openedAt)
                {
                    _unclosedQuoteLine = (int)record.LineNumber + record.RawRecord.AsSpan(0, openedAt).Count('\n');
                }
            },
        }, leaveOpen: true);
    }

    /// <summary>The CsvHelper reader for the header, field values and record numbers. Advance it only through this class.</summary>
    public CsvReader Reader { get; }

    /// <summary>Opens <paramref name="csv"/> for reading; the caller keeps ownership of the stream.</summary>
    public static CsvImportReader Open(Stream csv) => new(csv);

    /// <summary>Reads the header row.</summary>
    /// <exception cref="CsvInputException">The file is empty, or the header is not UTF-8 or opens a quote that is never closed.</exception>
    public async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        await Reader.ReadHeaderAsync(cancellationToken);

        // After the header is read, ByteOffset is where the header starts (CsvHelper 34).
        ThrowIfUnreadable(Reader.Headers.Count == 0 || Reader.ByteOffset >= _input.ErrorLineStart);
        if (Reader.Headers.Count == 0)
        {
            throw CsvInputException.EmptyFile();
        }
    }

    /// <summary>Advances to the next data record and returns false at the end of the file.</summary>
    /// <exception cref="CsvInputException">The next record is not UTF-8 or opens a quote that is never closed.</exception>
    public async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var read = await Reader.ReadAsync(cancellationToken);

        // The checking stream ends the input before an invalid byte, so the record that starts on
        // that line, if any, is cut short and is not returned.
        ThrowIfUnreadable(!read || Reader.ByteOffset >= _input.ErrorLineStart);
        return read;
    }

    /// <summary>
    /// Returns the header columns whose names are not in <paramref name="knownNames"/>. Names are
    /// compared trimmed and in any letter case, as <c>CsvReader.TryGetFieldIndex</c> falls back to.
    /// An empty name, left by a trailing comma in the header, is unknown too.
    /// </summary>
    public IReadOnlyList<(int Index, string Name)> FindUnknownColumns(IEnumerable<string> knownNames)
    {
        var known = knownNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. Reader.Headers.Select((name, index) => (index, name)).Where(column => !known.Contains(column.name.Trim()))];
    }

    /// <summary>
    /// Returns the Chinese message for header column <paramref name="index"/> (from 0) named
    /// <paramref name="name"/>, which the import does not define. <paramref name="expectedHeader"/>
    /// is the header row the import expects.
    /// </summary>
    public static string UnknownColumnMessage(int index, string name, string expectedHeader)
    {
        var quoted = name.Length > MaxQuotedHeaderLength ? name[..MaxQuotedHeaderLength] + "…" : name;
        return string.Create(CultureInfo.InvariantCulture,
            $"列名行的第 {index + 1} 列“{quoted}”不是本导入的列，整个文件未导入。首行应为：{expectedHeader}。请删除该列或改正列名后重新导入。");
    }

    /// <summary>
    /// Returns the Chinese message for the current record when it has more fields than the header,
    /// or null when it has not. A field past the header has no column to go to, and is usually
    /// an unquoted comma inside a value, which shifts the values after it. The message lists
    /// <paramref name="expectedHeader"/> as the columns a row should have; pass null for a format
    /// whose header may carry columns the import does not know, where no fixed list applies.
    /// </summary>
    public string? ExtraFieldsMessage(string? expectedHeader)
    {
        if (Reader.FieldCount <= Reader.Headers.Count)
        {
            return null;
        }

        var columns = expectedHeader is null ? "" : $"每行应只有这些列：{expectedHeader}。";
        return string.Create(CultureInfo.InvariantCulture,
            $"该行有 {Reader.FieldCount} 列，比列名行多 {Reader.FieldCount - Reader.Headers.Count} 列，本行未导入。{columns}{QuoteCommaHint}");
    }

    private const string QuoteCommaHint = "如果某个值本身含有逗号，请用英文双引号把该值括起来。";

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        await _input.DisposeAsync();
    }

    /// <summary>
    /// Throws when the current record is cut short by invalid UTF-8 (<paramref name="atInvalidLine"/>)
    /// or ends in an unclosed quote. A quote left open where the input stops at invalid UTF-8 is
    /// reported as invalid UTF-8, because the closing quote may be past that point.
    /// </summary>
    private void ThrowIfUnreadable(bool atInvalidLine)
    {
        if (_input.Error is { } error && (atInvalidLine || _unclosedQuoteLine is not null))
        {
            throw error;
        }

        if (_unclosedQuoteLine is { } line)
        {
            throw CsvInputException.UnclosedQuote(line);
        }
    }

    /// <summary>
    /// Returns the index in <paramref name="record"/> of the opening quote of a field that is never
    /// closed, or that runs over a line break and has text after its closing quote: an unbalanced
    /// quote that took in the next lines up to the next quote of the file. Returns null when quoting
    /// went wrong within one line, which is recovered. Quotes open a field only at its start, and a
    /// doubled quote inside one is an escaped quote (RFC 4180).
    /// </summary>
    private static int? FindUnclosedQuote(string record)
    {
        var inQuotes = false;
        var fieldStart = true;
        var openedAt = 0;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (inQuotes && c == '"' && i + 1 < record.Length && record[i + 1] == '"')
            {
                i++;
            }
            else if (inQuotes && c == '"')
            {
                inQuotes = false;
                var textFollows = i + 1 < record.Length && record[i + 1] is not (',' or '\r' or '\n');
                if (textFollows && record.AsSpan(openedAt, i - openedAt).Contains('\n'))
                {
                    return openedAt;
                }
            }
            else if (!inQuotes && c == '"' && fieldStart)
            {
                inQuotes = true;
                openedAt = i;
            }

            fieldStart = !inQuotes && c is ',' or '\r' or '\n';
        }

        return inQuotes ? openedAt : null;
    }
}
