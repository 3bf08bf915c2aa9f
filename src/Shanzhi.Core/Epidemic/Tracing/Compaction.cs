namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// A compacted copy of the index's stays. It keeps live stays only, grouped by place in start order,
/// so a place's stays are one range and need no id list. Persons left without a stay are dropped,
/// the others renumbered, and each person's list keeps its order. Passages before the cutoff are
/// forgotten the way the retention job deletes them: an In before it ends its stay, and a paired
/// stay whose In is before it and Out after it keeps the Out as an exit-only stay.
/// </summary>
internal sealed partial class Compaction
{
    private const int ChunkShift = ContactIndex.ChunkShift;
    private const int ChunkSize = ContactIndex.ChunkSize;

    private Compaction(Stay[][] chunks, int count, int[] first, int[] maximumDuration, int longest, PersonMap persons)
    {
        (Chunks, Count, First, MaximumDuration, Longest, Persons) = (chunks, count, first, maximumDuration, longest, persons);
    }

    public Stay[][] Chunks { get; }

    public int Count { get; }

    /// <summary>Per place, the id of its first stay; one more entry closes the last range.</summary>
    public int[] First { get; }

    public int[] MaximumDuration { get; }

    public int Longest { get; }

    public PersonMap Persons { get; }

    /// <summary>Builds the copy. It only reads the index, so traces can run meanwhile.</summary>
    public static Compaction Build(ContactIndex index, int? cutoff)
    {
        var places = index.PlaceCountUnlocked;
        var capacity = index.StayCapacity;
        var first = new int[places + 1];
        var renumbered = new int[index.PersonCapacity];
        for (var id = 0; id < capacity; id++)
        {
            ref var stay = ref index.StayAt(id);
            if (Kept(stay, cutoff, dwell: 0) is not null)
            {
                first[stay.Place + 1]++;
                renumbered[stay.Person] = 1;
            }
        }

        var persons = 0;
        for (var i = 0; i < renumbered.Length; i++)
        {
            renumbered[i] = renumbered[i] == 1 ? persons++ : ContactIndex.None;
        }

        for (var place = 0; place < places; place++)
        {
            first[place + 1] += first[place];
        }

        var count = first[places];
        var chunks = NewChunks(count);
        var moved = new int[capacity];
        Array.Fill(moved, ContactIndex.None);
        var maximumDuration = new int[places];
        var longest = 0;
        var buffer = new List<(Stay Stay, int Old)>();
        for (var place = 0; place < places; place++)
        {
            buffer.Clear();
            ref var stays = ref index.PlaceAt(place);
            var sorted = true;
            foreach (var old in InStartOrder(index, place))
            {
                if (Kept(index.StayAt(old), cutoff, stays.Dwell) is { } kept)
                {
                    sorted &= buffer.Count == 0 || buffer[^1].Stay.Start <= kept.Start;
                    kept.Person = renumbered[kept.Person];
                    buffer.Add((kept, old));
                }
            }

            if (!sorted)
            {
                // List.Sort is not stable: the old id breaks ties, so stays with equal starts keep their id order.
                buffer.Sort(static (a, b) => a.Stay.Start != b.Stay.Start ? a.Stay.Start.CompareTo(b.Stay.Start) : a.Old.CompareTo(b.Old));
            }

            var at = first[place];
            foreach (var (stay, old) in buffer)
            {
                chunks[at >> ChunkShift][at & (ChunkSize - 1)] = stay;
                moved[old] = at++;
                maximumDuration[place] = Math.Max(maximumDuration[place], stay.End - stay.Start);
            }

            longest = Math.Max(longest, maximumDuration[place]);
        }

        // Previous still contains old ids: map them in id order, which reads the new stays in sequence.
        for (var id = 0; id < count; id++)
        {
            ref var stay = ref chunks[id >> ChunkShift][id & (ChunkSize - 1)];
            stay.Previous = Moved(index, moved, stay.Previous);
        }

        var keys = new long[persons];
        var latest = new int[persons];
        for (var person = 0; person < renumbered.Length; person++)
        {
            if (renumbered[person] != ContactIndex.None)
            {
                keys[renumbered[person]] = index.PersonKeyAt(person);
                latest[renumbered[person]] = Moved(index, moved, index.LatestStayOf(person));
            }
        }

        return new Compaction(chunks, count, first, maximumDuration, longest, new PersonMap(keys, latest, persons));
    }

    /// <summary>
    /// Returns the new id of the old stay, or of the first stay older than it in its person's list that
    /// survives. Dropped stays are mostly the oldest of a list, so the walk usually ends at once.
    /// </summary>
    private static int Moved(ContactIndex index, int[] moved, int old)
    {
        while (old != ContactIndex.None && moved[old] == ContactIndex.None)
        {
            old = index.StayAt(old).Previous;
        }

        return old == ContactIndex.None ? ContactIndex.None : moved[old];
    }

    /// <summary>The stay as it survives the cutoff, or null when it does not.</summary>
    private static Stay? Kept(Stay stay, int? cutoff, int dwell)
    {
        if (stay.Kind == StayKind.Removed)
        {
            return null;
        }

        if (cutoff is not { } c)
        {
            return stay;
        }

        return stay.Kind switch
        {
            StayKind.Paired when stay.End < c => null,
            StayKind.Paired when stay.Start < c => new Stay(stay.Place, StayKind.OutOnly, stay.Person, Math.Max(0, stay.End - dwell), stay.End, stay.Previous),
            StayKind.InOnly when stay.Start < c => null,
            StayKind.OutOnly when stay.End < c => null,
            StayKind.Fixed when stay.End <= c => null,
            _ => stay,
        };
    }

    /// <summary>The place's compacted range merged with its recent stays, by start.</summary>
    private static IEnumerable<int> InStartOrder(ContactIndex index, int place)
    {
        var stays = index.PlaceAt(place);
        int b = stays.First, bEnd = stays.First + stays.BaseCount, t = 0;
        while (b < bEnd || t < stays.TailCount)
        {
            if (t == stays.TailCount || (b < bEnd && index.StayAt(b).Start <= index.StayAt(stays.Tail[t]).Start))
            {
                yield return b++;
            }
            else
            {
                yield return stays.Tail[t++];
            }
        }
    }
}
