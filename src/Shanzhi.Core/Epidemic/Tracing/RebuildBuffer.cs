namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// The passages of a rebuild in flat arrays, in any order, for the bulk build
/// (<see cref="ContactIndex.EndRebuild(RebuildBuffer)"/>). Adding a passage only numbers its
/// person and place and appends it: the pairing waits until all passages are in, so the rebuild
/// pairs each person's passages once instead of re-pairing on every late one.
/// </summary>
/// <remarks>
/// A passage takes 16 bytes here: its person's dense number and the 12-byte
/// <see cref="ContactIndex.Point"/> (seconds, direction, the buffer's own place number). Storage
/// grows in chunks of a million passages, so growth never copies what is already stored.
/// </remarks>
internal sealed class RebuildBuffer
{
    private const int ChunkShift = 20;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly PersonMap _persons = new();
    private readonly Dictionary<long, int> _placeIndex = [];
    private readonly List<long> _placeIds = [];
    private readonly List<int[]> _personChunks = [];
    private readonly List<ContactIndex.Point[]> _pointChunks = [];
    private int[] _perPerson = new int[1024];
    private long _count;

    /// <summary>Passages added, duplicates included.</summary>
    public long Count => _count;

    public int PersonCount => _persons.Count;

    /// <summary>The persons, numbered in the order they first appeared; the build hands this map to the index.</summary>
    public PersonMap Persons => _persons;

    /// <summary>Place ids by the buffer's place number, in the order they first appeared.</summary>
    public IReadOnlyList<long> PlaceIds => _placeIds;

    public void Add(ReadOnlySpan<IndexedPassage> passages)
    {
        // Passages of one place often come together in a device's batch, so remembering the last
        // place saves dictionary lookups.
        var (lastPlaceId, lastPlace) = (long.MinValue, -1);
        foreach (var passage in passages)
        {
            if (_count == Array.MaxLength)
            {
                throw new InvalidOperationException($"The passages table has more than {Array.MaxLength:N0} identified passages, the limit of a bulk rebuild.");
            }

            var at = (int)(_count & (ChunkSize - 1));
            if (at == 0)
            {
                _personChunks.Add(new int[ChunkSize]);
                _pointChunks.Add(new ContactIndex.Point[ChunkSize]);
            }

            var person = _persons.IndexOf(passage.PersonKey, add: true);
            if (person == _perPerson.Length)
            {
                Array.Resize(ref _perPerson, person * 2);
            }

            if (passage.PlaceId != lastPlaceId)
            {
                lastPlaceId = passage.PlaceId;
                if (!_placeIndex.TryGetValue(lastPlaceId, out lastPlace))
                {
                    lastPlace = _placeIds.Count;
                    _placeIndex.Add(lastPlaceId, lastPlace);
                    _placeIds.Add(lastPlaceId);
                }
            }

            _perPerson[person]++;
            _personChunks[^1][at] = person;
            _pointChunks[^1][at] = new ContactIndex.Point(IndexClock.ToSeconds(passage.At), passage.Direction, lastPlace);
            _count++;
        }
    }

    /// <summary>
    /// Moves the passages into one array grouped by person (a counting sort: stable, so each
    /// person's passages keep the order they were added in), with each place renumbered through
    /// <paramref name="placeOf"/>. <paramref name="first"/> gets each person's first position and,
    /// after the last person, the count. The buffer's own arrays are released at the end.
    /// </summary>
    public ContactIndex.Point[] SortByPerson(int[] placeOf, out int[] first)
    {
        var persons = _persons.Count;
        first = new int[persons + 1];
        for (var person = 0; person < persons; person++)
        {
            first[person + 1] = first[person] + _perPerson[person];
        }

        var next = first.AsSpan(0, persons).ToArray();
        var sorted = new ContactIndex.Point[_count];

        // Two threads, one per half of the persons: each reads every passage but writes only its
        // own persons', so the random writes, the slow part, are split between the cores.
        var half = persons / 2;
        Parallel.For(0, 2, part => Scatter(part == 0 ? 0 : half, part == 0 ? half : persons, placeOf, next, sorted));

        _personChunks.Clear();
        _pointChunks.Clear();
        _perPerson = [];
        return sorted;
    }

    private void Scatter(int fromPerson, int toPerson, int[] placeOf, int[] next, ContactIndex.Point[] sorted)
    {
        for (var c = 0; c < _pointChunks.Count; c++)
        {
            var length = (int)Math.Min(ChunkSize, _count - ((long)c << ChunkShift));
            var owners = _personChunks[c].AsSpan(0, length);
            var points = _pointChunks[c].AsSpan(0, length);
            for (var i = 0; i < owners.Length; i++)
            {
                var owner = owners[i];
                if ((uint)(owner - fromPerson) < (uint)(toPerson - fromPerson))
                {
                    var point = points[i];
                    sorted[next[owner]++] = point with { Place = placeOf[point.Place] };
                }
            }
        }
    }
}
