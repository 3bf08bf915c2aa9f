using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Cases.Kpi;
using Shanzhi.Storage;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi kpi [--json] [--from DATE] [--to DATE] [--group-by …] [--scope REGIONCODE]</c>.</summary>
internal static class KpiCommand
{
    private static readonly Dictionary<string, (KpiGrouping Grouping, string Name)> Groupings = new(StringComparer.Ordinal)
    {
        ["unit"] = (KpiGrouping.Unit, "处置单位"),
        ["district"] = (KpiGrouping.District, "区县"),
        ["street"] = (KpiGrouping.Street, "街道"),
        ["community"] = (KpiGrouping.Community, "社区"),
        ["grid"] = (KpiGrouping.Grid, "网格"),
        ["day"] = (KpiGrouping.Day, "日"),
        ["month"] = (KpiGrouping.Month, "月份"),
    };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "以 JSON 输出（英文字段名，比率为小数）。" };
        var from = new Option<string?>("--from") { Description = "统计起始日期（含），北京时间，格式 yyyy-MM-dd。不指定时不设下限。" };
        var to = new Option<string?>("--to") { Description = "统计截止日期（含），北京时间，格式 yyyy-MM-dd。不指定时截至当前时间。" };
        var groupBy = new Option<string?>("--group-by") { Description = "分组方式：unit、district、street、community、grid、day 或 month。不指定时只输出合计。" };
        groupBy.AcceptOnlyFromAmong([.. Groupings.Keys]);
        var scope = new Option<string?>("--scope") { Description = "只统计该区划（含下级）内的案件，填写区划代码，例如 330203。" };

        var command = new Command("kpi", "计算案件考核指标：应结案数、结案率、按期结案率、返工率、延期率、准确派遣率、平均处置时长和状态分布。")
        {
            json,
            from,
            to,
            groupBy,
            scope,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!TryParseDate(parse.GetValue(from), "--from", out var fromDate, out var message)
                || !TryParseDate(parse.GetValue(to), "--to", out var toDate, out message))
            {
                await error.WriteLineAsync(message);
                return 1;
            }

            if (fromDate > toDate)
            {
                await error.WriteLineAsync("--from 不能晚于 --to。");
                return 1;
            }

            if (!CliHost.StoreExists(parse))
            {
                await error.WriteLineAsync(CliHost.MissingStoreMessage(parse));
                return 1;
            }

            var grouping = parse.GetValue(groupBy) is { } key ? Groupings[key] : (KpiGrouping.Total, "合计");

            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            await using var serviceScope = services.CreateAsyncScope();
            var db = serviceScope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            string? scopePath = null;
            if (parse.GetValue(scope) is { } regionCode)
            {
                scopePath = await db.Regions.AsNoTracking().Where(r => r.Code == regionCode).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
                if (scopePath is null)
                {
                    await error.WriteLineAsync($"未找到区划代码“{regionCode}”。请填写已导入的区划代码，例如 330203。");
                    return 1;
                }
            }

            var query = new KpiQuery(
                fromDate is { } f ? ShanghaiTime.StartOfDay(f) : null,
                toDate is { } t ? ShanghaiTime.StartOfDay(t.AddDays(1)) : null,
                scopePath,
                grouping.Item1);
            var report = await serviceScope.ServiceProvider.GetRequiredService<KpiCalculator>().ComputeAsync(query, cancellationToken);

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(KpiJson.Serialize(report));
            }
            else
            {
                await output.WriteAsync(KpiTable.Render(report, grouping.Item2, parse.GetValue(scope), fromDate, toDate));
            }

            return 0;
        });
        return command;
    }

    private static bool TryParseDate(string? text, string option, out DateOnly? date, out string message)
    {
        date = null;
        message = "";
        if (text is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) && parsed.Year >= 2000)
        {
            date = parsed;
            return true;
        }

        message = $"{option} 的值“{text}”无效：应为 2000 年以后、yyyy-MM-dd 格式的日期（北京时间），例如 2016-12-01。";
        return false;
    }
}
