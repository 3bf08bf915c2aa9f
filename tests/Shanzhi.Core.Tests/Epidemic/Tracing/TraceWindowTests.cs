using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

public sealed class TraceWindowTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Fact]
    public void Who_window_spans_onset_minus_2_to_plus_10()
    {
        var window = TraceWindow.For(new TraceRequest(1, new DateTimeOffset(2026, 3, 10, 10, 0, 0, Beijing), RuleSets.Who));

        Assert.Equal(new TraceWindow(new DateTimeOffset(2026, 3, 8, 0, 0, 0, Beijing), new DateTimeOffset(2026, 3, 21, 0, 0, 0, Beijing)), window);
    }

    [Fact]
    public void Onset_after_Beijing_midnight_uses_Beijing_date()
    {
        // 00:10 on 10 March in Beijing is still 9 March in UTC.
        var anchor = new DateTimeOffset(2026, 3, 9, 16, 10, 0, TimeSpan.Zero);

        var window = TraceWindow.For(new TraceRequest(1, anchor, RuleSets.China8));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 0, 0, 0, Beijing), window.Start);
    }

    [Fact]
    public void Onset_before_Beijing_midnight_keeps_date()
    {
        var window = TraceWindow.For(new TraceRequest(1, new DateTimeOffset(2026, 3, 10, 23, 59, 59, Beijing), RuleSets.China9));

        Assert.Equal(new DateTimeOffset(2026, 3, 6, 0, 0, 0, Beijing), window.Start);
    }

    [Fact]
    public void Isolation_before_the_window_end_closes_the_window()
    {
        var isolated = new DateTimeOffset(2026, 3, 11, 15, 30, 0, Beijing);

        var window = TraceWindow.For(new TraceRequest(1, new DateTimeOffset(2026, 3, 10, 10, 0, 0, Beijing), RuleSets.Who, isolated));

        Assert.Equal(isolated, window.End);
    }

    [Fact]
    public void Late_isolation_keeps_window()
    {
        var window = TraceWindow.For(new TraceRequest(1, new DateTimeOffset(2026, 3, 10, 10, 0, 0, Beijing), RuleSets.Who,
            new DateTimeOffset(2026, 4, 1, 0, 0, 0, Beijing)));

        Assert.Equal(new DateTimeOffset(2026, 3, 21, 0, 0, 0, Beijing), window.End);
    }
}
