namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// The span of time a trace looks at, as a half-open interval [Start, End): from the start of the
/// Asia/Shanghai day <c>DaysBeforeOnset</c> days before the onset date to the end of the day
/// <c>DaysAfterOnset</c> days after it, cut at the isolation time when that is earlier. A stay
/// that ends exactly at Start, or starts exactly at End, is outside.
/// </summary>
public readonly record struct TraceWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public static TraceWindow For(TraceRequest request)
    {
        var onset = DateOnly.FromDateTime(ShanghaiTime.ToLocal(request.Anchor).DateTime);
        var start = ShanghaiTime.StartOfDay(onset.AddDays(-request.Rules.DaysBeforeOnset));
        var end = ShanghaiTime.StartOfDay(onset.AddDays(request.Rules.DaysAfterOnset + 1));
        if (request.IsolatedAt is { } isolated && isolated < end)
        {
            end = isolated < start ? start : isolated;
        }

        return new TraceWindow(start, end);
    }
}
