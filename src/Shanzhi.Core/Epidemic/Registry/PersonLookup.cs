using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// The two registry lookups a gate check makes at high rate: which person an ID number belongs to, and
/// that person's health status. Both answers are cached in memory.
/// Staleness: the person key of an ID number never changes, so found keys are kept; unknown numbers
/// are not cached, so a person registered a moment ago is found at once. A cached status is dropped
/// when <see cref="HealthStatusService"/> commits a change in this process, and expires after
/// <see cref="StatusLifetime"/> so a change committed by another process is seen within that time.
/// </summary>
public sealed class PersonLookup(IServiceScopeFactory scopes, PersonIdentity identity, TimeProvider clock) : Gates.IPersonDirectory
{
    public static readonly TimeSpan StatusLifetime = TimeSpan.FromSeconds(30);

    /// <summary>Entries per cache before it is emptied and refilled; keeps memory small (about 100 bytes an entry).</summary>
    public const int MaxEntries = 200_000;

    private readonly BoundedCache<string, long> _keys = new(StringComparer.Ordinal);
    private readonly BoundedCache<long, (Gates.PersonStatus Status, DateTimeOffset Expires)> _statuses = new(EqualityComparer<long>.Default);

    // Counts Forget calls. A status read from the store is cached only if no change was committed
    // while it was being read, so a read racing a change cannot put the old status back.
    private long _changes;

    /// <summary>The person key of a registered ID number; null when the number is invalid or unregistered.</summary>
    public async Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken)
    {
        if (!ChineseIdNumber.IsValid(idNumber))
        {
            return null;
        }

        var index = identity.IndexOf(idNumber);
        var hex = Convert.ToHexString(index);
        if (_keys.TryGetValue(hex, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var key = await db.Persons.Where(p => p.IdNumberIndex == index).Select(p => (long?)p.Key).FirstOrDefaultAsync(cancellationToken);
        if (key is { } found)
        {
            _keys.Set(hex, found);
        }

        return key;
    }

    /// <summary>The current health status of a person (its <c>Status</c> null while they have none); null when the key is unknown.</summary>
    public async Task<Gates.PersonStatus?> StatusAsync(long personKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_statuses.TryGetValue(personKey, out var cached) && cached.Expires > now)
        {
            return cached.Status;
        }

        var changesBefore = Interlocked.Read(ref _changes);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var person = await db.Persons.Where(p => p.Key == personKey).Select(p => new { p.Status }).FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return null;
        }

        var status = new Gates.PersonStatus(person.Status);
        if (Interlocked.Read(ref _changes) == changesBefore)
        {
            _statuses.Set(personKey, (status, now + StatusLifetime));
        }

        return status;
    }

    /// <summary>Drops the cached status of persons whose status just changed.</summary>
    public void Forget(IEnumerable<long> personKeys)
    {
        Interlocked.Increment(ref _changes);
        foreach (var key in personKeys)
        {
            _statuses.Remove(key);
        }
    }

    /// <summary>
    /// A concurrent map emptied when it reaches <see cref="MaxEntries"/>. It keeps its own
    /// approximate count because <see cref="ConcurrentDictionary{TKey, TValue}.Count"/> takes every
    /// bucket lock, which serialised the gate checks that miss the cache.
    /// </summary>
    private sealed class BoundedCache<TKey, TValue>(IEqualityComparer<TKey> comparer)
        where TKey : notnull
    {
        private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);
        private int _count;

        public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

        public void Set(TKey key, TValue value)
        {
            if (Volatile.Read(ref _count) >= MaxEntries)
            {
                _entries.Clear();
                Volatile.Write(ref _count, 0);
            }

            if (_entries.TryAdd(key, value))
            {
                Interlocked.Increment(ref _count);
            }
            else
            {
                _entries[key] = value;
            }
        }

        public void Remove(TKey key)
        {
            if (_entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
