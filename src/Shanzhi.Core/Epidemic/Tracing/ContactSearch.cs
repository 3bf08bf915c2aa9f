using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// One trace over the index, run under its read lock: close contacts of the index person inside
/// the window, then, when the rules ask, the contacts of each close contact from that contact's
/// first exposure to the end of the window (the contact is assumed isolated then).
/// </summary>
/// <remarks>
/// <para>Overlaps are half-open: two stays touching at one instant do not overlap, and an overlap
/// must last longer than zero. With <see cref="RuleSet.Cumulative"/> the overlaps of one pair at
/// one place are measured per Asia/Shanghai day as their union, so time covered by two overlapping
/// stays counts once. An overlap across midnight counts towards both days, and the edge spans the
/// first to the last of the day's overlaps. Without it, every overlapping pair of stays is judged
/// on its own. Nothing is capped: a second degree returns every person the rules reach,
/// though only at the place kinds the rule set counts for it
/// (<see cref="RuleSet.SecondDegreePlaceKinds"/>).</para>
/// <para>Work is in integer structs in buffers reused across traces (one set per concurrent trace,
/// from a pool). Each source person's overlaps are sorted by (to, place, start) and measured in
/// one pass. The edges are sorted one run per source person before the <see cref="ContactEdge"/>
/// records are made. Every sort is a primitive sort on a packed 64-bit key, with a comparer only
/// for the short runs of equal keys. A pooled set keeps the size of the largest trace it served:
/// about 84 bytes per edge (found row, sort key and edge row).</para>
/// </remarks>
internal sealed class ContactSearch
{
    private static readonly ConcurrentBag<ContactSearch> Pool = [];

    private Overlap[] _overlaps = new Overlap[1024];
    private int _overlapCount;
    private Found[] _found = new Found[1024];
    private int _foundCount;
    private ulong[] _keys = new ulong[1024];
    private Row[] _rows = new Row[1024];
    private ulong[] _contacts = [];

    /// <summary>The search that shares this trace's work on a second thread, or null.</summary>
    private ContactSearch? _helper;

    /// <summary>The persons a second degree leaves out: this search's <see cref="_contacts"/>, or the main search's in a helper.</summary>
    private ulong[] _excluded = [];
    private readonly List<Source> _sources = [];

    private ContactIndex _index = null!;
    private RuleSet _rules = null!;
    private int _minimum;

    /// <summary>Bit k is set when a place of kind k (0: unknown) counts for the second degree.</summary>
    private uint _secondDegreeKinds;

    public static ContactEdge[] Run(ContactIndex index, RuleSet rules, int person, int windowStart, int windowEnd)
    {
        var search = Pool.TryTake(out var pooled) ? pooled : new ContactSearch();
        try
        {
            search._index = index;
            search._rules = rules;
            search._minimum = (int)Math.Ceiling(rules.MinimumOverlap.TotalSeconds);
            search._secondDegreeKinds = KindMask(rules);
            return search.Run(person, windowStart, windowEnd);
        }
        finally
        {
            if (search._helper is { } helper)
            {
                (helper._index, helper._rules, helper._excluded) = (null!, null!, []);
                Pool.Add(helper);
                search._helper = null;
            }

            search._index = null!;
            search._rules = null!;
            Pool.Add(search);
        }
    }

    private static uint KindMask(RuleSet rules)
    {
        if (rules.SecondDegreePlaceKinds is null)
        {
            return uint.MaxValue;
        }

        var mask = 0u;
        foreach (var kind in rules.SecondDegreePlaceKinds)
        {
            mask |= 1u << (byte)kind;
        }

        return mask;
    }

