using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Shanzhi.Epidemic.Registry;

/// <summary>What <see cref="PopulationDirectory"/> can tell about an ID number's blind index or a person key.</summary>
public enum DirectoryAnswer
{
    /// <summary>No value from the directory, because it is not loaded, the person changed in this process a moment ago, or the index prefix is ambiguous. The caller reads the store.</summary>
    AskStore,

    /// <summary>Not held: not registered as of the last load or poll, or registered since by another process.</summary>
    Absent,

    /// <summary>Found in the directory.</summary>
    Found,
}

/// <summary>
/// The whole population in memory for the gate check: blind index → person key, and person key →
/// current health status and residency class. <see cref="PopulationDirectoryLoader"/> loads it at
/// start and polls the store for changed rows, and the registry's writes in this process update it
/// at once (<see cref="Forget"/>, <see cref="Add"/>).
/// </summary>
/// <remarks>
/// Memory per person is about 21 bytes at 10 M persons (measured by the <c>population</c> benchmark).
/// An open-addressing table, kept at most 3/4 full, maps the first 8 bytes of each blind index to a
/// 4-byte person key, and one state byte per person key contains status and residency. The blind index
/// is a keyed HMAC-SHA256, so the prefixes are uniform and cannot be chosen without the key. Two registered persons whose prefixes collide make that prefix ambiguous, and
/// their lookups go to the store. An unregistered ID number whose prefix equals a registered one
/// (about 10 M / 2^64 per lookup) would be taken for that person. Person keys above
/// <see cref="int.MaxValue"/> are not held and always go to the store.
/// Readers take no lock. Writers serialise on one lock and publish grown arrays whole, so a reader
/// sees either the old or the new array.
/// </remarks>
public sealed class PopulationDirectory
{
    // State byte: 0 = not held (ask the store); otherwise Held | residency << 2 | status (0 = none, else HealthStatus).
    private const byte Held = 0x80;
    private const int Ambiguous = -1;

    private readonly Lock _write = new();
    private volatile byte[] _states = new byte[1024];
    private volatile IndexTable _index = new(1024);
    private volatile bool _ready;
    private long _count;

    // Sequence of Forget calls, and the sequence of the last Forget per key. A row read from the
    // store before a key was forgotten must not overwrite the forgotten state (see Apply).
    private long _forgets;
    private readonly ConcurrentDictionary<long, long> _forgotten = new();

    /// <summary>True once the whole population is loaded and the last poll is recent; until then lookups go to the store.</summary>
    public bool IsReady => _ready;

    /// <summary>Persons held.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The number of <see cref="Forget"/> calls so far; a reader of the store takes it before the read and passes it to <see cref="Apply"/>.</summary>
    public long ForgetSequence => Interlocked.Read(ref _forgets);

    /// <summary>Bytes held by the directory's arrays (an exact count of the arrays, not of the process).</summary>
    public long MemoryBytes
    {
        get
        {
            var index = _index;
            return _states.LongLength + index.Prefixes.LongLength * sizeof(ulong) + index.Keys.LongLength * sizeof(int);
        }
    }

    public DirectoryAnswer FindByIndex(ReadOnlySpan<byte> blindIndex, out long personKey)
    {
        personKey = 0;
        if (!_ready)
        {
            return DirectoryAnswer.AskStore;
        }

        var table = _index;
        var prefix = Prefix(blindIndex);
        for (var slot = (int)prefix & table.Mask; ; slot = (slot + 1) & table.Mask)
        {
            var stored = Volatile.Read(ref table.Prefixes[slot]);
            if (stored == 0)
            {
                return DirectoryAnswer.Absent;
            }

            if (stored == prefix)
            {
                var key = table.Keys[slot];
                if (key == Ambiguous)
                {
                    return DirectoryAnswer.AskStore;
                }

                personKey = key;
                return DirectoryAnswer.Found;
            }
        }
    }

    public DirectoryAnswer FindStatus(long personKey, out HealthStatus? status, out ResidencyClass residency)
    {
        status = null;
        residency = default;
        if (!_ready)
        {
            return DirectoryAnswer.AskStore;
        }

        var states = _states;
        var state = personKey >= 0 && personKey < states.Length ? Volatile.Read(ref states[personKey]) : (byte)0;
        if ((state & Held) == 0)
        {
            // A key never loaded, forgotten after a change, or registered by another process since the last poll.
            return DirectoryAnswer.AskStore;
        }

        status = (state & 0b11) is var colour and > 0 ? (HealthStatus)colour : null;
        residency = (ResidencyClass)((state >> 2) & 0b111);
        return DirectoryAnswer.Found;
    }

    /// <summary>
    /// Stores rows read from the store. A row whose person was forgotten after
    /// <paramref name="forgetSequenceBeforeRead"/> is skipped, because the read may predate the change.
    /// </summary>
    public void Apply(ReadOnlySpan<PopulationRow> rows, long forgetSequenceBeforeRead)
    {
        lock (_write)
        {
            foreach (var row in rows)
            {
                if (_forgotten.TryGetValue(row.PersonKey, out var forgotten) && forgotten > forgetSequenceBeforeRead)
                {
                    continue;
                }

                Set(row);
            }
        }
    }

