using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi import passages FILE</c>: passages from CSV through the same durable writer as the device API.</summary>
internal static class ImportPassagesCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "CSV 文件，首行为列名：device_id,sequence,occurred_at,direction,person_key,decision,channel,status" +
                "（channel、status、person_key 可为空；时间不带时区时按北京时间）。",
        };
        file.AcceptExistingOnly();
        var command = new Command("passages", "导入通行记录：按设备编号与设备序号去重，已入库的记录重复导入不会重复保存。正在运行的 Web 服务约 1 秒内把新入库的记录用于流调，无需重启。") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            PassageImportReport report;
            await using (var scope = services.CreateAsyncScope())
            {
                await using var stream = parse.GetValue(file)!.OpenRead();
                report = await scope.ServiceProvider.GetRequiredService<PassageImporter>().ImportAsync(stream, cancellationToken);
            }

            await output.WriteLineAsync(
                $"读取 {report.Rows} 行：新入库 {report.Accepted} 条，重复 {report.Duplicates} 条（此前已入库或文件内重复），出错 {report.Errors.Select(e => e.Line).Distinct().Count()} 行。");
            foreach (var error in report.Errors)
            {
                // An error without a column stopped the reading, and its message names the line itself.
                await output.WriteLineAsync(error.Column is null ? error.Message : $"第 {error.Line} 行（{error.Column}）：{error.Message}");
            }

            return report.Errors.Count > 0 ? 1 : 0;
        });
        return command;
    }
}
