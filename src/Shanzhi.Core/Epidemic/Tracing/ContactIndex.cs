using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>A passage reduced to what the contact index keeps.</summary>
public readonly record struct IndexedPassage(long PersonKey, long PlaceId, DateTimeOffset At, PassageDirection Direction);

/// <summary>
/// The in-memory contact index: every identified person's stays at places, kept current by the
/// passage observer, rebuilt from the store at start (<see cref="ContactIndexLoader"/>) and compacted
/// while running (<see cref="Compact()"/>), which also drops stays past the movement retention.
/// </summary>
/// <remarks>
/// <para>Stays, not points. A person's passages, taken in time order, make their stays. An In whose
/// next passage is an Out at the same place within <see cref="TracingOptions.MaximumStay"/> is one
/// stay. An In without such an Out lasts the place kind's default dwell, cut short by the person's
/// next passage. An Out without an In is a stay of the default dwell ending at the Out. Arrival order
/// does not matter: a passage older than the person's newest ones re-pairs the stays it falls among
/// (see <see cref="Apply"/>).</para>
/// <para>Layout: stays live in fixed-size chunks of 20-byte structs (place and stay kind, person,
/// start, end, previous stay of the same person), so growth never copies the whole store and no array
/// reaches the 2 GiB limit. Compaction writes the live stays grouped by place in start order, so the
/// stays of a place are one range. Stays added since the last compaction are also listed per place in
/// start order, at 4 more bytes each. Each person's stays form a linked list, newest first, in the
/// order of their first passages. Person keys map to dense ints through an open-addressing table.
/// After compaction the index took 13.7 bytes per passage at 1 M persons / 10 M passages of the
/// synthetic city (docs/benchmarks.md, "Contact tracing").</para>
/// <para>Concurrency: one writer (ingest, rebuild, compaction) and many readers (traces) share a
/// <see cref="ReaderWriterLockSlim"/>. Writes are short batches. Compaction builds the new layout
/// under an upgradeable read lock, so traces go on meanwhile and only ingest waits, then swaps it in
/// under the write lock. A copy-on-write snapshot per write would double the memory of what it copies.</para>
/// <para>Retention: with a <see cref="RetentionOptions"/> policy for <see cref="RetentionClasses.Movement"/>,
/// compaction drops passages older than the policy, as the retention job deletes them from the
/// store, and persons left without stays. A stay whose In expired keeps its Out as an exit-only
/// stay, as a rebuild would make it. Built without one (benchmarks, data tests), or with a policy of
/// 0 days or less, which the retention job skips too, nothing expires.</para>
/// </remarks>
public sealed class ContactIndex : IContactTracer, IPassageObserver, IPlaceObserver, IDisposable
{
    internal const int ChunkShift = 16;
    internal const int ChunkSize = 1 << ChunkShift;
    internal const int None = -1;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TracingOptions _options;
    private readonly TimeSpan? _retention;
    private readonly TimeProvider _time;
    private readonly int _maximumStay;

    private Stay[][] _chunks = [];
    private int _stayCount;
    private int _baseCount;
    private int _liveStays;
    private long _passageCount;
    private int _longestStay;
    private bool _hasFixedStays;
    private StayEndBlocks _endBlocks = StayEndBlocks.Empty;

    private readonly Dictionary<long, int> _placeIndex = [];
    private readonly Dictionary<long, PlaceKind> _placeKinds = [];
    private PlaceStays[] _places = [];
    private int _placeCount;

    private PersonMap _persons = new();

    private List<IndexedPassage>? _pending;

    private readonly List<int> _region = [];
    private readonly List<Point> _points = [];
    private readonly List<Derived> _derived = [];

    /// <summary>An index without retention: nothing expires (benchmarks, tests on historic data).</summary>
    public ContactIndex(IOptions<TracingOptions> options)
        : this(options, (TimeSpan?)null, TimeProvider.System)
    {
    }

