namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// One trace over the index, run under its read lock: close contacts of the index person inside
/// the window, then, when the rules ask, the contacts of each close contact from that contact's
/// first exposure to the end of the window (the contact is assumed isolated then).
/// </summary>
/// <remarks>
/// Overlaps are half-open: two stays touching at one instant do not overlap. With
/// <see cref="RuleSet.Cumulative"/> the overlaps of one pair at one place are summed per
/// Asia/Shanghai day (an overlap across midnight counts towards both days) and the edge spans the
/// first to the last of them; otherwise every overlapping pair of stays is judged on its own. A
/// zero minimum accepts any overlap longer than zero.
/// </remarks>
internal sealed class ContactSearch(ContactIndex index, RuleSet rules)
{
    private readonly int _minimum = (int)Math.Ceiling(rules.MinimumOverlap.TotalSeconds);

    public List<ContactEdge> Run(int person, int windowStart, int windowEnd)
    {
        var edges = new List<ContactEdge>();
        var firstExposure = new Dictionary<int, int>();
        foreach (var (contact, place, start, end, total) in Qualify(Overlaps(person, windowStart, windowEnd, other => other == person)))
        {
            edges.Add(Edge(person, contact, 1, place, start, end, total));
            firstExposure[contact] = firstExposure.TryGetValue(contact, out var first) ? Math.Min(first, start) : start;
        }

        if (rules.SecondDegree)
        {
            foreach (var (contact, exposed) in firstExposure)
            {
                var overlaps = Overlaps(contact, exposed, windowEnd, other => other == person || firstExposure.ContainsKey(other));
                foreach (var (secondary, place, start, end, total) in Qualify(overlaps))
                {
                    edges.Add(Edge(contact, secondary, 2, place, start, end, total));
                }
            }
        }

        edges.Sort(static (a, b) =>
        {
            var c = a.Degree.CompareTo(b.Degree);
            c = c != 0 ? c : a.From.CompareTo(b.From);
            c = c != 0 ? c : a.To.CompareTo(b.To);
            c = c != 0 ? c : a.OverlapStart.CompareTo(b.OverlapStart);
            c = c != 0 ? c : a.PlaceId.CompareTo(b.PlaceId);
            return c != 0 ? c : a.OverlapEnd.CompareTo(b.OverlapEnd);
        });
        return edges;
    }

    /// <summary>Every co-presence of <paramref name="person"/> with someone else inside [from, to).</summary>
    private List<Overlap> Overlaps(int person, int from, int to, Func<int, bool> skip)
    {
        var found = new List<Overlap>();
        for (var id = index.LatestStayOf(person); id != -1; id = index.StayAt(id).Previous)
        {
            var own = index.StayAt(id);
            var start = Math.Max(own.Start, from);
            var end = Math.Min(own.End, to);
            if (start >= end)
            {
                continue;
            }

            ref var place = ref index.PlaceAt(own.Place);
            var ids = place.Ids;
            for (var i = index.FirstStartingAtOrAfter(ref place, start - place.MaximumDuration); i < place.Count; i++)
            {
                ref var other = ref index.StayAt(ids[i]);
                if (other.Start >= end)
                {
                    break;
                }

                if (other.End <= start || other.Person == person || skip(other.Person))
                {
                    continue;
                }

                found.Add(new Overlap(other.Person, own.Place, Math.Max(start, other.Start), Math.Min(end, other.End)));
            }
        }

        return found;
    }

    private IEnumerable<Qualified> Qualify(List<Overlap> overlaps)
    {
        if (!rules.Cumulative)
        {
            foreach (var o in overlaps)
            {
                if (o.End - o.Start >= _minimum)
                {
                    yield return new Qualified(o.Person, o.Place, o.Start, o.End, o.End - o.Start);
                }
            }

            yield break;
        }

        var days = new Dictionary<(int Person, int Place, int Day), Qualified>();
        foreach (var o in overlaps)
        {
            for (var start = o.Start; start < o.End;)
            {
                var end = Math.Min(o.End, IndexClock.NextShanghaiMidnight(start));
                var key = (o.Person, o.Place, IndexClock.ShanghaiDay(start));
                days[key] = days.TryGetValue(key, out var sum)
                    ? sum with { Start = Math.Min(sum.Start, start), End = Math.Max(sum.End, end), Total = sum.Total + (end - start) }
                    : new Qualified(o.Person, o.Place, start, end, end - start);
                start = end;
            }
        }

        foreach (var q in days.Values)
        {
            if (q.Total >= _minimum)
            {
                yield return q;
            }
        }
    }

    private ContactEdge Edge(int from, int to, int degree, int place, int start, int end, int total) => new(
        index.PersonKeyAt(from),
        index.PersonKeyAt(to),
        degree,
        index.PlaceIdAt(place),
        IndexClock.FromSeconds(start),
        IndexClock.FromSeconds(end),
        TimeSpan.FromSeconds(total),
        rules.Version);

    private readonly record struct Overlap(int Person, int Place, int Start, int End);

    private readonly record struct Qualified(int Person, int Place, int Start, int End, int Total);
}