    private ContactEdge[] Run(int person, int windowStart, int windowEnd)
    {
        _overlapCount = 0;
        _foundCount = 0;
        _sources.Clear();
        Scan(person, windowStart, windowEnd, person, secondDegree: false);
        Qualify(degree: 1);
        var firstDegree = _foundCount;
        _sources.Add(new Source(_index.PersonKeyAt(person), 0, firstDegree));

        if (_rules.SecondDegree && firstDegree > 0)
        {
            var words = (_index.PersonCapacity + 63) >> 6;
            if (_contacts.Length < words)
            {
                _contacts = new ulong[words];
            }

            // Sorted by (to, start), the first row of each contact is its first exposure.
            SortByContact(_found.AsSpan(0, firstDegree));
            var exposures = new List<(int Contact, int From)>();
            for (var i = 0; i < firstDegree; i++)
            {
                var contact = _found[i].To;
                if ((_contacts[contact >> 6] & (1UL << contact)) == 0)
                {
                    _contacts[contact >> 6] |= 1UL << contact;
                    exposures.Add((contact, _found[i].Start));
                }
            }

            try
            {
                _excluded = _contacts;
                SecondDegree(new Exposures(exposures, person, windowEnd));
            }
            finally
            {
                _excluded = [];
                foreach (var (contact, _) in exposures)
                {
                    _contacts[contact >> 6] = 0;
                }
            }
        }

        return Edges();
    }

    /// <summary>
    /// Finds the contacts of every close contact. From <see cref="TracingOptions.ParallelSecondDegreeContacts"/>
    /// close contacts on, a second search from the pool takes a share on a pool thread, its rows are
    /// appended to this one's afterwards, and it makes half of the edges in <see cref="Edges"/>. The
    /// caller's read lock covers both threads because the caller waits for the helper each time.
    /// </summary>
    private void SecondDegree(Exposures exposures)
    {
        if (exposures.Count < _index.ParallelSecondDegreeContacts)
        {
            ContactsOf(exposures);
            return;
        }

        var helper = _helper = Pool.TryTake(out var pooled) ? pooled : new ContactSearch();
        (helper._index, helper._rules, helper._minimum, helper._secondDegreeKinds, helper._excluded) = (_index, _rules, _minimum, _secondDegreeKinds, _excluded);
        (helper._overlapCount, helper._foundCount) = (0, 0);
        helper._sources.Clear();
        var helping = Task.Run(() => helper.ContactsOf(exposures));
        try
        {
            ContactsOf(exposures);
        }
        finally
        {
            helping.GetAwaiter().GetResult();
        }

        var offset = _foundCount;
        EnsureFound(_foundCount + helper._foundCount);
        helper._found.AsSpan(0, helper._foundCount).CopyTo(_found.AsSpan(offset));
        _foundCount += helper._foundCount;
        foreach (var source in helper._sources)
        {
            _sources.Add(source with { First = source.First + offset });
        }
    }

    /// <summary>Takes close contacts from <paramref name="exposures"/> until none are left and appends their contacts to the found rows.</summary>
    private void ContactsOf(Exposures exposures)
    {
        // One contact at a time: sums never cross contacts, and small sorts stay in cache.
        while (exposures.Take() is var (first, end) && first < end)
        {
            for (var i = first; i < end; i++)
            {
                var (contact, exposed) = exposures[i];
                _overlapCount = 0;
                var from = _foundCount;
                Scan(contact, exposed, exposures.WindowEnd, exposures.IndexPerson, secondDegree: true);
                Qualify(degree: 2);
                _sources.Add(new Source(_index.PersonKeyAt(contact), from, _foundCount - from));
            }
        }
    }

    private void EnsureFound(int count)
    {
        if (_found.Length < count)
        {
            Array.Resize(ref _found, Math.Max(count, _found.Length * 2));
        }
    }