    /// <summary>An index that forgets passages older than the movement retention policy at each compaction.</summary>
    public ContactIndex(IOptions<TracingOptions> options, IOptions<RetentionOptions> retention, TimeProvider time)
        : this(options, retention.Value.DaysOf(RetentionClasses.Movement) is { } days ? TimeSpan.FromDays(days) : null, time)
    {
    }

    private ContactIndex(IOptions<TracingOptions> options, TimeSpan? retention, TimeProvider time)
    {
        _options = options.Value;
        _retention = retention;
        _time = time;
        _maximumStay = Seconds(_options.MaximumStay);
    }

    /// <summary>False until the first rebuild from the store has finished.</summary>
    public bool IsReady { get; private set; }

    /// <summary>Distinct passages the stays were made from (a passage seen twice counts once).</summary>
    public long PassageCount => Read(() => _passageCount);

    public int StayCount => Read(() => _liveStays);

    public int PersonCount => Read(() => _persons.Count);

    public int PlaceCount => Read(() => _placeCount);

    /// <summary>Tells the index a place's kind, which picks its default dwell for unpaired passages.</summary>
    public void SetPlaceKind(long placeId, PlaceKind kind) => Write(() =>
    {
        _placeKinds[placeId] = kind;
        if (_placeIndex.TryGetValue(placeId, out var place))
        {
            _places[place].Dwell = DwellSeconds(placeId);
            _places[place].Kind = (byte)kind;
        }
    });

    void IPlaceObserver.OnRegistered(long placeId, PlaceKind kind) => SetPlaceKind(placeId, kind);

    /// <summary>The place's kind as the index has it, or null while it has none (the place's passages then get the unknown-kind dwell).</summary>
    internal PlaceKind? PlaceKindOf(long placeId) => Read(() => _placeKinds.TryGetValue(placeId, out var kind) ? kind : (PlaceKind?)null);

    public void OnCommitted(IReadOnlyList<PassageRecord> passages)
    {
        var batch = new List<IndexedPassage>(passages.Count);
        foreach (var p in passages)
        {
            if (p.PersonKey is { } person)
            {
                batch.Add(new IndexedPassage(person, p.PlaceId, p.OccurredAt, p.Direction));
            }
        }

        AddCommitted(batch);
    }