    /// <summary>Adds a person whose registration this process just committed.</summary>
    public void Add(PopulationRow row)
    {
        lock (_write)
        {
            Set(row);
        }
    }

    /// <summary>Drops the state of persons whose status this process just changed (or tried to), so their next lookup reads the store.</summary>
    public void Forget(IEnumerable<long> personKeys)
    {
        var sequence = Interlocked.Increment(ref _forgets);
        lock (_write)
        {
            var states = _states;
            foreach (var key in personKeys)
            {
                _forgotten[key] = sequence;
                if (key >= 0 && key < states.Length)
                {
                    Volatile.Write(ref states[key], 0);
                }
            }
        }
    }

    /// <summary>Forgets the per-key guards of <see cref="Forget"/> calls up to <paramref name="sequence"/>, once no read that started before them can still be applied.</summary>
    public void Prune(long sequence)
    {
        foreach (var (key, forgotten) in _forgotten)
        {
            if (forgotten <= sequence)
            {
                _forgotten.TryRemove(KeyValuePair.Create(key, forgotten));
            }
        }
    }

    /// <summary>Sizes the tables for <paramref name="persons"/> persons with keys up to <paramref name="maxKey"/>, so a load does not regrow them.</summary>
    public void Reserve(long persons, long maxKey)
    {
        lock (_write)
        {
            GrowStates(maxKey);
            if (persons * 4 > _index.Capacity * 3L)
            {
                Rehash(persons);
            }
        }
    }

    public void MarkReady(bool ready) => _ready = ready;

    private void Set(PopulationRow row)
    {
        if (row.PersonKey is < 0 or > int.MaxValue - 1)
        {
            return;
        }

        var key = (int)row.PersonKey;
        GrowStates(key);
        var states = _states;
        var isNew = (states[key] & Held) == 0;
        Volatile.Write(ref states[key], Pack(row.Status, row.Residency));

        var table = _index;
        var prefix = Prefix(row.IndexPrefix);
        for (var slot = (int)prefix & table.Mask; ; slot = (slot + 1) & table.Mask)
        {
            var stored = table.Prefixes[slot];
            if (stored == prefix)
            {
                if (table.Keys[slot] != key)
                {
                    table.Keys[slot] = Ambiguous;
                }

                return;
            }

            if (stored == 0)
            {
                table.Keys[slot] = key;
                Volatile.Write(ref table.Prefixes[slot], prefix);
                table.Used++;
                break;
            }
        }

        if (isNew)
        {
            Interlocked.Increment(ref _count);
        }

        if (table.Used * 4L > table.Capacity * 3L)
        {
            Rehash(table.Used * 2L);
        }
    }

    private void GrowStates(long maxKey)
    {
        var states = _states;
        if (maxKey < states.Length)
        {
            return;
        }

        var size = Math.Min(Math.Max(maxKey + 1, states.LongLength * 2), (long)int.MaxValue);
        var grown = new byte[size];
        states.CopyTo(grown, 0);
        _states = grown;
    }

    private void Rehash(long entries)
    {
        var capacity = 1024;
        while (capacity < entries * 4 / 3 + 1 && capacity < 1 << 30)
        {
            capacity <<= 1;
        }

        var old = _index;
        var table = new IndexTable(capacity);
        for (var i = 0; i < old.Capacity; i++)
        {
            if (old.Prefixes[i] is var prefix and not 0)
            {
                var slot = (int)prefix & table.Mask;
                while (table.Prefixes[slot] != 0)
                {
                    slot = (slot + 1) & table.Mask;
                }

                table.Prefixes[slot] = prefix;
                table.Keys[slot] = old.Keys[i];
                table.Used++;
            }
        }

        _index = table;
    }

    private static byte Pack(HealthStatus? status, ResidencyClass residency) =>
        (byte)(Held | ((int)residency & 0b111) << 2 | (status is { } colour ? (int)colour : 0));

    /// <summary>The first 8 bytes of a blind index; 0 marks an empty slot, so a zero prefix is stored as 1.</summary>
    internal static ulong Prefix(ReadOnlySpan<byte> blindIndex)
    {
        var prefix = BinaryPrimitives.ReadUInt64LittleEndian(blindIndex);
        return prefix == 0 ? 1 : prefix;
    }

    private static ulong Prefix(ulong prefix) => prefix == 0 ? 1 : prefix;

    private sealed class IndexTable(int capacity)
    {
        public readonly ulong[] Prefixes = new ulong[capacity];
        public readonly int[] Keys = new int[capacity];
        public readonly int Mask = capacity - 1;
        public int Used;

        public int Capacity => Prefixes.Length;
    }
}

/// <summary>One person's entry in the directory; <see cref="IndexPrefix"/> is the first 8 bytes of the ID number's blind index.</summary>
public readonly record struct PopulationRow(long PersonKey, ulong IndexPrefix, HealthStatus? Status, ResidencyClass Residency);
