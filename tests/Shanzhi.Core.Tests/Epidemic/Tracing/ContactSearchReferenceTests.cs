using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// The index's search against a brute-force reference over every pair of stays, on small random
/// cities: both degrees, per-stay and cumulative rules, stays across Asia/Shanghai midnights, long
/// stays that make the search skip blocks, passages added after a compaction, and second degrees
/// limited to some place kinds (with a place whose kind the index never receives), searched on one
/// thread and on two.
/// </summary>
public sealed class ContactSearchReferenceTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset CityStart = new(2026, 3, 1, 0, 0, 0, Beijing);
    private static readonly long[] Places = [100, 200, 300, 400, 500];

    /// <summary>The kinds of the first four places; the index never receives the kind of place 500.</summary>
    private static readonly PlaceKind[] Kinds = [PlaceKind.Mall, PlaceKind.RailStation, PlaceKind.ResidentialCompound, PlaceKind.HighwayExit];

    private static readonly IReadOnlySet<PlaceKind>?[] SecondDegreeKinds =
        [null, new HashSet<PlaceKind> { PlaceKind.ResidentialCompound }, new HashSet<PlaceKind> { PlaceKind.Mall, PlaceKind.HighwayExit, PlaceKind.School }];

    private readonly record struct Overlap(long From, long To, long Place, int Start, int End);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Search_equals_brute_force(int seed)
    {
        var random = new Random(seed);
        // Odd seeds search every second degree on two threads, even seeds on one.
        using var index = NewIndex(parallelFrom: seed % 2 == 1 ? 1 : int.MaxValue);
        var (passages, stays) = City(random, persons: 40, fixedStays: seed % 2 == 0);
        var compactAt = passages.Count * 2 / 3;
        index.Add(passages[..compactAt].ToArray());
        index.Compact();
        index.Add(passages[compactAt..].ToArray());
        foreach (var (person, place, start, end) in stays)
        {
            index.AddStay(person, place, start, end);
        }

        var all = index.ExportStays();
        Assert.Contains(all, s => s.End - s.Start > TimeSpan.FromDays(1).TotalSeconds);
        var degrees = new int[3];
        var limited = 0;
        for (var trace = 0; trace < 40; trace++)
        {
            var rules = new RuleSet("test", $"test-{trace}", "测试", random.Next(0, 3), random.Next(0, 4),
                TimeSpan.FromMinutes(random.Next(4) * 10), Cumulative: random.Next(2) == 0, SecondDegree: random.Next(2) == 0,
                SecondDegreeKinds[random.Next(SecondDegreeKinds.Length)]);
            var request = new TraceRequest(1 + random.Next(40), CityStart.AddDays(random.Next(1, 8)), rules,
                random.Next(4) == 0 ? CityStart.AddHours(random.Next(24, 200)) : null);

            var expected = Reference(all, request);
            var actual = index.Trace(request).Edges;

            Assert.Equal(expected, actual);
            if (rules is { SecondDegree: true, SecondDegreePlaceKinds: not null }
                && Reference(all, request with { Rules = rules with { SecondDegreePlaceKinds = null } }).Count > expected.Count)
            {
                limited++;
            }

            foreach (var edge in actual)
            {
                degrees[edge.Degree]++;
            }
        }

        Assert.True(degrees[1] > 100, $"only {degrees[1]} first-degree edges were compared");
        Assert.True(degrees[2] > 100, $"only {degrees[2]} second-degree edges were compared");
        Assert.True(limited > 0, "no trace had a second degree that its place kinds made smaller");
    }

    /// <summary>
    /// The index person's In 01:00, Out 02:31 and second Out 03:00 make two stays at the mall that
    /// overlap: [01:00, 02:31) and the exit-only [01:00, 03:00). A contact present 02:10–03:00 met
    /// the index person for 50 minutes, not 21 + 50. A contact present 02:20–02:30 met them for 10
    /// minutes, which the 15-minute rule does not count.
    /// </summary>
    [Fact]
    public void Overlapping_own_stays_count_once()
    {
        using var index = NewIndex(parallelFrom: int.MaxValue);
        var mall = Places[0];
        DateTimeOffset At(int hour, int minute) => CityStart.AddDays(2).AddHours(hour).AddMinutes(minute);
        index.Add([
            new(1, mall, At(1, 0), PassageDirection.In), new(1, mall, At(2, 31), PassageDirection.Out), new(1, mall, At(3, 0), PassageDirection.Out),
            new(2, mall, At(2, 10), PassageDirection.In), new(2, mall, At(3, 0), PassageDirection.Out),
            new(3, mall, At(2, 20), PassageDirection.In), new(3, mall, At(2, 30), PassageDirection.Out)]);
        var rules = new RuleSet("test", "test-union", "测试", 2, 10, TimeSpan.FromMinutes(15), Cumulative: true, SecondDegree: false);
        var request = new TraceRequest(1, CityStart.AddDays(3), rules);

        var edges = index.Trace(request).Edges;

        var edge = Assert.Single(edges);
        Assert.Equal(2, edge.To);
        Assert.Equal((At(2, 10), At(3, 0)), (edge.OverlapStart, edge.OverlapEnd));
        Assert.Equal(TimeSpan.FromMinutes(50), edge.Overlap);
        Assert.Equal(Reference(index.ExportStays(), request), edges);
    }

    private static ContactIndex NewIndex(int parallelFrom)
    {
        var index = new ContactIndex(Options.Create(new TracingOptions { ParallelSecondDegreeContacts = parallelFrom }));
        for (var i = 0; i < Kinds.Length; i++)
        {
            index.SetPlaceKind(Places[i], Kinds[i]);
        }

        return index;
    }

    /// <summary>
    /// Random visits over ten days, some pairs of passages swapped so that they arrive out of order,
    /// with missing exits, multi-day stays and, when asked, stays of fixed bounds. A fixed stay
    /// turns off the early stop of the walk through a person's stays, so only half the seeds add them.
    /// </summary>
    private static (List<IndexedPassage> Passages, List<(long, long, DateTimeOffset, DateTimeOffset)> Stays) City(Random random, int persons, bool fixedStays)
    {
        var passages = new List<IndexedPassage>();
        var stays = new List<(long, long, DateTimeOffset, DateTimeOffset)>();
        for (var person = 1; person <= persons; person++)
        {
            var at = CityStart.AddMinutes(random.Next(600));
            while (at < CityStart.AddDays(10))
            {
                var place = Places[random.Next(Places.Length)];
                var minutes = random.Next(20) == 0 ? random.Next(1_500, 4_000) : random.Next(1, 240);
                passages.Add(new IndexedPassage(person, place, at, PassageDirection.In));
                if (random.Next(8) != 0)
                {
                    passages.Add(new IndexedPassage(person, place, at.AddMinutes(minutes), PassageDirection.Out));
                }

                if (fixedStays && random.Next(25) == 0)
                {
                    stays.Add((person, Places[random.Next(Places.Length)], at.AddMinutes(-random.Next(600)), at.AddMinutes(random.Next(1, 900))));
                }

                at = at.AddMinutes(minutes + random.Next(0, 900));
            }
        }

        passages.Sort((a, b) => a.At.CompareTo(b.At));
        for (var i = 0; i + 1 < passages.Count; i += 2)
        {
            if (random.Next(6) == 0)
            {
                (passages[i], passages[i + 1]) = (passages[i + 1], passages[i]);
            }
        }

        return (passages, stays);
    }

    /// <summary>The search's rules applied to every pair of stays, without any of its shortcuts.</summary>
    private static List<ContactEdge> Reference(List<(long Person, long Place, int Start, int End)> stays, TraceRequest request)
    {
        var window = TraceWindow.For(request);
        var (from, to) = (IndexClock.ToSeconds(window.Start), IndexClock.ToSeconds(window.End));
        var rules = request.Rules;
        var edges = Qualify(Overlaps(stays, request.IndexPersonKey, from, to, _ => false, _ => true), rules, degree: 1);

        if (rules.SecondDegree)
        {
            var exposures = edges.GroupBy(e => e.To).ToDictionary(g => g.Key, g => g.Min(e => IndexClock.ToSeconds(e.OverlapStart)));
            bool Excluded(long person) => person == request.IndexPersonKey || exposures.ContainsKey(person);
            bool Counts(long place) => rules.CountsForSecondDegree(Array.IndexOf(Places, place) is var i && i < Kinds.Length ? Kinds[i] : null);
            foreach (var (contact, exposed) in exposures)
            {
                edges.AddRange(Qualify(Overlaps(stays, contact, exposed, to, Excluded, Counts), rules, degree: 2));
            }
        }

        return [.. edges
            .OrderBy(e => e.Degree).ThenBy(e => e.From).ThenBy(e => e.To).ThenBy(e => e.OverlapStart)
            .ThenBy(e => e.PlaceId).ThenBy(e => e.OverlapEnd).ThenBy(e => e.Overlap)];
    }

    private static List<Overlap> Overlaps(List<(long Person, long Place, int Start, int End)> stays, long person, int from, int to,
        Func<long, bool> excluded, Func<long, bool> countsAt)
    {
        var overlaps = new List<Overlap>();
        foreach (var own in stays.Where(s => s.Person == person && countsAt(s.Place)))
        {
            foreach (var other in stays.Where(s => s.Place == own.Place && s.Person != person && !excluded(s.Person)))
            {
                var start = Math.Max(Math.Max(own.Start, other.Start), from);
                var end = Math.Min(Math.Min(own.End, other.End), to);
                if (end > start)
                {
                    overlaps.Add(new Overlap(person, other.Person, own.Place, start, end));
                }
            }
        }

        return overlaps;
    }

    /// <summary>
    /// Per-stay rules judge each overlap alone. Cumulative rules cut overlaps at Asia/Shanghai
    /// midnights and measure the union of the pieces per pair, place and day. The edge spans the
    /// first to the last piece.
    /// </summary>
    private static List<ContactEdge> Qualify(List<Overlap> overlaps, RuleSet rules, int degree)
    {
        var minimum = (int)Math.Ceiling(rules.MinimumOverlap.TotalSeconds);
        var edges = new List<ContactEdge>();
        if (!rules.Cumulative)
        {
            foreach (var o in overlaps.Where(o => o.End - o.Start >= minimum))
            {
                edges.Add(Edge(o.From, o.To, degree, o.Place, o.Start, o.End, o.End - o.Start, rules));
            }

            return edges;
        }

        var pieces = overlaps.SelectMany(o => SplitAtMidnight(o));
        foreach (var day in pieces.GroupBy(o => (o.From, o.To, o.Place, Day: ShanghaiDay(o.Start))))
        {
            var total = UnionLength(day);
            if (total >= minimum)
            {
                edges.Add(Edge(day.Key.From, day.Key.To, degree, day.Key.Place, day.Min(o => o.Start), day.Max(o => o.End), total, rules));
            }
        }

        return edges;
    }

    /// <summary>
    /// The seconds covered by at least one of <paramref name="overlaps"/>. Two stays of one person at
    /// one place can overlap (an exit-only stay reaches back over the stay before it), and the time
    /// both were present counts once.
    /// </summary>
    private static int UnionLength(IEnumerable<Overlap> overlaps)
    {
        var merged = new List<(int Start, int End)>();
        foreach (var o in overlaps.OrderBy(o => o.Start))
        {
            if (merged.Count > 0 && o.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, o.End));
            }
            else
            {
                merged.Add((o.Start, o.End));
            }
        }

        return merged.Sum(m => m.End - m.Start);
    }

    private static IEnumerable<Overlap> SplitAtMidnight(Overlap overlap)
    {
        for (var start = overlap.Start; start < overlap.End;)
        {
            var local = IndexClock.FromSeconds(start).ToOffset(Beijing);
            var midnight = IndexClock.ToSeconds(new DateTimeOffset(local.Date.AddDays(1), Beijing));
            var end = Math.Min(overlap.End, midnight);
            yield return overlap with { Start = start, End = end };
            start = end;
        }
    }

    private static DateOnly ShanghaiDay(int seconds) => DateOnly.FromDateTime(IndexClock.FromSeconds(seconds).ToOffset(Beijing).Date);

    private static ContactEdge Edge(long from, long to, int degree, long place, int start, int end, int total, RuleSet rules) =>
        new(from, to, degree, place, IndexClock.FromSeconds(start), IndexClock.FromSeconds(end), TimeSpan.FromSeconds(total), rules.Version);
}
