using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases.Kpi;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary><c>GET /api/v1/kpi</c>: KPIs computed from case events within the user's region scope.</summary>
public static class KpiEndpoints
{
    public static void MapKpiEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/kpi", GetAsync).WithTags("考核指标").WithName("GetKpi")
            .WithSummary("结案率、按期结案率、返工率、延期率、准确派遣率、平均处置时长；from/to 为北京时间日期 yyyy-MM-dd，groupBy 可选 unit、district、street、community、grid、day、month")
            .RequireAuthorization()
            .RejectUnexpectedInput();
    }

    private static async Task<IResult> GetAsync(
        HttpContext http, KpiCalculator calculator, ShanzhiDbContext db, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? groupBy = null, string? region = null)
    {
        if (!TryParseDay(from, out var fromDay) || !TryParseDay(to, out var toDay))
        {
            return Problems.Invalid("kpi.invalid_date", from is not null && !TryParseDay(from, out _) ? "from" : "to",
                "日期格式应为 yyyy-MM-dd（北京时间），例如 2026-11-01。");
        }

        if (PlatformDates.Check(("from", fromDay), ("to", toDay)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        if (fromDay > toDay)
        {
            return Problems.Invalid("kpi.invalid_period", "from", "起始日期 from 不能晚于截止日期 to。");
        }

        var grouping = KpiGrouping.Total;
        if (groupBy is not null && (!Enum.TryParse(groupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping)))
        {
            return Problems.Invalid("kpi.invalid_group_by", "groupBy", "groupBy 可选 total、unit、district、street、community、grid、day、month。");
        }

        var user = http.User.ToStaffPrincipal()!;
        var scopePath = user.ScopePath;
        if (region is not null)
        {
            var path = await db.Regions.AsNoTracking().Where(r => r.Code == region).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
            if (path is null || !user.CanSee(path))
            {
                return Problems.From(Error.NotFound("region.not_found", $"区划“{region}”不存在，或不在您的管辖范围内。"));
            }

            scopePath = path;
        }

        var report = await calculator.ComputeAsync(new KpiQuery(
            fromDay is { } f ? ShanghaiTime.StartOfDay(f) : null,
            toDay is { } t ? ShanghaiTime.StartOfDay(t.AddDays(1)) : null,
            scopePath == Shanzhi.Identity.StaffPrincipal.RootScope ? null : scopePath,
            grouping), cancellationToken);
        return TypedResults.Text(KpiJson.Serialize(report, indented: false), "application/json; charset=utf-8");
    }

    private static bool TryParseDay(string? text, out DateOnly? day)
    {
        day = null;
        if (text is null)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            day = parsed;
            return true;
        }

        return false;
    }
}
