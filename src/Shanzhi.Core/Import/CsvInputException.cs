namespace Shanzhi.Import;

/// <summary>
/// A CSV file that cannot be read past <see cref="Line"/>: it is empty, it is not UTF-8 there, or a
/// quoted field opened there is never closed. Carries no field value, so it is safe to log.
/// </summary>
public sealed class CsvInputException(string code, int line, string userMessage, string message) : Exception(message)
{
    /// <summary>Stable error code: <see cref="CsvImportReader.EmptyFileCode"/>, <see cref="CsvImportReader.NotUtf8Code"/> or <see cref="CsvImportReader.UnclosedQuoteCode"/>.</summary>
    public string Code { get; } = code;

    /// <summary>1-based line of the file where reading stopped, counting every line break.</summary>
    public int Line { get; } = line;

    /// <summary>
    /// Chinese message for the import report: what is wrong and how to fix the file. It refers to
    /// "该行" (this line) and leaves the number to the report, which shows <see cref="Line"/> beside it.
    /// </summary>
    public string UserMessage { get; } = userMessage;

    internal static CsvInputException EmptyFile() => new(
        CsvImportReader.EmptyFileCode, 1,
        "文件为空：缺少列名行和数据行。",
        "The CSV input is empty.");

    internal static CsvInputException NotUtf8(int line) => new(
        CsvImportReader.NotUtf8Code, line,
        $"从该行起的内容不是 UTF-8 编码，导入在此停止。常见原因是在 Excel 中另存为了“CSV（逗号分隔）”（GBK 编码）。" +
        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。",
        $"The CSV input is not valid UTF-8 at line {line}.");

    internal static CsvInputException UnclosedQuote(int line) => new(
        CsvImportReader.UnclosedQuoteCode, line,
        "该行有一个以英文双引号（\"）开始的字段没有结束引号，从该行起的内容未导入。" +
        "请检查该行的双引号是否成对（字段内的双引号应写成两个：\"\"），改正后重新导入。",
        $"A quoted field that starts on line {line} of the CSV input is never closed.");
}