    /// <summary>
    /// Adds passages committed to the store, holding them back while a rebuild runs, as
    /// <see cref="OnCommitted"/> does. <see cref="PassageCatchUp"/> adds those of other processes here.
    /// </summary>
    internal void AddCommitted(List<IndexedPassage> batch)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_pending is not null)
            {
                _pending.AddRange(batch);
                return;
            }

            foreach (var passage in batch)
            {
                Apply(passage);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds passages in any order (the rebuild and the benchmarks call this); time order is the cheap case.</summary>
    public void Add(ReadOnlySpan<IndexedPassage> passages)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var passage in passages)
            {
                Apply(passage);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds a stay whose bounds are known (day-level route data, contact intervals); it takes no part in pairing.</summary>
    public void AddStay(long personKey, long placeId, DateTimeOffset start, DateTimeOffset end) => Write(() =>
    {
        var person = _persons.IndexOf(personKey, add: true);
        _hasFixedStays = true;
        Append(PlaceIndex(placeId), StayKind.Fixed, person, IndexClock.ToSeconds(start), IndexClock.ToSeconds(end));
    });

    /// <summary>
    /// Empties the index before a rebuild. Passages committed meanwhile are held back and replayed by
    /// <see cref="EndRebuild()"/> (or built in by <see cref="EndRebuild(RebuildBuffer)"/>), because the
    /// rebuild's query may or may not have seen them.
    /// </summary>
    public void BeginRebuild() => Write(() =>
    {
        _chunks = [];
        _stayCount = 0;
        _baseCount = 0;
        _liveStays = 0;
        _passageCount = 0;
        _longestStay = 0;
        _placeIndex.Clear();
        _places = [];
        _placeCount = 0;
        _persons = new PersonMap();
        _pending = [];
        IsReady = false;
    });

    /// <summary>
    /// Replays the passages committed during the rebuild (one the rebuild already saw changes
    /// nothing), then compacts.
    /// </summary>
    public void EndRebuild() => Write(() =>
    {
        foreach (var passage in _pending ?? [])
        {
            Apply(passage);
        }

        _pending = null;
        Install(Compaction.Build(this, Cutoff()));
        IsReady = true;
    });

    /// <summary>
    /// Ends a rebuild whose passages were collected in <paramref name="passages"/> instead of added:
    /// builds the compacted layout from them and from the passages committed so far in one pass
    /// (<see cref="Compaction.FromPassages"/>), then installs it and replays the passages committed
    /// during the build. Ingest waits only for the install, not for the build.
    /// </summary>
    internal void EndRebuild(RebuildBuffer passages)
    {
        var taken = 0;
        var placeOf = Array.Empty<int>();
        var places = Array.Empty<PlaceStays>();
        var placeCount = 0;
        Write(() =>
        {
            // The pending passages stay listed until the install, so a failed build loses none of
            // them: the loader's fallback EndRebuild() replays them all.
            taken = _pending?.Count ?? 0;
            passages.Add(CollectionsMarshal.AsSpan(_pending));
            placeOf = [.. passages.PlaceIds.Select(PlaceIndex)];
            (places, placeCount) = (_places, _placeCount);
        });

        var (built, distinct) = Compaction.FromPassages(passages, placeOf, places, placeCount, _maximumStay, Cutoff());
        Write(() =>
        {
            Install(built);
            _passageCount = distinct;
            foreach (var passage in CollectionsMarshal.AsSpan(_pending)[taken..])
            {
                Apply(passage);
            }

            _pending = null;
            IsReady = true;
        });
    }

    /// <summary>
    /// Forgets passages past the movement retention and persons left without stays, and regroups the
    /// stays by place. Traces go on meanwhile; ingest waits. Returns what it dropped.
    /// </summary>
    public CompactionResult Compact()
    {
        _lock.EnterUpgradeableReadLock();
        try
        {
            var (stays, persons) = (_liveStays, _persons.Count);
            var compacted = Compaction.Build(this, Cutoff());
            _lock.EnterWriteLock();
            try
            {
                Install(compacted);
            }
            finally
            {
                _lock.ExitWriteLock();
            }

            return new CompactionResult(stays - _liveStays, persons - _persons.Count, _liveStays, _persons.Count);
        }
        finally
        {
            _lock.ExitUpgradeableReadLock();
        }
    }

    public TraceResult Trace(TraceRequest request)
    {
        var window = TraceWindow.For(request);
        _lock.EnterReadLock();
        try
        {
            var index = _persons.IndexOf(request.IndexPersonKey, add: false);
            if (index == None)
            {
                return new TraceResult(request.IndexPersonKey, []);
            }

            return new TraceResult(request.IndexPersonKey,
                ContactSearch.Run(this, request.Rules, index, IndexClock.ToSeconds(window.Start), IndexClock.ToSeconds(window.End)));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Every stay with its bounds in seconds since <see cref="IndexClock.Epoch"/>, for benchmarks that load the same stays into SQL.</summary>
    internal List<(long Person, long Place, int Start, int End)> ExportStays() => Read(() =>
    {
        var stays = new List<(long, long, int, int)>(_liveStays);
        for (var id = 0; id < _stayCount; id++)
        {
            var stay = StayAt(id);
            if (stay.Kind != StayKind.Removed)
            {
                stays.Add((_persons.KeyAt(stay.Person), _places[stay.Place].Id, stay.Start, stay.End));
            }
        }

        return stays;
    });

    internal ref Stay StayAt(int id) => ref _chunks[id >> ChunkShift][id & (ChunkSize - 1)];

    internal int StayCapacity => _stayCount;

    internal int LatestStayOf(int person) => _persons.LatestAt(person);

    internal long PersonKeyAt(int person) => _persons.KeyAt(person);

    internal int PersonCapacity => _persons.Count;

    internal long PlaceIdAt(int place) => _places[place].Id;

    internal int ParallelSecondDegreeContacts => _options.ParallelSecondDegreeContacts;

    internal int PlaceCountUnlocked => _placeCount;

    internal ref PlaceStays PlaceAt(int place) => ref _places[place];

    internal PersonMap Persons => _persons;

    /// <summary>Latest stay end per block of the compacted range, which lets a search skip stays that ended before its window.</summary>
    internal StayEndBlocks EndBlocks => _endBlocks;

    /// <summary>
    /// Longest stay anywhere; a person's stays are ordered by first passage, so the walk back through
    /// them can stop once that passage is this long before the window. Unknown with stays of fixed bounds.
    /// </summary>
    internal int WalkHorizon => _hasFixedStays ? int.MaxValue / 2 : _longestStay;

    /// <summary>
    /// Adds one passage. The person's stays from the last one that begins before the passage onwards
    /// are turned back into the passages they were made from, the new passage joins them in time
    /// order and they are paired again; stays that come out the same stay where they are, the rest
    /// are replaced. A passage in time order touches only the newest stay; a passage already
    /// recorded changes nothing.
    /// </summary>
    private void Apply(IndexedPassage passage)
    {
        var person = _persons.IndexOf(passage.PersonKey, add: true);
        var place = PlaceIndex(passage.PlaceId);
        var added = new Point(IndexClock.ToSeconds(passage.At), passage.Direction, place);
        if (AppendInOrder(person, added))
        {
            return;
        }

        _region.Clear();
        _points.Clear();
        _derived.Clear();
        var fixedStays = false;
        for (var id = _persons.LatestAt(person); id != None; id = StayAt(id).Previous)
        {
            ref var stay = ref StayAt(id);
            _region.Add(id);
            if (stay.Kind == StayKind.Fixed)
            {
                fixedStays = true;
                continue;
            }

            if (AnchorOf(stay) < added.At)
            {
                break;
            }
        }

        _region.Reverse();
        foreach (var id in _region)
        {
            var stay = StayAt(id);
            switch (stay.Kind)
            {
                case StayKind.Paired:
                    _points.Add(new Point(stay.Start, PassageDirection.In, stay.Place));
                    _points.Add(new Point(stay.End, PassageDirection.Out, stay.Place));
                    break;
                case StayKind.InOnly:
                    _points.Add(new Point(stay.Start, PassageDirection.In, stay.Place));
                    break;
                case StayKind.OutOnly:
                    _points.Add(new Point(stay.End, PassageDirection.Out, stay.Place));
                    break;
            }
        }

        if (_points.Contains(added))
        {
            return;
        }

        _passageCount++;
        var inOrder = _points.Count == 0 || Point.Compare(_points[^1], added, _places) < 0;
        _points.Add(added);
        if (!inOrder)
        {
            _points.Sort(new PointOrder(_places));
        }

        CollectionsMarshal.SetCount(_derived, _points.Count);
        var paired = Pair(CollectionsMarshal.AsSpan(_points), _places, _maximumStay, CollectionsMarshal.AsSpan(_derived));
        CollectionsMarshal.SetCount(_derived, paired);
        if (fixedStays)
        {
            foreach (var id in _region)
            {
                var stay = StayAt(id);
                if (stay.Kind == StayKind.Fixed)
                {
                    _derived.Add(new Derived(stay.Place, StayKind.Fixed, stay.Start, stay.End));
                }
            }

            _derived.Sort(static (a, b) => a.Anchor.CompareTo(b.Anchor));
        }

        Replace(person, _region, _derived);
    }

    /// <summary>
    /// Adds a passage later than all of the person's others the way <see cref="Pair"/> would, without
    /// rebuilding the newest stay. Returns false, changing nothing, for any other passage.
    /// </summary>
    private bool AppendInOrder(int person, Point added)
    {
        var latest = _persons.LatestAt(person);
        if (latest != None)
        {
            ref var stay = ref StayAt(latest);
            var kind = stay.Kind;
            if (kind == StayKind.Fixed || (kind == StayKind.InOnly ? stay.Start : stay.End) >= added.At)
            {
                return false;
            }

            if (kind == StayKind.InOnly)
            {
                if (added.Direction == PassageDirection.Out && added.Place == stay.Place && added.At - stay.Start <= _maximumStay)
                {
                    stay.Kind = StayKind.Paired;
                    stay.End = added.At;
                    _endBlocks.Raise(latest, added.At);
                    Widen(ref _places[added.Place], added.At - stay.Start);
                    _passageCount++;
                    return true;
                }

                stay.End = Math.Min(stay.End, added.At);
            }
        }

        _passageCount++;
        var dwell = _places[added.Place].Dwell;
        if (added.Direction == PassageDirection.In)
        {
            Append(added.Place, StayKind.InOnly, person, added.At, added.At + dwell);
        }
        else
        {
            Append(added.Place, StayKind.OutOnly, person, Math.Max(0, added.At - dwell), added.At);
        }

        return true;
    }

    /// <summary>
    /// Pairs one person's passages, in time order and without duplicates, into <paramref name="stays"/>
    /// (room for one stay per passage) and returns how many it wrote. Both the passage-by-passage path
    /// and the bulk rebuild (<see cref="Compaction.FromPassages"/>) pair through here.
    /// </summary>
    internal static int Pair(ReadOnlySpan<Point> points, ReadOnlySpan<PlaceStays> places, int maximumStay, Span<Derived> stays)
    {
        var count = 0;
        var open = None;
        foreach (var p in points)
        {
            if (open != None)
            {
                var o = stays[open];
                if (p.Direction == PassageDirection.Out && p.Place == o.Place && p.At - o.Start <= maximumStay)
                {
                    stays[open] = o with { Kind = StayKind.Paired, End = p.At };
                    open = None;
                    continue;
                }

                if (p.At < o.End)
                {
                    stays[open] = o with { End = Math.Max(p.At, o.Start) };
                }

                open = None;
            }

            var dwell = places[p.Place].Dwell;
            if (p.Direction == PassageDirection.In)
            {
                open = count;
                stays[count++] = new Derived(p.Place, StayKind.InOnly, p.At, p.At + dwell);
            }
            else
            {
                stays[count++] = new Derived(p.Place, StayKind.OutOnly, Math.Max(0, p.At - dwell), p.At);
            }
        }

        return count;
    }

    /// <summary>
    /// Puts the re-paired stays in place of the old ones (both oldest first). Leading stays with the
    /// same place and start are updated where they are, since their position in the place's order
    /// holds; the others are marked removed (compaction drops them) and the new ones appended.
    /// </summary>
    private void Replace(int person, List<int> old, List<Derived> stays)
    {
        var kept = 0;
        while (kept < old.Count && kept < stays.Count)
        {
            ref var stay = ref StayAt(old[kept]);
            var now = stays[kept];
            if (stay.Place != now.Place || stay.Start != now.Start || (stay.Kind == StayKind.Fixed) != (now.Kind == StayKind.Fixed))
            {
                break;
            }

            stay.Kind = now.Kind;
            stay.End = now.End;
            _endBlocks.Raise(old[kept], now.End);
            Widen(ref _places[now.Place], now.End - now.Start);
            kept++;
        }

        if (kept < old.Count)
        {
            _persons.LatestAt(person) = kept > 0 ? old[kept - 1] : StayAt(old[0]).Previous;
            for (var i = kept; i < old.Count; i++)
            {
                ref var removed = ref StayAt(old[i]);
                removed.Kind = StayKind.Removed;
                removed.End = removed.Start;
                removed.Previous = None;
                _liveStays--;
            }
        }

        for (var i = kept; i < stays.Count; i++)
        {
            Append(stays[i].Place, stays[i].Kind, person, stays[i].Start, stays[i].End);
        }
    }

    private int Append(int place, StayKind kind, int person, int start, int end)
    {
        var id = _stayCount;
        var chunk = id >> ChunkShift;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length + 1);
            _chunks[^1] = new Stay[ChunkSize];
        }
        else if (_chunks[chunk].Length < ChunkSize)
        {
            Array.Resize(ref _chunks[chunk], ChunkSize);
        }

        ref var latest = ref _persons.LatestAt(person);
        StayAt(id) = new Stay(place, kind, person, start, end, latest);
        latest = id;
        _stayCount++;
        _liveStays++;

        ref var stays = ref _places[place];
        Widen(ref stays, end - start);
        if (stays.TailCount == stays.Tail.Length)
        {
            Array.Resize(ref stays.Tail, Math.Max(4, stays.TailCount * 2));
        }

        var at = stays.TailCount;
        if (at > 0 && StayAt(stays.Tail[at - 1]).Start > start)
        {
            at = FirstInTail(ref stays, start + 1);
            Array.Copy(stays.Tail, at, stays.Tail, at + 1, stays.TailCount - at);
        }

        stays.Tail[at] = id;
        stays.TailCount++;
        return id;
    }

    private void Widen(ref PlaceStays stays, int duration)
    {
        stays.MaximumDuration = Math.Max(stays.MaximumDuration, duration);
        _longestStay = Math.Max(_longestStay, duration);
    }

    /// <summary>Position of the first stay in the place's compacted range that starts at or after <paramref name="start"/>.</summary>
    internal int FirstInBase(ref PlaceStays stays, int start)
    {
        int lo = stays.First, hi = stays.First + stays.BaseCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (StayAt(mid).Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Position of the first stay in the place's list of recent stays that starts at or after <paramref name="start"/>.</summary>
    internal int FirstInTail(ref PlaceStays stays, int start)
    {
        int lo = 0, hi = stays.TailCount;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (StayAt(stays.Tail[mid]).Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Time of the stay's first passage, which orders a person's stays.</summary>
    internal static int AnchorOf(in Stay stay) => stay.Kind == StayKind.OutOnly ? stay.End : stay.Start;

    private int? Cutoff() => _retention is { } retention ? IndexClock.ToSeconds(_time.GetUtcNow() - retention) : null;

    private void Install(Compaction compacted)
    {
        _chunks = compacted.Chunks;
        _stayCount = compacted.Count;
        _baseCount = compacted.Count;
        _liveStays = compacted.Count;
        _longestStay = compacted.Longest;
        _persons = compacted.Persons;
        for (var place = 0; place < _placeCount; place++)
        {
            ref var stays = ref _places[place];
            stays.First = compacted.First[place];
            stays.BaseCount = compacted.First[place + 1] - compacted.First[place];
            stays.Tail = [];
            stays.TailCount = 0;
            stays.MaximumDuration = compacted.MaximumDuration[place];
        }

        _endBlocks = StayEndBlocks.Build(this, compacted.Count);
    }

    private int PlaceIndex(long placeId)
    {
        if (_placeIndex.TryGetValue(placeId, out var index))
        {
            return index;
        }

        index = _placeCount++;
        if (index == _places.Length)
        {
            Array.Resize(ref _places, Math.Max(256, index * 2));
        }

        _placeIndex.Add(placeId, index);
        _places[index] = new PlaceStays
        {
            Id = placeId, First = _baseCount, Tail = [], Dwell = DwellSeconds(placeId),
            Kind = _placeKinds.TryGetValue(placeId, out var kind) ? (byte)kind : PlaceStays.UnknownKind,
        };
        return index;
    }

    private int DwellSeconds(long placeId) =>
        Seconds(_options.DwellFor(_placeKinds.TryGetValue(placeId, out var kind) ? kind : null));

    private static int Seconds(TimeSpan span) => (int)Math.Min(int.MaxValue / 4, span.TotalSeconds);

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Write(Action write)
    {
        _lock.EnterWriteLock();
        try
        {
            write();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>A passage in the form the pairing reads. <see cref="Place"/> is the dense place index.</summary>
    internal readonly record struct Point(int At, PassageDirection Direction, int Place)
    {
        /// <summary>
        /// The pairing's order: by time, at the same second an Out before an In, then by place id.
        /// The tie is broken by the id in <paramref name="places"/>, not by the dense index, because
        /// the index follows the order places were first seen in, and the pairing of two passages of
        /// one second at two places must not depend on the order the passages were loaded in.
        /// </summary>
        public static int Compare(Point a, Point b, ReadOnlySpan<PlaceStays> places)
        {
            var c = a.At.CompareTo(b.At);
            c = c != 0 ? c : b.Direction.CompareTo(a.Direction);
            return c != 0 || a.Place == b.Place ? c : places[a.Place].Id.CompareTo(places[b.Place].Id);
        }
    }

    /// <summary><see cref="Point.Compare"/> as a comparer, for sorting a person's passages.</summary>
    internal readonly struct PointOrder(PlaceStays[] places) : IComparer<Point>
    {
        public int Compare(Point a, Point b) => Point.Compare(a, b, places);
    }

    internal readonly record struct Derived(int Place, StayKind Kind, int Start, int End)
    {
        public int Anchor => Kind == StayKind.OutOnly ? End : Start;
    }
}

/// <summary>What a compaction dropped and what is left.</summary>
public readonly record struct CompactionResult(int StaysDropped, int PersonsDropped, int Stays, int Persons);

internal enum StayKind
{
    /// <summary>An In and the Out that followed it.</summary>
    Paired,

    /// <summary>An In without its Out: the default dwell, cut at the person's next passage.</summary>
    InOnly,

    /// <summary>An Out without its In: the default dwell ending at the Out.</summary>
    OutOnly,

    /// <summary>Bounds given by the caller (<see cref="ContactIndex.AddStay"/>), not by passages.</summary>
    Fixed,

    /// <summary>Replaced by a re-pairing; zero length until compaction drops it.</summary>
    Removed,
}

/// <summary>One stay: seconds since <see cref="IndexClock.Epoch"/>, half-open [Start, End). The kind rides in the top bits of the place.</summary>
internal struct Stay(int place, StayKind kind, int person, int start, int end, int previous)
{
    private const int KindShift = 28;
    private const int PlaceMask = (1 << KindShift) - 1;

    private int _placeAndKind = place | ((int)kind << KindShift);
    public int Person = person;
    public int Start = start;
    public int End = end;
    public int Previous = previous;

    public readonly int Place => _placeAndKind & PlaceMask;

    public StayKind Kind
    {
        readonly get => (StayKind)(_placeAndKind >>> KindShift);
        set => _placeAndKind = Place | ((int)value << KindShift);
    }
}

/// <summary>
/// The stays of one place: the compacted range [First, First + BaseCount) of stay ids and the ids
/// of stays added since, each in start order, and the longest stay among them, which bounds the
/// backward reach of a search.
/// </summary>
internal struct PlaceStays
{
    public long Id;
    public int First;
    public int BaseCount;
    public int[] Tail;
    public int TailCount;
    public const byte UnknownKind = 0;

    public int MaximumDuration;
    public int Dwell;

    /// <summary>The place's <see cref="PlaceKind"/>, or <see cref="UnknownKind"/> until <see cref="ContactIndex.SetPlaceKind"/> sets it.</summary>
    public byte Kind;
}
