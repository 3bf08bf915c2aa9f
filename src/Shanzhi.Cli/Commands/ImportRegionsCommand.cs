using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Geography;

namespace Shanzhi.Cli.Commands;

/// <summary>
/// <c>shanzhi import regions FILE --level street|community|grid --code-property NAME --name-property NAME</c>.
/// Exit code 0 when every feature was loaded, 1 when some were rejected (or, with --atomic, when
/// nothing was loaded because some were rejected), 2 when the file cannot be read at all.
/// </summary>
internal static class ImportRegionsCommand
{
    private static readonly Dictionary<string, RegionLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["street"] = RegionLevel.Street,
        ["community"] = RegionLevel.Community,
        ["grid"] = RegionLevel.Grid,
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "GeoJSON 文件（FeatureCollection，面要素）。" };
        var level = new Option<string>("--level")
        {
            Description = "图层层级：street（街道/乡镇）、community（社区/村）或 grid（网格）。",
            Required = true,
        };
        level.AcceptOnlyFromAmong([.. Levels.Keys]);
        var codeProperty = new Option<string>("--code-property")
        {
            Description = "要素中保存区划代码的属性名（街道 9 位、社区 12 位、网格 15 位数字）。",
            Required = true,
        };
        var nameProperty = new Option<string>("--name-property") { Description = "要素中保存名称的属性名。", Required = true };
        var parentProperty = new Option<string?>("--parent-property")
        {
            Description = "要素中保存上级代码的属性名；不指定时按要素内部点所在的上级区划确定。",
        };
        var gcj02 = new Option<bool>("--gcj02") { Description = "坐标为 GCJ-02（高德、DataV 数据），导入时转换为 WGS84。" };
        var atomic = new Option<bool>("--atomic") { Description = "只要有一个要素不合格，就什么都不导入。" };

        var command = new Command("regions", "导入真实的街道、社区或网格图层（GeoJSON），并停用被覆盖的自动生成区划。")
        {
            file, level, codeProperty, nameProperty, parentProperty, gcj02, atomic,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"文件不存在：{path.FullName}");
                return 2;
            }

            var options = new RegionImportOptions(Levels[parse.GetValue(level)!], parse.GetValue(codeProperty)!, parse.GetValue(nameProperty)!)
            {
                ParentProperty = parse.GetValue(parentProperty),
                Gcj02 = parse.GetValue(gcj02),
                Atomic = parse.GetValue(atomic),
            };

            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<RegionImporter>();
            await using var stream = path.OpenRead();
            var result = await importer.ImportAsync(stream, options, cancellationToken);
            if (result.Error is { } error)
            {
                await Console.Error.WriteLineAsync($"{error.Title}：{error.Detail}");
                return 2;
            }

            return Report(result.Value!, options);
        });
        return command;
    }

    private static int Report(RegionImportReport report, RegionImportOptions options)
    {
        foreach (var rejected in report.Rejected)
        {
            var code = rejected.Code is null ? "" : $"（代码 {rejected.Code}）";
            Console.Error.WriteLine($"第 {rejected.FeatureIndex + 1} 个要素{code}：{rejected.Error.Detail}");
        }

        var level = GeographyErrors.ChineseName(options.Level);
        if (report.Rejected.Count > 0 && report.Loaded == 0)
        {
            Console.WriteLine(options.Atomic
                ? $"共 {report.Features} 个要素，其中 {report.Rejected.Count} 个不合格；已按 --atomic 要求全部不导入。"
                : $"共 {report.Features} 个要素，全部不合格，未导入任何{level}。");
            return 1;
        }

        Console.WriteLine($"共 {report.Features} 个要素：导入{level} {report.Loaded} 个（新增 {report.Added}，更新 {report.Updated}），" +
            $"停用被覆盖的自动生成区划 {report.Retired} 个，不合格 {report.Rejected.Count} 个。");
        return report.Rejected.Count == 0 ? 0 : 1;
    }
}