    /// <summary>Every co-presence of <paramref name="person"/> with someone else inside [from, to).</summary>
    private void Scan(int person, int from, int to, int indexPerson, bool secondDegree)
    {
        var horizon = _index.WalkHorizon;
        for (var id = _index.LatestStayOf(person); id != ContactIndex.None; id = _index.StayAt(id).Previous)
        {
            ref var own = ref _index.StayAt(id);
            if (ContactIndex.AnchorOf(own) + (long)horizon <= from)
            {
                break;
            }

            var start = Math.Max(own.Start, from);
            var end = Math.Min(own.End, to);
            if (start >= end)
            {
                continue;
            }

            var placeIndex = own.Place;
            ref var place = ref _index.PlaceAt(placeIndex);
            if (secondDegree && (_secondDegreeKinds & (1u << place.Kind)) == 0)
            {
                continue;
            }

            var lowest = start - place.MaximumDuration;
            ScanBase(ref place, lowest, person, placeIndex, start, end, indexPerson, secondDegree);

            var tail = place.Tail;
            for (var i = _index.FirstInTail(ref place, lowest); i < place.TailCount; i++)
            {
                ref var other = ref _index.StayAt(tail[i]);
                if (other.Start >= end)
                {
                    break;
                }

                Consider(in other, person, placeIndex, start, end, indexPerson, secondDegree);
            }
        }
    }

    /// <summary>
    /// Scans the place's compacted stays that start in [lowest, end) and skips the groups and blocks
    /// whose stays all ended by <paramref name="start"/>. Such a block holds no stay that starts at
    /// or after <paramref name="end"/> either, so skipping it never skips the end of the scan.
    /// </summary>
    private void ScanBase(ref PlaceStays place, int lowest, int person, int placeIndex, int start, int end, int indexPerson, bool secondDegree)
    {
        var ends = _index.EndBlocks;
        var last = place.First + place.BaseCount;
        var i = _index.FirstInBase(ref place, lowest);
        while (i < last)
        {
            if (ends.GroupMaximum(i) <= start)
            {
                i = (i | (StayEndBlocks.GroupSize - 1)) + 1;
                continue;
            }

            if (ends.BlockMaximum(i) <= start)
            {
                i = (i | (StayEndBlocks.BlockSize - 1)) + 1;
                continue;
            }

            var blockEnd = Math.Min(last, (i | (StayEndBlocks.BlockSize - 1)) + 1);
            for (; i < blockEnd; i++)
            {
                ref var other = ref _index.StayAt(i);
                if (other.Start >= end)
                {
                    return;
                }

                Consider(in other, person, placeIndex, start, end, indexPerson, secondDegree);
            }
        }
    }

    private void Consider(in Stay other, int person, int place, int start, int end, int indexPerson, bool secondDegree)
    {
        var s = Math.Max(start, other.Start);
        var e = Math.Min(end, other.End);
        var to = other.Person;
        if (e <= s || to == person || (secondDegree && (to == indexPerson || (_excluded[to >> 6] & (1UL << to)) != 0)))
        {
            return;
        }

        if (_overlapCount == _overlaps.Length)
        {
            Array.Resize(ref _overlaps, _overlaps.Length * 2);
        }

        _overlaps[_overlapCount++] = new Overlap(person, to, place, s, e);
    }

    /// <summary>Turns the overlaps into qualifying contacts appended to the found rows.</summary>
    private void Qualify(int degree)
    {
        if (_rules.Cumulative)
        {
            SplitAtMidnight();
        }

        // Per-stay rules judge each overlap alone, so only sums need the overlaps of a pair together.
        // Edges sorts every row into the published order, so the order of the found rows is free.
        var overlaps = _overlaps.AsSpan(0, _overlapCount);
        if (_rules.Cumulative)
        {
            SortByPair(overlaps);
        }

        var from = _foundCount;
        for (var i = 0; i < overlaps.Length;)
        {
            var o = overlaps[i];
            var (start, end, total) = (o.Start, o.End, o.End - o.Start);
            var j = i + 1;
            if (_rules.Cumulative)
            {
                // The run is sorted by start, so end is the latest end so far and only the part of
                // the next overlap after it is new time. Two stays of one person at one place can
                // overlap (an exit-only stay reaches back over the stay before it), and the minutes
                // both were present count once.
                var day = IndexClock.ShanghaiDay(o.Start);
                for (; j < overlaps.Length && overlaps[j].SamePair(o) && IndexClock.ShanghaiDay(overlaps[j].Start) == day; j++)
                {
                    total += Math.Max(0, overlaps[j].End - Math.Max(overlaps[j].Start, end));
                    end = Math.Max(end, overlaps[j].End);
                }
            }

            if (total >= _minimum)
            {
                if (_foundCount == _found.Length)
                {
                    Array.Resize(ref _found, _found.Length * 2);
                }

                _found[_foundCount++] = new Found(_index.PlaceIdAt(o.Place), degree, o.From, o.To, start, end, total);
            }

            i = j;
        }

        _overlapCount = 0;
    }

