using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi import persons FILE [--atomic] [--json]</c>.</summary>
internal static class ImportPersonsCommand
{
    public static Command Create()
    {
        var atomic = new Option<bool>("--atomic")
        {
            Description = "任一行出错时整个文件都不导入。默认导入有效行，并列出出错的行。",
        };
        var json = ImportReportOutput.CreateJsonOption();
        var file = new Argument<FileInfo>("FILE")
        {
            Description = "要导入的 CSV 文件（UTF-8，首行为列名：name,id_number,phone,residency,home_grid，也可用中文列名；" +
                "首行有其他列时整个文件不导入，某行列数多于首行时该行不导入）。",
        };
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

            await ImportReportOutput.WriteAsync(output, View(report), parse.GetValue(json));
            return report.HasErrors ? 1 : 0;
        });
        return command;
    }

    private static ImportReportView View(PersonImportReport report)
    {
        List<ImportReportError> errors = [.. report.Errors.Select(e => new ImportReportError(e.Row, e.Field, e.Code, e.Message))];
        return new ImportReportView(
            [$"读取 {report.Rows} 行：导入 {report.Imported} 人，出错 {report.FailedRows} 行。"],
            [("rows", report.Rows), ("imported", report.Imported), ("failedRows", report.FailedRows)],
            errors,
            report.RolledBack);
    }
}
