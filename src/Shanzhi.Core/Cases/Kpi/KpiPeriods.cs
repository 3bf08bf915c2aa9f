using System.Globalization;

namespace Shanzhi.Cases.Kpi;

/// <summary>Calendar days and months of Asia/Shanghai, the time zone reports are read in.</summary>
internal static class KpiPeriods
{
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Returns the key (<c>2016-12</c> or <c>2016-12-05</c>) of the day or month containing an instant.</summary>
    public static string KeyOf(DateTimeOffset instant, KpiGrouping grouping)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Shanghai);
        return grouping == KpiGrouping.Month
            ? local.ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Returns the UTC start and end (exclusive) of the day or month a key names.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Bounds(string key, KpiGrouping grouping)
    {
        if (grouping == KpiGrouping.Month)
        {
            var month = DateTime.ParseExact(key, "yyyy-MM", CultureInfo.InvariantCulture);
            return (StartOfLocalDay(month), StartOfLocalDay(month.AddMonths(1)));
        }

        var day = DateTime.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return (StartOfLocalDay(day), StartOfLocalDay(day.AddDays(1)));
    }

    public static string ChineseName(string key, KpiGrouping grouping)
    {
        if (grouping == KpiGrouping.Month)
        {
            var month = DateTime.ParseExact(key, "yyyy-MM", CultureInfo.InvariantCulture);
            return month.ToString("yyyy年M月", CultureInfo.InvariantCulture);
        }

        var day = DateTime.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
    }

    /// <summary>Returns the UTC instant at which a calendar date begins in Asia/Shanghai.</summary>
    public static DateTimeOffset StartOfLocalDay(DateTime date)
    {
        var local = DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Shanghai.GetUtcOffset(local)).ToUniversalTime();
    }
}