    /// <summary>Cuts overlaps that cross an Asia/Shanghai midnight into one piece per day.</summary>
    private void SplitAtMidnight()
    {
        var count = _overlapCount;
        for (var i = 0; i < count; i++)
        {
            var o = _overlaps[i];
            var midnight = IndexClock.NextShanghaiMidnight(o.Start);
            if (o.End <= midnight)
            {
                continue;
            }

            _overlaps[i] = o with { End = midnight };
            for (var start = midnight; start < o.End; start = midnight)
            {
                midnight = IndexClock.NextShanghaiMidnight(start);
                if (_overlapCount == _overlaps.Length)
                {
                    Array.Resize(ref _overlaps, _overlaps.Length * 2);
                }

                _overlaps[_overlapCount++] = o with { Start = start, End = Math.Min(o.End, midnight) };
            }
        }
    }

    /// <summary>
    /// Makes the edge records in the published order. The found rows come in one run per source
    /// person (the index person's, then one per close contact), so the runs are put in order of
    /// their source's key and each run is sorted on its own. That gives the order of one sort over
    /// all rows at a fraction of its cost, since a run is a few hundred rows.
    /// </summary>
    private ContactEdge[] Edges()
    {
        // The first run is degree 1 and stays first. The degree-2 runs follow in order of source key.
        SortSources();
        if (_rows.Length < _foundCount)
        {
            _rows = new Row[Math.Max(_foundCount, _rows.Length * 2)];
        }

        var edges = new ContactEdge[_foundCount];
        if (_helper is not { } helper)
        {
            MakeEdges(this, 0, _sources.Count, 0, edges);
            return edges;
        }

        // The helper makes the edges of the sources after the one that reaches half of the rows.
        var (split, at) = (0, 0);
        while (split < _sources.Count && at < _foundCount / 2)
        {
            at += _sources[split++].Count;
        }

        var helping = Task.Run(() => helper.MakeEdges(this, split, _sources.Count, at, edges));
        try
        {
            MakeEdges(this, 0, split, 0, edges);
        }
        finally
        {
            helping.GetAwaiter().GetResult();
        }

        return edges;
    }

    /// <summary>
    /// Makes the edges of <paramref name="owner"/>'s sources [<paramref name="first"/>, <paramref name="end"/>),
    /// whose rows start at <paramref name="at"/>, with this search's sort keys.
    /// </summary>
    private void MakeEdges(ContactSearch owner, int first, int end, int at, ContactEdge[] edges)
    {
        var (index, found, rows, version) = (owner._index, owner._found, owner._rows, owner._rules.Version);
        var start = at;
        for (var s = first; s < end; s++)
        {
            var source = owner._sources[s];
            for (var i = source.First; i < source.First + source.Count; i++)
            {
                var f = found[i];
                rows[at + i - source.First] = new Row(source.Key, index.PersonKeyAt(f.To), f.PlaceId, f.Degree, f.Start, f.End, f.Total);
            }

            SortRows(rows.AsSpan(at, source.Count));
            at += source.Count;
        }

        for (var i = start; i < at; i++)
        {
            var r = rows[i];
            edges[i] = new ContactEdge(r.From, r.To, r.Degree, r.PlaceId, IndexClock.FromSeconds(r.Start), IndexClock.FromSeconds(r.End),
                TimeSpan.FromSeconds(r.Total), version);
        }
    }

