using System.Collections.Concurrent;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Residency classes read for hub entries, remembered for <see cref="Lifetime"/>, so the busiest
/// gates (airports, rail stations, highway exits) do not open the store for every traveller. A
/// residency changed in the registry routes the person to the new channel within that time. The
/// delay is acceptable because the channel only guides the hub's staff and the decision does not
/// depend on it.
/// </summary>
public sealed class ResidencyCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>Entries before the cache is emptied and refilled; roughly 80 bytes each (an estimate).</summary>
    public const int MaxEntries = 200_000;

    private readonly ConcurrentDictionary<long, (ResidencyClass Residency, DateTimeOffset Expires)> _known = new();

    // ConcurrentDictionary.Count takes every lock of the dictionary, so the size is counted here.
    private int _count;

    public ResidencyClass? Find(long personKey) =>
        _known.TryGetValue(personKey, out var entry) && entry.Expires > clock.GetUtcNow() ? entry.Residency : null;

    public void Remember(long personKey, ResidencyClass residency)
    {
        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _known.Clear();
            Interlocked.Exchange(ref _count, 0);
        }

        _known[personKey] = (residency, clock.GetUtcNow() + Lifetime);
    }
}
