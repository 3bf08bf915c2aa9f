using Microsoft.Extensions.Logging.Abstractions;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary>Writers and passages for the passage tests.</summary>
internal static class PassageWorld
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    public static PassageWriter Writer(TestStore store, TimeProvider clock, int queueCapacity = 64, params IPassageObserver[] observers) =>
        new(store.Options, observers, MsOptions.Create(new PassageIngestOptions { QueueCapacity = queueCapacity }), clock,
            NullLogger<PassageWriter>.Instance);

    public static PassageRecord Passage(long device, long sequence, DateTimeOffset? at = null, long? person = null) =>
        new(device, sequence, EntranceId: 10 + device, PlaceId: 100 + device, person ?? 5000 + sequence, at ?? Now.AddMinutes(-sequence),
            PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green);

    public static PassageRecord[] Range(long device, long first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Passage(device, first + i))];
}

/// <summary>Remembers what the writer reported as committed.</summary>
internal sealed class RecordingObserver : IPassageObserver
{
    private readonly List<PassageRecord> _seen = [];

    public IReadOnlyList<PassageRecord> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public void OnCommitted(IReadOnlyList<PassageRecord> passages)
    {
        lock (_seen)
        {
            _seen.AddRange(passages);
        }
    }
}