    /// <summary>
    /// Sorts overlaps by (to, place, start): a primitive sort on (to, place) packed into one 64-bit
    /// key, which is much faster than a comparer, then each run of one pair by start. A pair meets
    /// at a place a few times in a window, so those runs are short.
    /// </summary>
    private void SortByPair(Span<Overlap> overlaps)
    {
        if (overlaps.Length < 2)
        {
            return;
        }

        var keys = Keys(overlaps.Length);
        for (var i = 0; i < overlaps.Length; i++)
        {
            keys[i] = ((ulong)(uint)overlaps[i].To << 32) | (uint)overlaps[i].Place;
        }

        keys.Sort(overlaps);
        SortRuns(keys, overlaps, default(ByStart));
    }

    /// <summary>Sorts found rows by (to, start) with (to, start) packed into one 64-bit key; the rest of the order is free.</summary>
    private void SortByContact(Span<Found> found)
    {
        var keys = Keys(found.Length);
        for (var i = 0; i < found.Length; i++)
        {
            keys[i] = ((ulong)(uint)found[i].To << 32) | (uint)found[i].Start;
        }

        keys.Sort(found);
    }

    /// <summary>Sorts the rows of one source into the published order: by the contact's key, then each run of one contact with the full comparer.</summary>
    private void SortRows(Span<Row> rows)
    {
        if (rows.Length < 2)
        {
            return;
        }

        var keys = Keys(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            keys[i] = SignedOrder(rows[i].To);
        }

        keys.Sort(rows);
        SortRuns(keys, rows, default(ByEdgeOrder));
    }

    /// <summary>Sorts the close contacts' sources (all but the first) by person key; each key appears once.</summary>
    private void SortSources()
    {
        var sources = CollectionsMarshal.AsSpan(_sources)[1..];
        var keys = Keys(sources.Length);
        for (var i = 0; i < sources.Length; i++)
        {
            keys[i] = SignedOrder(sources[i].Key);
        }

        keys.Sort(sources);
    }

    /// <summary>Flips the sign bit, so that signed keys keep their order as unsigned numbers.</summary>
    private static ulong SignedOrder(long key) => (ulong)key ^ (1UL << 63);

    private Span<ulong> Keys(int count)
    {
        if (_keys.Length < count)
        {
            _keys = new ulong[Math.Max(count, _keys.Length * 2)];
        }

        return _keys.AsSpan(0, count);
    }

    /// <summary>Sorts each run of equal <paramref name="keys"/> in <paramref name="items"/> with <paramref name="comparer"/>.</summary>
    private static void SortRuns<T, TComparer>(Span<ulong> keys, Span<T> items, TComparer comparer)
        where TComparer : IComparer<T>
    {
        for (var i = 0; i < keys.Length;)
        {
            var j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                items[i..j].Sort(comparer);
            }

            i = j;
        }
    }

    /// <summary>The close contacts of one trace with their first exposures, handed out in chunks to the searches that share the second degree.</summary>
    private sealed class Exposures(List<(int Contact, int From)> exposures, int indexPerson, int windowEnd)
    {
        // A chunk is a 64th of the list, kept between 1 and 64 contacts, so both threads get a share of short lists too.
        private readonly int _chunk = Math.Clamp(exposures.Count / 64, 1, 64);
        private int _next;

        public int Count => exposures.Count;

        public int IndexPerson => indexPerson;

        public int WindowEnd => windowEnd;

        public (int Contact, int From) this[int i] => exposures[i];

        /// <summary>Claims the next chunk [First, End); empty when every contact is taken.</summary>
        public (int First, int End) Take()
        {
            var end = Interlocked.Add(ref _next, _chunk);
            var first = end - _chunk;
            return first >= exposures.Count ? (0, 0) : (first, Math.Min(end, exposures.Count));
        }
    }

    private readonly record struct Overlap(int From, int To, int Place, int Start, int End)
    {
        public bool SamePair(Overlap other) => From == other.From && To == other.To && Place == other.Place;
    }

    /// <summary>A qualifying contact. The place id is read here, where the place was just scanned, rather than when the edge is made.</summary>
    private readonly record struct Found(long PlaceId, int Degree, int From, int To, int Start, int End, int Total);

    /// <summary>The found rows [First, First + Count) whose source person has the key <paramref name="Key"/>.</summary>
    private readonly record struct Source(long Key, int First, int Count);

    /// <summary>An edge before it becomes a record, longs first so the struct has no padding.</summary>
    private readonly record struct Row(long From, long To, long PlaceId, int Degree, int Start, int End, int Total);

    /// <summary>Orders overlaps of one pair at one place by start, then end.</summary>
    private readonly struct ByStart : IComparer<Overlap>
    {
        public int Compare(Overlap a, Overlap b)
        {
            var c = a.Start.CompareTo(b.Start);
            return c != 0 ? c : a.End.CompareTo(b.End);
        }
    }

    /// <summary>The published order: degree, from, to (person keys), overlap start, place id, overlap end.</summary>
    private readonly struct ByEdgeOrder : IComparer<Row>
    {
        public int Compare(Row a, Row b)
        {
            var c = a.Degree.CompareTo(b.Degree);
            c = c != 0 ? c : a.From.CompareTo(b.From);
            c = c != 0 ? c : a.To.CompareTo(b.To);
            c = c != 0 ? c : a.Start.CompareTo(b.Start);
            c = c != 0 ? c : a.PlaceId.CompareTo(b.PlaceId);
            c = c != 0 ? c : a.End.CompareTo(b.End);
            return c != 0 ? c : a.Total.CompareTo(b.Total);
        }
    }
}

