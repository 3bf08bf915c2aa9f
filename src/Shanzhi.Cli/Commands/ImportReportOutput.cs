using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shanzhi.Cli.Commands;

/// <summary>One error of an import report, as the CSV import commands print it.</summary>
/// <param name="Line">Line of the file, counting the header as line 1.</param>
/// <param name="Field">Column at fault, or null when the error concerns the whole row or file.</param>
/// <param name="Code">Stable error code, such as <c>passage.unknown_person</c> or <c>import.not_utf8</c>.</param>
internal sealed record ImportReportError(int Line, string? Field, string Code, string Message);

/// <summary>An import's outcome, ready for output as Chinese text or as JSON.</summary>
/// <param name="Summary">Chinese lines printed before the errors: the counts and any notes.</param>
/// <param name="Values">Top-level JSON properties printed before <c>errors</c>, in order: counts and flags.</param>
/// <param name="Errors">Errors in file order.</param>
/// <param name="RolledBack">True when an atomic import found errors and wrote nothing.</param>
internal sealed record ImportReportView(
    IReadOnlyList<string> Summary,
    IReadOnlyList<(string Name, object? Value)> Values,
    IReadOnlyList<ImportReportError> Errors,
    bool RolledBack = false);

/// <summary>The report output that <c>import cases</c>, <c>import persons</c> and <c>import passages</c> share.</summary>
internal static class ImportReportOutput
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Chinese messages stay readable; the output is a terminal or a file, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Option<bool> CreateJsonOption() => new("--json")
    {
        Description = "以 JSON 格式把导入报告输出到标准输出：各项计数，以及每个错误的行号 line、错误代码 code、列名 field 和说明 message。",
    };

    /// <summary>
    /// Returns how many data lines have at least one error (a line may have several). Errors on the
    /// header line reject the whole file and are not failed rows.
    /// </summary>
    public static int FailedLines(IEnumerable<ImportReportError> errors) =>
        errors.Where(e => e.Line != HeaderLine).Select(e => e.Line).Distinct().Count();

    /// <summary>
    /// True when the file was rejected as a whole: the importers report an empty file, a header that
    /// is not UTF-8 and a missing or unknown column on the header line, and then read no data row.
    /// </summary>
    public static bool FileRejected(IEnumerable<ImportReportError> errors) => errors.Any(e => e.Line == HeaderLine);

    private const int HeaderLine = 1;

    /// <summary>Writes <paramref name="report"/> to <paramref name="output"/> as one JSON object, or as Chinese lines with one line per error.</summary>
    public static async Task WriteAsync(TextWriter output, ImportReportView report, bool json)
    {
        if (json)
        {
            await output.WriteLineAsync(ToJson(report).ToJsonString(Json));
            return;
        }

        // The counts of a rejected file are all 0 and would read as if rows had been checked.
        IEnumerable<string> summary = FileRejected(report.Errors) ? ["整个文件未导入，未读取任何数据行，原因如下："] : report.Summary;
        foreach (var line in summary)
        {
            await output.WriteLineAsync(line);
        }

        foreach (var error in report.Errors)
        {
            await output.WriteLineAsync(FormatError(error));
        }

        if (report.RolledBack)
        {
            await output.WriteLineAsync("按 --atomic 要求已回滚：有行出错，未写入任何数据。");
        }
    }

    /// <summary>Formats an error as <c>第 4 行（列名）：说明 [代码]</c>, leaving out the column where the error has none.</summary>
    public static string FormatError(ImportReportError error)
    {
        var field = error.Field is null ? "" : $"（{error.Field}）";
        return $"第 {error.Line} 行{field}：{error.Message} [{error.Code}]";
    }

    private static JsonObject ToJson(ImportReportView report)
    {
        var root = new JsonObject();
        foreach (var (name, value) in report.Values)
        {
            root[name] = JsonSerializer.SerializeToNode(value, Json);
        }

        root["fileRejected"] = FileRejected(report.Errors);
        root["rolledBack"] = report.RolledBack;
        root["errors"] = new JsonArray([.. report.Errors.Select(e => new JsonObject
        {
            ["line"] = e.Line,
            ["code"] = e.Code,
            ["field"] = e.Field,
            ["message"] = e.Message,
        })]);
        return root;
    }
}
