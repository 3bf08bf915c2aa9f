namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// A map from person keys to dense indexes, with each person's newest stay. An open-addressing table
/// of indexes (linear probing, at most 70 % full) points into arrays of keys and list heads: 18 to 24
/// bytes a person, where a <see cref="Dictionary{TKey, TValue}"/> entry alone takes 24 or more.
/// </summary>
internal sealed class PersonMap
{
    private const double MaximumLoad = 0.7;

    private long[] _keys;
    private int[] _latest;
    private int[] _slots;
    private int _shift;

    public PersonMap()
        : this([], [], 0)
    {
    }

    /// <summary>A map over the given persons, numbered by their position; the arrays become the map's.</summary>
    public PersonMap(long[] keys, int[] latest, int count)
    {
        _keys = keys;
        _latest = latest;
        Count = count;
        var bits = 4;
        while ((1 << bits) * MaximumLoad < count + 1)
        {
            bits++;
        }

        _slots = new int[1 << bits];
        _shift = 64 - bits;
        for (var i = 0; i < count; i++)
        {
            _slots[FreeSlot(_slots, _shift, keys[i])] = i + 1;
        }
    }

    public int Count { get; private set; }

    /// <summary>Replaces every person's newest stay and returns this map (the bulk rebuild keeps the map it numbered persons with).</summary>
    public PersonMap WithLatest(int[] latest)
    {
        // Growth left up to half the key array unused; a trimmed copy is cheaper than that memory
        // for the lifetime of the index. The next insert grows both arrays again.
        Array.Resize(ref _keys, Count);
        Array.Resize(ref latest, Count);
        _latest = latest;
        return this;
    }

    public long KeyAt(int person) => _keys[person];

    public ref int LatestAt(int person) => ref _latest[person];

    /// <summary>The person's index, or <see cref="ContactIndex.None"/> when unknown and <paramref name="add"/> is false.</summary>
    public int IndexOf(long key, bool add)
    {
        var mask = _slots.Length - 1;
        for (var slot = Home(key, _shift); ; slot = (slot + 1) & mask)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                return add ? Insert(key, slot) : ContactIndex.None;
            }

            if (_keys[entry - 1] == key)
            {
                return entry - 1;
            }
        }
    }

    private int Insert(long key, int slot)
    {
        var index = Count++;
        if (index == _keys.Length)
        {
            var size = Math.Max(1024, index * 2);
            Array.Resize(ref _keys, size);
            Array.Resize(ref _latest, size);
        }

        _keys[index] = key;
        _latest[index] = ContactIndex.None;
        if (Count > _slots.Length * MaximumLoad)
        {
            Grow();
        }
        else
        {
            _slots[slot] = index + 1;
        }

        return index;
    }

    private void Grow()
    {
        var slots = new int[_slots.Length * 2];
        var shift = _shift - 1;
        for (var i = 0; i < Count; i++)
        {
            slots[FreeSlot(slots, shift, _keys[i])] = i + 1;
        }

        (_slots, _shift) = (slots, shift);
    }

    private static int FreeSlot(int[] slots, int shift, long key)
    {
        var mask = slots.Length - 1;
        var slot = Home(key, shift);
        while (slots[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }

        return slot;
    }

    /// <summary>Fibonacci hashing: pseudonymous keys may share low bits, the multiplication spreads them.</summary>
    private static int Home(long key, int shift) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> shift);
}
