using System.Globalization;

namespace Shanzhi.Web.Components;

/// <summary>Beijing-time text for the pages and Beijing wall-clock input, on top of <see cref="ShanghaiTime"/>.</summary>
public static class ChinaTime
{
    public static string Format(DateTimeOffset? instant) =>
        instant is { } value ? ShanghaiTime.ToLocal(value).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    /// <summary>Reads a wall-clock time picked in the browser as Beijing time.</summary>
    public static DateTimeOffset FromChinaWallClock(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, ShanghaiTime.Zone.GetUtcOffset(unspecified));
    }
}