/// <summary>
/// The latest stay end per block of 64 and per group of 4,096 stay ids in the compacted range,
/// which is grouped by place in start order. A scan skips a block or group that ended before its
/// window. Without that, one long stay at a busy place makes every scan there walk all arrivals
/// since that long stay began. A block that spans two places stores the maximum of both, which only
/// skips less. It costs about 0.07 bytes per compacted stay.
/// </summary>
/// <remarks>
/// The index rebuilds it after each compaction (<see cref="Build"/>) and raises it when a compacted
/// stay's end moves later (<see cref="Raise"/>), both under its write lock. Ends that move earlier
/// leave it too high, which is safe.
/// </remarks>
internal sealed class StayEndBlocks
{
    public const int BlockShift = 6;
    public const int BlockSize = 1 << BlockShift;
    public const int GroupShift = 12;
    public const int GroupSize = 1 << GroupShift;

    public static readonly StayEndBlocks Empty = new([], []);

    private readonly int[] _blocks;
    private readonly int[] _groups;

    private StayEndBlocks(int[] blocks, int[] groups) => (_blocks, _groups) = (blocks, groups);

    /// <summary>Computes the maxima over the index's compacted stays, ids [0, <paramref name="count"/>).</summary>
    public static StayEndBlocks Build(ContactIndex index, int count)
    {
        var blocks = new int[(count + BlockSize - 1) >> BlockShift];
        var groups = new int[(count + GroupSize - 1) >> GroupShift];
        blocks.AsSpan().Fill(int.MinValue);
        groups.AsSpan().Fill(int.MinValue);
        for (var id = 0; id < count; id++)
        {
            var end = index.StayAt(id).End;
            ref var block = ref blocks[id >> BlockShift];
            block = Math.Max(block, end);
            ref var group = ref groups[id >> GroupShift];
            group = Math.Max(group, end);
        }

        return new StayEndBlocks(blocks, groups);
    }

    public int BlockMaximum(int id) => _blocks[id >> BlockShift];

    public int GroupMaximum(int id) => _groups[id >> GroupShift];

    /// <summary>Records that stay <paramref name="id"/> now ends at <paramref name="end"/>. Ids past the compacted range are ignored.</summary>
    public void Raise(int id, int end)
    {
        if (id >> BlockShift < _blocks.Length)
        {
            ref var block = ref _blocks[id >> BlockShift];
            block = Math.Max(block, end);
            ref var group = ref _groups[id >> GroupShift];
            group = Math.Max(group, end);
        }
    }
}
