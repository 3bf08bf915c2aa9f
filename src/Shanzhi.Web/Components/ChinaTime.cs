using System.Globalization;

namespace Shanzhi.Web.Components;

/// <summary>Converts stored UTC instants to Beijing time for display, and back for inputs.</summary>
public static class ChinaTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateTimeOffset ToChina(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static string Format(DateTimeOffset? instant) =>
        instant is { } value ? ToChina(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>Reads a wall-clock time picked in the browser as Beijing time.</summary>
    public static DateTimeOffset FromChinaWallClock(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(local));

    /// <summary>Midnight of the current Beijing calendar day.</summary>
    public static DateTimeOffset StartOfToday(DateTimeOffset now)
    {
        var local = ToChina(now);
        return new DateTimeOffset(local.Date, local.Offset);
    }
}
