using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Cases.Import;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi import cases --format la311 FILE [--atomic] [--mapping FILE] [--json]</c>.</summary>
internal static class ImportCasesCommand
{
    public static Command Create()
    {
        var format = new Option<string>("--format")
        {
            Description = "文件格式。目前支持 la311：洛杉矶 MyLA311 服务请求导出（CSV，33 列）。",
            Required = true,
        };
        format.AcceptOnlyFromAmong("la311");
        var atomic = new Option<bool>("--atomic")
        {
            Description = "任一行出错时整个文件都不导入。默认导入有效行，并列出出错的行。",
        };
        var mapping = new Option<FileInfo>("--mapping")
        {
            Description = "请求类型与机构的映射文件（JSON）。不指定时使用内置映射。",
        };
        mapping.AcceptExistingOnly();
        var json = ImportReportOutput.CreateJsonOption();
        var file = new Argument<FileInfo>("FILE") { Description = "要导入的 CSV 文件。某行的列数多于首行时该行不导入。" };
        file.AcceptExistingOnly();

        var command = new Command("cases", "导入历史案件：按原始时间重放上报、立案、派遣、处置、核查、结案等环节。")
        {
            format,
            atomic,
            mapping,
            json,
            file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            La311Mapping? customMapping = null;
            if (parse.GetValue(mapping) is { } mappingFile)
            {
                await using var mappingStream = mappingFile.OpenRead();
                var loaded = La311Mapping.Load(mappingStream);
                if (loaded.Error is { } error)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync(error.Detail);
                    return 1;
                }

                customMapping = loaded.Value;
            }

            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<La311Importer>();
            await using var stream = parse.GetValue(file)!.OpenRead();
            var report = await importer.ImportAsync(stream, new La311ImportOptions(parse.GetValue(atomic), customMapping), cancellationToken);

            await ImportReportOutput.WriteAsync(output, View(report), parse.GetValue(json));
            return report.HasErrors ? 1 : 0;
        });
        return command;
    }

    private static ImportReportView View(CaseImportReport report)
    {
        List<ImportReportError> errors = [.. report.Errors.Select(e => new ImportReportError(e.Row, e.Column, e.Code, e.Message))];
        var failedLines = ImportReportOutput.FailedLines(errors);
        List<string> summary =
        [
            $"读取 {report.Rows} 行：导入 {report.Imported} 条，跳过 {report.Skipped} 条（此前已导入或文件内重复），出错 {failedLines} 行。",
        ];
        if (report.UnmappedRequestTypes.Count > 0)
        {
            var types = string.Join("、", report.UnmappedRequestTypes.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}（{t.Value} 条）"));
            summary.Add($"以下请求类型未在映射中配置，已归入兜底分类：{types}。");
        }

        if (report.DateOnlyClosings > 0)
        {
            summary.Add($"其中 {report.DateOnlyClosings} 条的结案时间只有日期且早于创建时间，已按创建时间结案。");
        }

        return new ImportReportView(
            summary,
            [
                ("rows", report.Rows), ("imported", report.Imported), ("skipped", report.Skipped), ("failedRows", failedLines),
                ("unmappedRequestTypes", report.UnmappedRequestTypes), ("dateOnlyClosings", report.DateOnlyClosings),
            ],
            errors,
            report.RolledBack);
    }
}
