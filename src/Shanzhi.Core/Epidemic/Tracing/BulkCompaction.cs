namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// The bulk rebuild: the compacted layout made straight from a rebuild's passages, without adding
/// them one by one first. It gives the stays of <see cref="ContactIndex.Add"/> followed by
/// <see cref="Build"/>, with the same retention.
/// </summary>
/// <remarks>
/// <para>Steps: the passages are grouped by person (<see cref="RebuildBuffer.SortByPerson"/>). Each
/// person's are sorted in time order, duplicates dropped, and paired by
/// <see cref="ContactIndex.Pair"/>, the rule the passage-by-passage path uses. The stays that
/// survive the cutoff are written in person order, each linked to the one before it. Then the stays
/// are ordered by (place, start) through a sort of 64-bit keys (start, position), one range per
/// place on both cores, and moved to their final ids, with the links renumbered.</para>
/// <para>Memory: grouping holds the collected passages (16 bytes each) and the grouped copy (12)
/// at once, 28 bytes a passage. The layout then holds 20 bytes per stay in person order, 20 in the
/// final layout, 8 of sort key and 4 of renumbering, about 30 bytes a passage at the synthetic
/// city's 0.57 stays per passage. The 100 M passage benchmark peaked at 5.3 GiB resident, the
/// benchmark's own data included (docs/benchmarks.md, "Bulk rebuild").</para>
/// </remarks>
internal sealed partial class Compaction
{
    /// <summary>Builds the layout. Returns it and the number of distinct passages it was made from.</summary>
    public static (Compaction Layout, long Passages) FromPassages(RebuildBuffer passages, int[] placeOf, PlaceStays[] places, int placeCount,
        int maximumStay, int? cutoff)
    {
        var points = passages.SortByPerson(placeOf, out var firstPoint);
        var (byPerson, perPlace, maximumDuration, latest, keys, persons, distinct) =
            PairPersons(passages.Persons, points, firstPoint, places, placeCount, maximumStay, cutoff);

        var first = new int[placeCount + 1];
        for (var place = 0; place < placeCount; place++)
        {
            first[place + 1] = first[place] + perPlace[place];
        }

        var count = byPerson.Count;
        var moved = OrderByPlace(byPerson, first, placeCount);
        var chunks = NewChunks(count);
        Parallel.For(0, (count + ChunkSize - 1) >> ChunkShift, chunk =>
        {
            var end = Math.Min(count, (chunk + 1) << ChunkShift);
            for (var id = chunk << ChunkShift; id < end; id++)
            {
                var stay = byPerson[id];
                if (stay.Previous != ContactIndex.None)
                {
                    stay.Previous = moved[stay.Previous];
                }

                var at = moved[id];
                chunks[at >> ChunkShift][at & (ChunkSize - 1)] = stay;
            }
        });

        for (var person = 0; person < persons; person++)
        {
            latest[person] = moved[latest[person]];
        }

        var map = persons == passages.PersonCount ? passages.Persons.WithLatest(latest) : new PersonMap(keys!, latest, persons);
        return (new Compaction(chunks, count, first, maximumDuration, maximumDuration.Length == 0 ? 0 : maximumDuration.Max(), map), distinct);
    }

