namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// Time inside the contact index: whole seconds since 2020-01-01T00:00Z in an <see cref="int"/>,
/// which reaches 2088 and keeps a stay at 4 bytes per bound. Asia/Shanghai days are cut at UTC+8
/// (no daylight saving since 1991).
/// </summary>
internal static class IndexClock
{
    public static readonly DateTimeOffset Epoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int DaySeconds = 86_400;
    private static readonly int ShanghaiOffset = (int)ShanghaiTime.Zone.BaseUtcOffset.TotalSeconds;

    public static int ToSeconds(DateTimeOffset instant)
    {
        var seconds = (instant.UtcTicks - Epoch.UtcTicks) / TimeSpan.TicksPerSecond;
        return (int)Math.Clamp(seconds, 0, int.MaxValue / 2);
    }

    public static DateTimeOffset FromSeconds(int seconds) => Epoch.AddTicks(seconds * TimeSpan.TicksPerSecond);

    /// <summary>Number of the Asia/Shanghai calendar day holding this second.</summary>
    public static int ShanghaiDay(int seconds) => (seconds + ShanghaiOffset) / DaySeconds;

    /// <summary>The first second of the Asia/Shanghai day after the one holding this second.</summary>
    public static int NextShanghaiMidnight(int seconds) => ((ShanghaiDay(seconds) + 1) * DaySeconds) - ShanghaiOffset;
}
