using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Shanzhi.Bench;

/// <summary>
/// With <c>--alloc-types</c>, samples what the server process allocates: the runtime raises a
/// GC allocation tick about every 100 KB allocated, naming the type of the object that crossed the
/// mark, so each type's share of the ticks estimates its share of the allocated bytes. On dispose it
/// prints the types with the most ticks, as KiB per request when a request count is given.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int AllocationTickEvent = 10;

    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytes = new(StringComparer.Ordinal);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != AllocationTickEvent || eventData.Payload is not { } payload || eventData.PayloadNames is not { } names)
        {
            return;
        }

        var type = payload[names.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(payload[names.IndexOf("AllocationAmount64")], CultureInfo.InvariantCulture);
        _bytes.AddOrUpdate(type, amount, (_, total) => total + amount);
    }

    /// <summary>Prints the <paramref name="top"/> types by sampled bytes, per request when <paramref name="requests"/> is above 0.</summary>
    public void Print(long requests, int top = 30)
    {
        var total = _bytes.Values.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocation ticks: {total / 1048576.0:F0} MiB sampled{(requests > 0 ? $", {total / 1024.0 / requests:F2} KiB per request over {requests:N0} requests" : "")}"));
        foreach (var (type, bytes) in _bytes.OrderByDescending(t => t.Value).Take(top))
        {
            var share = requests > 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)requests,8:F0} B/request") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {bytes * 100.0 / total,5:F1} %  {share}  {type}"));
        }
    }
}
