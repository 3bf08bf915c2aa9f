using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>Stays from passages, windows, overlaps and degrees on the in-memory index alone.</summary>
public sealed class ContactIndexTests
{
    private const long Index = 1, Contact = 2, Other = 3, Secondary = 4;
    private const long Mall = 100, Home = 200;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Onset = new(2026, 3, 10, 9, 0, 0, Beijing);

    /// <summary>Window 8 March 00:00 to 21 March 00:00 (Beijing); any overlap counts, stay by stay.</summary>
    private static readonly RuleSet AnyOverlap = new("test", "test-1", "测试", 2, 10, TimeSpan.Zero, Cumulative: false, SecondDegree: false);

    private static DateTimeOffset At(int day, int hour, int minute = 0, int second = 0) => new(2026, 3, day, hour, minute, second, Beijing);

    private static ContactIndex NewIndex()
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.SetPlaceKind(Mall, PlaceKind.Mall);
        index.SetPlaceKind(Home, PlaceKind.ResidentialCompound);
        return index;
    }

    private static IndexedPassage In(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.In);

    private static IndexedPassage Out(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.Out);

    private static TraceResult Trace(ContactIndex index, RuleSet? rules = null, DateTimeOffset? isolated = null) =>
        index.Trace(new TraceRequest(Index, Onset, rules ?? AnyOverlap, isolated));

    [Fact]
    public void In_and_the_next_Out_at_the_same_place_make_one_stay()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 11)), In(Contact, Mall, At(10, 10, 30)), Out(Contact, Mall, At(10, 12))]);

        var edge = Assert.Single(Trace(index).Edges);

        Assert.Equal((At(10, 10, 30), At(10, 11), TimeSpan.FromMinutes(30)), (edge.OverlapStart, edge.OverlapEnd, edge.Overlap));
    }

    [Fact]
    public void In_without_an_Out_lasts_the_default_dwell_of_the_place_kind()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), In(Contact, Mall, At(10, 11, 30)), Out(Contact, Mall, At(10, 13))]);

        var edge = Assert.Single(Trace(index).Edges);

        Assert.Equal(At(10, 12), edge.OverlapEnd);
    }

    [Fact]
    public void Out_without_an_In_is_a_default_dwell_ending_at_the_Out()
    {
        using var index = NewIndex();
        index.Add([In(Contact, Mall, At(10, 7)), Out(Contact, Mall, At(10, 8, 30)), Out(Index, Mall, At(10, 9))]);

        var edge = Assert.Single(Trace(index).Edges);

        Assert.Equal(At(10, 7), edge.OverlapStart);
    }

    [Fact]
    public void An_open_stay_ends_at_the_persons_next_passage_elsewhere()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), In(Index, Home, At(10, 10, 20)), In(Contact, Mall, At(10, 10, 30)), Out(Contact, Mall, At(10, 11))]);

        var edges = Trace(index).Edges;

        Assert.DoesNotContain(edges, e => e.PlaceId == Mall);
    }

    [Fact]
    public void Stay_ending_exactly_at_the_window_start_is_not_a_contact()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(7, 22)), Out(Index, Mall, At(8, 0)), In(Contact, Mall, At(7, 22)), Out(Contact, Mall, At(8, 0))]);

        Assert.Empty(Trace(index).Edges);
    }

    [Fact]
    public void Stay_ending_one_second_into_the_window_is_a_contact_for_that_second()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(7, 22)), Out(Index, Mall, At(8, 0, 0, 1)), In(Contact, Mall, At(7, 22)), Out(Contact, Mall, At(8, 0, 0, 1))]);

        var edge = Assert.Single(Trace(index).Edges);

        Assert.Equal(TimeSpan.FromSeconds(1), edge.Overlap);
    }

    [Fact]
    public void Stay_starting_exactly_at_the_window_end_is_not_a_contact()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(21, 0)), Out(Index, Mall, At(21, 2)), In(Contact, Mall, At(21, 0)), Out(Contact, Mall, At(21, 2))]);

        Assert.Empty(Trace(index).Edges);
    }

    [Fact]
    public void Stays_that_only_touch_do_not_overlap()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 11)), In(Contact, Mall, At(10, 11)), Out(Contact, Mall, At(10, 12))]);

        Assert.Empty(Trace(index).Edges);
    }

    [Fact]
    public void Isolation_time_ends_the_window()
    {
        using var index = NewIndex();
        index.Add([In(Index, Mall, At(12, 10)), Out(Index, Mall, At(12, 12)), In(Contact, Mall, At(12, 11)), Out(Contact, Mall, At(12, 12))]);

        Assert.Empty(Trace(index, isolated: At(12, 11)).Edges);
    }

    [Fact]
    public void Fourteen_minutes_cumulative_is_below_the_WHO_minimum()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 10, 7)), In(Contact, Mall, At(10, 10)), Out(Contact, Mall, At(10, 10, 7)),
            In(Index, Mall, At(10, 15)), Out(Index, Mall, At(10, 15, 7)), In(Contact, Mall, At(10, 15)), Out(Contact, Mall, At(10, 15, 7)),
        ]);

        Assert.Empty(Trace(index, RuleSets.Who).Edges);
    }

    [Fact]
    public void Two_short_visits_on_one_day_add_up_to_a_WHO_contact()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 10, 8)), In(Contact, Mall, At(10, 10)), Out(Contact, Mall, At(10, 10, 8)),
            In(Index, Mall, At(10, 15)), Out(Index, Mall, At(10, 15, 7)), In(Contact, Mall, At(10, 15)), Out(Contact, Mall, At(10, 15, 7)),
        ]);

        var edge = Assert.Single(Trace(index, RuleSets.Who).Edges);

        Assert.Equal((At(10, 10), At(10, 15, 7), TimeSpan.FromMinutes(15)), (edge.OverlapStart, edge.OverlapEnd, edge.Overlap));
    }

    [Fact]
    public void Short_visits_on_two_Beijing_days_do_not_add_up()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 23, 50)), Out(Index, Mall, At(11, 0, 0)), In(Contact, Mall, At(10, 23, 50)), Out(Contact, Mall, At(11, 0, 0)),
            In(Index, Mall, At(11, 8)), Out(Index, Mall, At(11, 8, 10)), In(Contact, Mall, At(11, 8)), Out(Contact, Mall, At(11, 8, 10)),
        ]);

        Assert.Empty(Trace(index, RuleSets.Who).Edges);
    }

    [Fact]
    public void Short_visits_without_cumulation_are_judged_one_by_one()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 10, 8)), In(Contact, Mall, At(10, 10)), Out(Contact, Mall, At(10, 10, 8)),
            In(Index, Mall, At(10, 15)), Out(Index, Mall, At(10, 15, 8)), In(Contact, Mall, At(10, 15)), Out(Contact, Mall, At(10, 15, 8)),
        ]);

        Assert.Empty(Trace(index, RuleSets.Who with { Cumulative = false }).Edges);
    }

    [Fact]
    public void Every_edge_carries_place_and_rule_set_version()
    {
        using var index = NewIndex();
        index.Add([In(Index, Home, At(10, 12)), Out(Index, Home, At(10, 17)), In(Contact, Home, At(10, 13)), Out(Contact, Home, At(10, 18))]);

        var edge = Assert.Single(Trace(index, RuleSets.China8).Edges);

        Assert.Equal((Index, Contact, 1, Home, "cn8-2021.1"), (edge.From, edge.To, edge.Degree, edge.PlaceId, edge.RuleSetVersion));
    }

    [Fact]
    public void Cumulative_overnight_stay_gives_one_edge_per_Beijing_day()
    {
        using var index = NewIndex();
        index.Add([In(Index, Home, At(10, 19)), Out(Index, Home, At(11, 7)), In(Contact, Home, At(10, 20)), Out(Contact, Home, At(11, 8))]);

        var edges = Trace(index, RuleSets.China8).Edges;

        Assert.Equal([(At(10, 20), At(11, 0)), (At(11, 0), At(11, 7))], edges.Select(e => (e.OverlapStart, e.OverlapEnd)));
    }

    [Fact]
    public void Second_degree_counts_only_from_the_close_contacts_first_exposure()
    {
        using var index = NewIndex();
        index.Add([
            In(Other, Home, At(9, 18)), In(Contact, Home, At(9, 19)), Out(Contact, Home, At(10, 8)), Out(Other, Home, At(10, 8)),
            In(Index, Mall, At(10, 10)), In(Contact, Mall, At(10, 10)), Out(Index, Mall, At(10, 12)), Out(Contact, Mall, At(10, 12)),
            In(Contact, Home, At(10, 19)), In(Secondary, Home, At(10, 19)), Out(Contact, Home, At(11, 8)), Out(Secondary, Home, At(11, 8)),
        ]);

        var second = Trace(index, AnyOverlap with { SecondDegree = true }).Edges.Where(e => e.Degree == 2);

        Assert.Equal([(Contact, Secondary)], second.Select(e => (e.From, e.To)));
    }

    [Fact]
    public void Second_degree_leaves_out_the_index_person_and_the_close_contacts()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 10)), In(Contact, Mall, At(10, 10)), In(Other, Mall, At(10, 10)),
            Out(Index, Mall, At(10, 12)), Out(Contact, Mall, At(10, 12)), Out(Other, Mall, At(10, 12)),
        ]);

        var edges = Trace(index, AnyOverlap with { SecondDegree = true }).Edges;

        Assert.DoesNotContain(edges, e => e.Degree == 2);
    }

    [Fact]
    public void Edges_come_in_a_fixed_order()
    {
        using var index = NewIndex();
        index.Add([
            In(Index, Mall, At(10, 10)), In(Other, Mall, At(10, 10, 1)), In(Contact, Mall, At(10, 10, 2)),
            Out(Index, Mall, At(10, 12)), Out(Other, Mall, At(10, 12)), Out(Contact, Mall, At(10, 12)),
        ]);

        Assert.Equal([Contact, Other], Trace(index).Edges.Select(e => e.To));
    }

    [Fact]
    public void Late_passage_is_inserted_in_start_order_and_found()
    {
        using var index = NewIndex();
        index.Add([In(Other, Mall, At(10, 14)), Out(Other, Mall, At(10, 15)), In(Index, Mall, At(10, 10)), Out(Index, Mall, At(10, 11))]);
        index.Add([In(Contact, Mall, At(10, 9)), Out(Contact, Mall, At(10, 10, 30))]);

        Assert.Equal([Contact], Trace(index).Edges.Select(e => e.To));
    }

    [Fact]
    public void Unknown_index_person_has_no_contacts()
    {
        using var index = NewIndex();

        Assert.Empty(Trace(index).Edges);
    }

    [Fact]
    public void Observer_ignores_unidentified_passages()
    {
        using var index = NewIndex();

        index.OnCommitted([new PassageRecord(1, 1, 1, Mall, null, At(10, 10), PassageDirection.In, GateDecision.ManualCheck, HubChannel.None, null)]);

        Assert.Equal(0, index.PassageCount);
    }

    [Fact]
    public void Passage_seen_by_both_the_rebuild_and_the_observer_is_counted_once()
    {
        using var index = NewIndex();
        var passage = new PassageRecord(1, 1, 1, Mall, Index, At(10, 10), PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green);

        index.BeginRebuild();
        index.OnCommitted([passage]);
        index.Add([In(Index, Mall, At(10, 10))]);
        index.EndRebuild();

        Assert.Equal(1, index.StayCount);
    }

    [Fact]
    public void Passage_committed_during_the_rebuild_is_replayed_after_it()
    {
        using var index = NewIndex();
        index.BeginRebuild();
        index.Add([In(Contact, Mall, At(10, 10))]);
        index.OnCommitted([new PassageRecord(1, 1, 1, Mall, Index, At(10, 10, 30), PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green)]);
        index.EndRebuild();

        Assert.Equal([Contact], Trace(index).Edges.Select(e => e.To));
    }
}
