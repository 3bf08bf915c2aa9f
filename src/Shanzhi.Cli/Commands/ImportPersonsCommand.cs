using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi import persons FILE [--atomic] [--json]</c>.</summary>
internal static class ImportPersonsCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var atomic = new Option<bool>("--atomic")
        {
            Description = "任一行出错时整个文件都不导入。默认导入有效行，并列出出错的行。",
        };
        var json = new Option<bool>("--json")
        {
            Description = "以 JSON 输出导入报告（与 HTTP 接口相同的格式）。",
        };
        var file = new Argument<FileInfo>("FILE") { Description = "要导入的 CSV 文件（UTF-8，首行为列名：name,id_number,phone,residency,home_grid）。" };
        file.AcceptExistingOnly();

        var command = new Command("persons", "导入疫情防控人口登记：校验身份证号、手机号、人口类别和居住网格，按身份证号盲索引查重。")
        {
            atomic,
            json,
            file,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<ImportPersons>();
            await using var stream = parse.GetValue(file)!.OpenRead();
            var result = await importer.ImportAsync(stream, parse.GetValue(atomic), StaffPrincipal.System, cancellationToken);
            var report = result.Value!;

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
            }
            else
            {
                await WriteSummaryAsync(output, report);
            }

            return report.HasErrors ? 1 : 0;
        });
        return command;
    }

    private static async Task WriteSummaryAsync(TextWriter output, PersonImportReport report)
    {
        await output.WriteLineAsync($"读取 {report.Rows} 行：导入 {report.Imported} 人，出错 {report.FailedRows} 行。");
        foreach (var error in report.Errors)
        {
            var column = error.Field is null ? "" : $"（{error.Field}）";
            await output.WriteLineAsync($"第 {error.Row} 行{column}：{error.Message} [{error.Code}]");
        }

        if (report.RolledBack)
        {
            await output.WriteLineAsync("按 --atomic 要求已回滚：有行出错，未写入任何数据。");
        }
    }
}
