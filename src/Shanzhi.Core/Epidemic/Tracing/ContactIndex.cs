using Microsoft.Extensions.Options;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>A passage reduced to what the contact index keeps.</summary>
public readonly record struct IndexedPassage(long PersonKey, long PlaceId, DateTimeOffset At, PassageDirection Direction);

/// <summary>
/// The in-memory contact index: every identified person's stays at places, kept current by the
/// passage observer and rebuilt from the store at start (<see cref="ContactIndexLoader"/>).
/// </summary>
/// <remarks>
/// <para>Stays, not points: an In followed by the same person's next Out at the same place is one
/// stay. An In without an Out lasts the place kind's default dwell, cut short by the person's next
/// passage. An Out without an In is a stay of the default dwell ending at the Out. Passages that
/// arrive older than the person's newest one become stand-alone default-dwell stays and do not
/// pair.</para>
/// <para>Layout: stays live in fixed-size chunks of 20-byte structs (place index, person index,
/// start, end, previous stay of the same person), so growth never copies the whole store and no
/// array reaches the 2 GiB limit. Each place holds its stay ids sorted by start (appends are the
/// rule; an out-of-order stay is inserted in place) and the longest stay seen there, which bounds the
/// binary search. Each person has the head of a linked list through their stays. Person keys map to
/// dense ints once. A stay costs 24 bytes, so with In and Out recorded a passage costs about 12 bytes plus the per-person maps.</para>
/// <para>Concurrency: one writer (ingest, rebuild) and many readers (traces) share a
/// <see cref="ReaderWriterLockSlim"/>. Writes are short batches and a trace takes milliseconds, so
/// readers rarely wait. A copy-on-write snapshot would double the memory of the chunks it copies,
/// and a lock-free append could not move a stay's end when its Out arrives.</para>
/// <para>NOTE: the index does not drop stays when the retention job deletes their passages. They
/// leave the index at the next rebuild (restart), so a long-running host can trace a little past
/// the 28-day retention window.</para>
/// </remarks>
public sealed class ContactIndex(IOptions<TracingOptions> options) : IContactTracer, IPassageObserver, IDisposable
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;
    private const int None = -1;
    private const int ReplayDepth = 8;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly int _maximumStay = Seconds(options.Value.MaximumStay);

    private Stay[][] _chunks = [];
    private int _stayCount;
    private long _passageCount;

    private readonly Dictionary<long, int> _placeIndex = [];
    private readonly Dictionary<long, PlaceKind> _placeKinds = [];
    private PlaceStays[] _places = [];
    private int _placeCount;

    private readonly Dictionary<long, int> _personIndex = [];
    private long[] _personKeys = [];
    private int[] _latest = [];
    private int[] _open = [];
    private int[] _lastSeen = [];
    private int _personCount;

    private List<IndexedPassage>? _pending;

    /// <summary>False until the first rebuild from the store has finished.</summary>
    public bool IsReady { get; private set; }

    public long PassageCount => Read(() => _passageCount);

    public int StayCount => Read(() => _stayCount);

    public int PersonCount => Read(() => _personCount);

    public int PlaceCount => Read(() => _placeCount);

    /// <summary>Tells the index a place's kind, which picks its default dwell for unpaired passages.</summary>
    public void SetPlaceKind(long placeId, PlaceKind kind) => Write(() =>
    {
        _placeKinds[placeId] = kind;
        if (_placeIndex.TryGetValue(placeId, out var place))
        {
            _places[place].Dwell = DwellSeconds(placeId);
        }
    });

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
                Apply(passage, replay: false);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds passages in time order (the rebuild and the benchmarks call this).</summary>
    public void Add(ReadOnlySpan<IndexedPassage> passages)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var passage in passages)
            {
                Apply(passage, replay: false);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Adds a stay whose bounds are known (day-level route data, contact intervals).</summary>
    public void AddStay(long personKey, long placeId, DateTimeOffset start, DateTimeOffset end) => Write(() =>
    {
        var person = PersonIndex(personKey);
        Append(PlaceIndex(placeId), person, IndexClock.ToSeconds(start), IndexClock.ToSeconds(end));
    });

    /// <summary>
    /// Empties the index before a rebuild. Passages committed meanwhile are held back and replayed by
    /// <see cref="EndRebuild"/>, because the rebuild's query may or may not have seen them.
    /// </summary>
    public void BeginRebuild() => Write(() =>
    {
        _chunks = [];
        _stayCount = 0;
        _passageCount = 0;
        _placeIndex.Clear();
        _places = [];
        _placeCount = 0;
        _personIndex.Clear();
        _personKeys = [];
        _latest = [];
        _open = [];
        _lastSeen = [];
        _personCount = 0;
        _pending = [];
        IsReady = false;
    });

    /// <summary>
    /// Replays the passages committed during the rebuild, skipping each one the person's newest
    /// stays already record, then trims the per-place lists to size.
    /// </summary>
    public void EndRebuild() => Write(() =>
    {
        foreach (var passage in _pending ?? [])
        {
            Apply(passage, replay: true);
        }

        _pending = null;
        for (var i = 0; i < _placeCount; i++)
        {
            Array.Resize(ref _places[i].Ids, _places[i].Count);
        }

        IsReady = true;
    });

    public TraceResult Trace(TraceRequest request)
    {
        var window = TraceWindow.For(request);
        _lock.EnterReadLock();
        try
        {
            if (!_personIndex.TryGetValue(request.IndexPersonKey, out var index))
            {
                return new TraceResult(request.IndexPersonKey, []);
            }

            return new TraceResult(request.IndexPersonKey,
                new ContactSearch(this, request.Rules).Run(index, IndexClock.ToSeconds(window.Start), IndexClock.ToSeconds(window.End)));
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
        var stays = new List<(long, long, int, int)>(_stayCount);
        for (var id = 0; id < _stayCount; id++)
        {
            var stay = StayAt(id);
            stays.Add((_personKeys[stay.Person], _places[stay.Place].Id, stay.Start, stay.End));
        }

        return stays;
    });

    internal ref Stay StayAt(int id) => ref _chunks[id >> ChunkShift][id & (ChunkSize - 1)];

    internal int LatestStayOf(int person) => _latest[person];

    internal long PersonKeyAt(int person) => _personKeys[person];

    internal long PlaceIdAt(int place) => _places[place].Id;

    internal ref PlaceStays PlaceAt(int place) => ref _places[place];

    private void Apply(IndexedPassage passage, bool replay)
    {
        var person = PersonIndex(passage.PersonKey);
        var place = PlaceIndex(passage.PlaceId);
        var t = IndexClock.ToSeconds(passage.At);
        if (replay && IsRecorded(person, place, t, passage.Direction))
        {
            return;
        }

        _passageCount++;
        var dwell = _places[place].Dwell;
        var inOrder = t >= _lastSeen[person];
        if (inOrder)
        {
            _lastSeen[person] = t;
        }

        if (passage.Direction == PassageDirection.In)
        {
            if (!inOrder)
            {
                Append(place, person, t, t + dwell);
                return;
            }

            CloseOpenStay(person, t);
            _open[person] = Append(place, person, t, t + dwell);
            return;
        }

        if (inOrder && _open[person] is var open and not None)
        {
            ref var stay = ref StayAt(open);
            if (stay.Place == place && t - stay.Start <= _maximumStay)
            {
                SetEnd(open, t);
                _open[person] = None;
                return;
            }

            CloseOpenStay(person, t);
        }

        Append(place, person, Math.Max(0, t - dwell), t);
    }

    /// <summary>An entry without an exit ends at the default dwell or at the person's next passage, whichever is first.</summary>
    private void CloseOpenStay(int person, int t)
    {
        var open = _open[person];
        if (open == None)
        {
            return;
        }

        ref var stay = ref StayAt(open);
        if (t < stay.End)
        {
            SetEnd(open, Math.Max(t, stay.Start));
        }

        _open[person] = None;
    }

    private bool IsRecorded(int person, int place, int t, PassageDirection direction)
    {
        var id = _latest[person];
        for (var depth = 0; depth < ReplayDepth && id != None; depth++)
        {
            ref var stay = ref StayAt(id);
            if (stay.Place == place && (direction == PassageDirection.In ? stay.Start == t : stay.End == t))
            {
                return true;
            }

            id = stay.Previous;
        }

        return false;
    }

    private int Append(int place, int person, int start, int end)
    {
        var id = _stayCount;
        if ((id >> ChunkShift) == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length + 1);
            _chunks[^1] = new Stay[ChunkSize];
        }

        StayAt(id) = new Stay(place, person, start, end, _latest[person]);
        _latest[person] = id;
        _stayCount++;

        ref var stays = ref _places[place];
        stays.MaximumDuration = Math.Max(stays.MaximumDuration, end - start);
        if (stays.Count == stays.Ids.Length)
        {
            Array.Resize(ref stays.Ids, Math.Max(4, stays.Count * 2));
        }

        var at = stays.Count;
        if (at > 0 && StayAt(stays.Ids[at - 1]).Start > start)
        {
            at = FirstStartingAtOrAfter(ref stays, start + 1);
            Array.Copy(stays.Ids, at, stays.Ids, at + 1, stays.Count - at);
        }

        stays.Ids[at] = id;
        stays.Count++;
        return id;
    }

    private void SetEnd(int id, int end)
    {
        ref var stay = ref StayAt(id);
        stay.End = end;
        ref var stays = ref _places[stay.Place];
        stays.MaximumDuration = Math.Max(stays.MaximumDuration, end - stay.Start);
    }

    /// <summary>Position of the first stay at the place that starts at or after <paramref name="start"/>.</summary>
    internal int FirstStartingAtOrAfter(ref PlaceStays stays, int start)
    {
        int lo = 0, hi = stays.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (StayAt(stays.Ids[mid]).Start < start)
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

    private int PersonIndex(long key)
    {
        if (_personIndex.TryGetValue(key, out var index))
        {
            return index;
        }

        index = _personCount++;
        if (index == _personKeys.Length)
        {
            var size = Math.Max(1024, index * 2);
            Array.Resize(ref _personKeys, size);
            Array.Resize(ref _latest, size);
            Array.Resize(ref _open, size);
            Array.Resize(ref _lastSeen, size);
        }

        _personIndex.Add(key, index);
        _personKeys[index] = key;
        _latest[index] = None;
        _open[index] = None;
        _lastSeen[index] = 0;
        return index;
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
        _places[index] = new PlaceStays { Id = placeId, Ids = [], Dwell = DwellSeconds(placeId) };
        return index;
    }

    private int DwellSeconds(long placeId) =>
        Seconds(options.Value.DwellFor(_placeKinds.TryGetValue(placeId, out var kind) ? kind : null));

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
}

/// <summary>One stay: seconds since <see cref="IndexClock.Epoch"/>, half-open [Start, End).</summary>
internal record struct Stay(int Place, int Person, int Start, int End, int Previous);

internal struct PlaceStays
{
    public long Id;
    public int[] Ids;
    public int Count;
    public int MaximumDuration;
    public int Dwell;
}
