using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi import passages FILE [--json]</c>: passages from CSV through the same durable writer as the device API.</summary>
internal static class ImportPassagesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "CSV 文件，首行为列名：device_id,sequence,occurred_at,direction,person_key,decision,channel,status" +
                "（channel、status 可为空，未识别人员的 person_key 留空；时间不带时区时按北京时间）。",
        };
        file.AcceptExistingOnly();
        var json = ImportReportOutput.CreateJsonOption();
        var command = new Command("passages",
            "导入通行记录：按设备编号与设备序号去重，已入库的记录重复导入不会重复保存。有效行照常导入，出错的行逐行列出行号、错误代码和原因；" +
            "首行出现上述以外的列时整个文件不导入，某行的列数多于首行时该行不导入。正在运行的 Web 服务约 1 秒内把新入库的记录用于流调，无需重启。")
        {
            json,
            file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            PassageImportReport report;
            await using (var scope = services.CreateAsyncScope())
            {
                await using var stream = parse.GetValue(file)!.OpenRead();
                report = await scope.ServiceProvider.GetRequiredService<PassageImporter>().ImportAsync(stream, cancellationToken);
            }

            await ImportReportOutput.WriteAsync(parse.InvocationConfiguration.Output, View(report), parse.GetValue(json));
            return report.Errors.Count > 0 ? 1 : 0;
        });
        return command;
    }

    private static ImportReportView View(PassageImportReport report)
    {
        List<ImportReportError> errors = [.. report.Errors.Select(e => new ImportReportError(e.Line, e.Column, e.Code, e.Message))];
        var failedLines = ImportReportOutput.FailedLines(errors);
        return new ImportReportView(
            [$"读取 {report.Rows} 行：新入库 {report.Accepted} 条，重复 {report.Duplicates} 条（此前已入库或文件内重复），出错 {failedLines} 行。"],
            [("rows", report.Rows), ("accepted", report.Accepted), ("duplicates", report.Duplicates), ("failedRows", failedLines)],
            errors);
    }
}