    /// <summary>
    /// Pairs each person's passages and keeps what survives the cutoff, in person order. Persons
    /// left without a stay are dropped and the rest renumbered in order. <c>Keys</c> is null when
    /// none was dropped.
    /// </summary>
    private static (StayList Stays, int[] PerPlace, int[] MaximumDuration, int[] Latest, long[]? Keys, int Persons, long Distinct) PairPersons(
        PersonMap persons, ContactIndex.Point[] points, int[] firstPoint, PlaceStays[] places, int placeCount, int maximumStay, int? cutoff)
    {
        var stays = new StayList();
        var perPlace = new int[placeCount];
        var maximumDuration = new int[placeCount];
        var latest = new int[persons.Count];
        long[]? keys = null;
        var kept = 0;
        long distinct = 0;
        var paired = new ContactIndex.Derived[64];
        for (var person = 0; person < persons.Count; person++)
        {
            var own = points.AsSpan(firstPoint[person], firstPoint[person + 1] - firstPoint[person]);
            own = own[..SortAndDeduplicate(own, places)];
            distinct += own.Length;
            if (paired.Length < own.Length)
            {
                paired = new ContactIndex.Derived[Math.Max(own.Length, paired.Length * 2)];
            }

            var previous = ContactIndex.None;
            var count = ContactIndex.Pair(own, places, maximumStay, paired);
            foreach (var derived in paired.AsSpan(0, count))
            {
                var stay = new Stay(derived.Place, derived.Kind, kept, derived.Start, derived.End, previous);
                if (Kept(stay, cutoff, places[derived.Place].Dwell) is { } survivor)
                {
                    previous = stays.Add(survivor);
                    perPlace[survivor.Place]++;
                    maximumDuration[survivor.Place] = Math.Max(maximumDuration[survivor.Place], survivor.End - survivor.Start);
                }
            }

            if (previous == ContactIndex.None)
            {
                // Renumbering starts at the first person dropped, because until then the numbers hold.
                keys ??= NewKeys(persons, person);
                continue;
            }

            if (keys is not null)
            {
                keys[kept] = persons.KeyAt(person);
            }

            latest[kept++] = previous;
        }

        return (stays, perPlace, maximumDuration, latest, keys, kept, distinct);
    }

    private static long[] NewKeys(PersonMap persons, int upTo)
    {
        var keys = new long[persons.Count];
        for (var person = 0; person < upTo; person++)
        {
            keys[person] = persons.KeyAt(person);
        }

        return keys;
    }

    /// <summary>Sorts one person's passages in the pairing's order and drops repeats. Returns how many are left.</summary>
    private static int SortAndDeduplicate(Span<ContactIndex.Point> points, PlaceStays[] places)
    {
        for (var i = 1; i < points.Length; i++)
        {
            if (ContactIndex.Point.Compare(points[i - 1], points[i], places) > 0)
            {
                points.Sort(new ContactIndex.PointOrder(places));
                break;
            }
        }

        var count = Math.Min(1, points.Length);
        for (var i = 1; i < points.Length; i++)
        {
            if (points[i] != points[count - 1])
            {
                points[count++] = points[i];
            }
        }

        return count;
    }

    /// <summary>
    /// Returns each stay's final id: places in order, and inside a place by start, then by position
    /// in person order, so the build is deterministic.
    /// </summary>
    private static int[] OrderByPlace(StayList stays, int[] first, int placeCount)
    {
        var count = stays.Count;
        var order = new ulong[count];
        var next = first.AsSpan(0, placeCount).ToArray();
        for (var id = 0; id < count; id++)
        {
            var stay = stays[id];
            order[next[stay.Place]++] = ((ulong)(uint)stay.Start << 32) | (uint)id;
        }

        Parallel.For(0, placeCount, place => order.AsSpan(first[place], first[place + 1] - first[place]).Sort());

        var moved = new int[count];
        for (var at = 0; at < count; at++)
        {
            moved[(int)(uint)order[at]] = at;
        }

        return moved;
    }

    private static Stay[][] NewChunks(int count)
    {
        var chunks = new Stay[(count + ChunkSize - 1) >> ChunkShift][];
        for (var c = 0; c < chunks.Length; c++)
        {
            chunks[c] = new Stay[Math.Min(ChunkSize, count - (c << ChunkShift))];
        }

        return chunks;
    }

    /// <summary>Stays appended in chunks, so growth never copies the ones already written.</summary>
    private sealed class StayList
    {
        private readonly List<Stay[]> _chunks = [];

        public int Count { get; private set; }

        public Stay this[int id] => _chunks[id >> ChunkShift][id & (ChunkSize - 1)];

        public int Add(Stay stay)
        {
            var id = Count;
            if ((id & (ChunkSize - 1)) == 0)
            {
                _chunks.Add(new Stay[ChunkSize]);
            }

            _chunks[id >> ChunkShift][id & (ChunkSize - 1)] = stay;
            Count++;
            return id;
        }
    }
}
