using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>Stays and edges do not depend on the order passages arrive in, through <c>Add</c> or the observer.</summary>
public sealed class ContactIndexArrivalOrderTests
{
    private const long Index = 1, Contact = 2;
    private const long Mall = 100, Home = 200, Station = 300;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Onset = new(2026, 3, 10, 9, 0, 0, Beijing);

    /// <summary>Any overlap counts, stay by stay, so every stay shows in the evidence.</summary>
    private static readonly RuleSet AnyOverlap = new("test", "test-1", "测试", 2, 10, TimeSpan.Zero, Cumulative: false, SecondDegree: false);

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, Beijing);

    private static ContactIndex NewIndex()
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.SetPlaceKind(Mall, PlaceKind.Mall);
        index.SetPlaceKind(Home, PlaceKind.ResidentialCompound);
        index.SetPlaceKind(Station, PlaceKind.RailStation);
        return index;
    }

    private static IndexedPassage In(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.In);

    private static IndexedPassage Out(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.Out);

    private static PassageRecord Record(IndexedPassage p, long sequence) =>
        new(1, sequence, 1, p.PlaceId, p.PersonKey, p.At, p.Direction, GateDecision.Pass, HubChannel.None, HealthStatus.Green);

    private static List<(long, long, int, int)> Stays(ContactIndex index) => [.. index.ExportStays().Order()];

    private static List<ContactEdge> Edges(ContactIndex index, long person, RuleSet rules) =>
        [.. index.Trace(new TraceRequest(person, Onset, rules)).Edges];

    [Fact]
    public void Late_entries_pair_with_exits()
    {
        using var index = NewIndex();
        index.Add([Out(Index, Mall, At(10, 9, 35)), Out(Contact, Mall, At(10, 9, 35))]);
        index.Add([In(Index, Mall, At(10, 8, 50)), In(Contact, Mall, At(10, 9, 5))]);

        var edge = Assert.Single(Edges(index, Index, AnyOverlap));

        Assert.Equal((At(10, 9, 5), At(10, 9, 35), TimeSpan.FromMinutes(30)), (edge.OverlapStart, edge.OverlapEnd, edge.Overlap));
    }

    [Fact]
    public void Late_passage_splits_a_stay()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 16))]);
        index.Add([In(Index, Station, At(10, 12))]);

        // The mall entry now ends at the station entry; the mall exit becomes an exit-only stay (2 h dwell before it).
        Assert.Equal(
            [(Index, Mall, Seconds(At(10, 10)), Seconds(At(10, 12))), (Index, Mall, Seconds(At(10, 14)), Seconds(At(10, 16))),
                (Index, Station, Seconds(At(10, 12)), Seconds(At(10, 13)))],
            Stays(index));
    }

    [Fact]
    public void Repeated_late_passage_counts_once()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 11)), In(Index, Home, At(10, 19))]);
        index.Add([In(Index, Mall, At(10, 10))]);

        Assert.Equal(3, index.PassageCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Shuffled_Add_gives_time_order_stays(int seed)
    {
        var passages = Trajectories(seed);
        using var ordered = NewIndex();
        ordered.Add([.. passages.OrderBy(p => p.At)]);
        using var shuffled = NewIndex();
        foreach (var batch in Shuffle(passages, seed).Chunk(7))
        {
            shuffled.Add(batch);
        }

        Assert.Equal(Stays(ordered), Stays(shuffled));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Shuffled_observer_gives_time_order_edges(int seed)
    {
        var passages = Trajectories(seed);
        var rules = RuleSets.China9 with { MinimumOverlap = TimeSpan.FromMinutes(5) };
        using var ordered = NewIndex();
        ordered.Add([.. passages.OrderBy(p => p.At)]);
        using var shuffled = NewIndex();
        var sequence = 0L;
        foreach (var batch in Shuffle(passages, seed).Chunk(5))
        {
            shuffled.OnCommitted([.. batch.Select(p => Record(p, ++sequence))]);
        }

        Assert.All(Enumerable.Range(1, 12), person =>
            Assert.Equal(Edges(ordered, person, rules), Edges(shuffled, person, rules)));
    }

    [Fact]
    public void Shuffled_after_compaction_gives_time_order_stays()
    {
        var passages = Trajectories(7);
        using var ordered = NewIndex();
        ordered.Add([.. passages.OrderBy(p => p.At)]);
        using var shuffled = NewIndex();
        var batches = Shuffle(passages, 7).Chunk(11).ToList();
        for (var i = 0; i < batches.Count; i++)
        {
            shuffled.Add(batches[i]);
            if (i % 5 == 4)
            {
                shuffled.Compact();
            }
        }

        Assert.Equal(Stays(ordered), Stays(shuffled));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Repeated_passages_change_nothing(int seed)
    {
        var passages = Trajectories(seed);
        var rules = RuleSets.China9 with { MinimumOverlap = TimeSpan.FromMinutes(5) };
        using var once = NewIndex();
        once.Add([.. passages.OrderBy(p => p.At)]);
        using var repeated = NewIndex();
        repeated.Add([.. passages.OrderBy(p => p.At)]);

        // Every passage again, out of order, then once more after a compaction, through the observer.
        repeated.AddCommitted([.. Shuffle(passages, seed)]);
        repeated.Compact();
        var sequence = 0L;
        foreach (var batch in Shuffle(passages, seed + 100).Chunk(9))
        {
            repeated.OnCommitted([.. batch.Select(p => Record(p, ++sequence))]);
        }

        Assert.Equal(once.PassageCount, repeated.PassageCount);
        Assert.Equal(Stays(once), Stays(repeated));
        Assert.All(Enumerable.Range(1, 12), person =>
            Assert.Equal(Edges(once, person, rules), Edges(repeated, person, rules)));
    }

    [Fact]
    public void Repeats_held_back_by_a_rebuild_change_nothing()
    {
        var passages = Trajectories(11);
        using var once = NewIndex();
        once.Add([.. passages.OrderBy(p => p.At)]);
        using var rebuilt = NewIndex();
        rebuilt.BeginRebuild();
        var read = new RebuildBuffer();
        read.Add([.. passages]);

        // Committed while the rebuild ran, and also read by it: held back, then built in.
        rebuilt.AddCommitted([.. Shuffle(passages, 11).Take(passages.Count / 2)]);
        rebuilt.EndRebuild(read);

        Assert.Equal(once.PassageCount, rebuilt.PassageCount);
        Assert.Equal(Stays(once), Stays(rebuilt));
    }

    /// <summary>
    /// Twelve persons over three days moving between a mall, a station and two homes, with missed
    /// exits and missed entries, some passages at the same second.
    /// </summary>
    private static List<IndexedPassage> Trajectories(int seed)
    {
        var random = new Random(seed);
        long[] places = [Mall, Home, Station, Home + 1];
        var passages = new List<IndexedPassage>();
        for (long person = 1; person <= 12; person++)
        {
            var at = At(9, 7);
            for (var visit = 0; visit < 12; visit++)
            {
                at = at.AddMinutes(random.Next(0, 240));
                var place = places[random.Next(places.Length)];
                var leave = at.AddMinutes(random.Next(0, 300));
                var roll = random.Next(10);
                if (roll != 0)
                {
                    passages.Add(In(person, place, at));
                }

                if (roll != 1)
                {
                    passages.Add(Out(person, place, leave));
                }

                at = leave;
            }
        }

        return passages;
    }

    private static List<IndexedPassage> Shuffle(List<IndexedPassage> passages, int seed)
    {
        var shuffled = passages.ToArray();
        new Random(seed * 31).Shuffle(shuffled);
        return [.. shuffled];
    }

    private static int Seconds(DateTimeOffset at) => (int)(at - IndexClock.Epoch).TotalSeconds;
}
