using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// The bulk rebuild (<see cref="RebuildBuffer"/>, <see cref="ContactIndex.EndRebuild(RebuildBuffer)"/>)
/// gives the index that adding the same passages one by one and compacting gives: the same stays,
/// person lists, place ranges and traces, from shuffled passages, with retention, with passages
/// committed during the rebuild, and through the loader on both stores.
/// </summary>
public sealed class ContactIndexBulkRebuildTests
{
    private const int Persons = 40;
    private const long Mall = 100, Home = 200, Station = 300, School = 400;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly (long Id, PlaceKind Kind)[] Places =
        [(Mall, PlaceKind.Mall), (Home, PlaceKind.ResidentialCompound), (Station, PlaceKind.RailStation), (School, PlaceKind.School), (Home + 1, PlaceKind.ResidentialCompound)];

    /// <summary>Any overlap counts, stay by stay, so every overlapping stay shows in the edges.</summary>
    private static readonly RuleSet AnyOverlap = new("test", "test-1", "测试", 2, 10, TimeSpan.Zero, Cumulative: false, SecondDegree: false);

    private static readonly RuleSet SecondDegree = RuleSets.China9 with { MinimumOverlap = TimeSpan.FromMinutes(5) };

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, Beijing);

    private static ContactIndex NewIndex(TimeProvider time)
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()), Options.Create(new RetentionOptions()), time);
        index.BeginRebuild();
        foreach (var (id, kind) in Places)
        {
            index.SetPlaceKind(id, kind);
        }

        return index;
    }

    private static ContactIndex Incremental(IEnumerable<IndexedPassage> passages, TimeProvider time)
    {
        var index = NewIndex(time);
        foreach (var batch in passages.Chunk(9))
        {
            index.Add(batch);
        }

        index.EndRebuild();
        return index;
    }

    private static ContactIndex Bulk(IEnumerable<IndexedPassage> passages, TimeProvider time)
    {
        var index = NewIndex(time);
        var buffer = new RebuildBuffer();
        foreach (var batch in passages.Chunk(9))
        {
            buffer.Add(batch);
        }

        index.EndRebuild(buffer);
        return index;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Bulk_stays_equal_incremental_stays(int seed)
    {
        var passages = Trajectories(seed);
        var time = new FakeTimeProvider(At(20, 0));
        using var incremental = Incremental(passages.OrderBy(p => p.At), time);
        using var bulk = Bulk(Shuffle(passages, seed), time);

        Assert.Equal(incremental.ExportStays().Order(), bulk.ExportStays().Order());
        Assert.Equal(incremental.PassageCount, bulk.PassageCount);
        Assert.Equal(incremental.StayCount, bulk.StayCount);
        Assert.Equal(incremental.PersonCount, bulk.PersonCount);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Bulk_layout_equals_incremental_layout(int seed)
    {
        var passages = Trajectories(seed);
        var time = new FakeTimeProvider(At(20, 0));
        using var incremental = Incremental(Shuffle(passages, seed + 100), time);
        using var bulk = Bulk(Shuffle(passages, seed), time);

        Assert.Equal(PersonLists(incremental), PersonLists(bulk));
        Assert.Equal(PlaceRanges(incremental), PlaceRanges(bulk));
        Assert.All(Enumerable.Range(0, bulk.PlaceCountUnlocked), place => Assert.Equal(0, bulk.PlaceAt(place).TailCount));
        Assert.Equal(incremental.WalkHorizon, bulk.WalkHorizon);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public void Bulk_traces_equal_incremental_traces(int seed)
    {
        var passages = Trajectories(seed);
        var time = new FakeTimeProvider(At(20, 0));
        using var incremental = Incremental(passages.OrderBy(p => p.At), time);
        using var bulk = Bulk(Shuffle(passages, seed), time);

        foreach (var rules in new[] { AnyOverlap, SecondDegree })
        {
            Assert.All(Enumerable.Range(1, Persons), person =>
                Assert.Equal(Edges(incremental, person, rules), Edges(bulk, person, rules)));
        }
    }

    [Theory]
    [InlineData(9, 4)]
    [InlineData(10, 6)]
    [InlineData(11, 12)]
    public void Bulk_build_applies_compaction_retention(int seed, int clockDay)
    {
        // The movement retention is 28 days: a clock on 1 April puts the cutoff on 4 March, inside the passages.
        var passages = Trajectories(seed);
        var time = new FakeTimeProvider(At(clockDay, 12).AddDays(RetentionOptions.MovementDays));
        using var incremental = Incremental(passages.OrderBy(p => p.At), time);
        using var bulk = Bulk(Shuffle(passages, seed), time);

        Assert.Equal(incremental.ExportStays().Order(), bulk.ExportStays().Order());
        Assert.Equal(incremental.PersonCount, bulk.PersonCount);
        Assert.Equal(PersonLists(incremental), PersonLists(bulk));
        Assert.Equal(PlaceRanges(incremental), PlaceRanges(bulk));
        Assert.All(Enumerable.Range(1, Persons), person =>
            Assert.Equal(Edges(incremental, person, SecondDegree), Edges(bulk, person, SecondDegree)));
    }

    [Fact]
    public void Passages_committed_during_rebuild_count_once()
    {
        var passages = Trajectories(12);
        var time = new FakeTimeProvider(At(20, 0));
        using var incremental = Incremental(passages.OrderBy(p => p.At), time);

        // A third of the passages are committed during the rebuild; half of those were also read from the store.
        using var bulk = NewIndex(time);
        var shuffled = Shuffle(passages, 12);
        var committed = shuffled[..(shuffled.Count / 3)];
        var sequence = 0L;
        foreach (var batch in committed.Chunk(5))
        {
            bulk.OnCommitted([.. batch.Select(p => new PassageRecord(1, ++sequence, 1, p.PlaceId, p.PersonKey, p.At, p.Direction, GateDecision.Pass, HubChannel.None, HealthStatus.Green))]);
        }

        var buffer = new RebuildBuffer();
        buffer.Add([.. shuffled[(shuffled.Count / 6)..]]);
        bulk.EndRebuild(buffer);

        Assert.Equal(incremental.ExportStays().Order(), bulk.ExportStays().Order());
        Assert.Equal(incremental.PassageCount, bulk.PassageCount);
        Assert.True(bulk.IsReady);
    }

    [Fact]
    public void Passages_after_bulk_rebuild_add_normally()
    {
        var passages = Trajectories(13);
        var (before, after) = (passages.Where(p => p.At < At(11, 0)).ToList(), passages.Where(p => p.At >= At(11, 0)).ToList());
        var time = new FakeTimeProvider(At(20, 0));
        using var incremental = Incremental(before, time);
        using var bulk = Bulk(before, time);

        incremental.Add([.. after]);
        bulk.Add([.. after]);

        Assert.Equal(incremental.ExportStays().Order(), bulk.ExportStays().Order());
        Assert.All(Enumerable.Range(1, Persons), person =>
            Assert.Equal(Edges(incremental, person, SecondDegree), Edges(bulk, person, SecondDegree)));
    }

    [Fact]
    public void Bulk_build_of_nothing_is_ready_and_empty()
    {
        using var bulk = Bulk([], new FakeTimeProvider(At(20, 0)));

        Assert.Equal((true, 0L, 0, 0), (bulk.IsReady, bulk.PassageCount, bulk.StayCount, bulk.PersonCount));
    }

    /// <summary>
    /// Two entries of one person in the same second at two places: which one the mall exit pairs
    /// with follows from the place ids, not from which place the index happened to see first.
    /// </summary>
    [Fact]
    public void Same_second_ties_ignore_load_order()
    {
        IndexedPassage[] mallFirst =
        [
            new(1, Mall, At(10, 10), PassageDirection.In),
            new(1, Station, At(10, 10), PassageDirection.In),
            new(1, Mall, At(10, 10, 30), PassageDirection.Out),
        ];
        IndexedPassage[] stationFirst = [mallFirst[1], mallFirst[0], mallFirst[2]];
        var time = new FakeTimeProvider(At(20, 0));

        using var bulk = Bulk(mallFirst, time);
        using var bulkStationFirst = Bulk(stationFirst, time);
        using var incremental = Incremental(mallFirst, time);
        using var incrementalStationFirst = Incremental(stationFirst, time);

        // Mall (id 100) sorts before the station (id 300): its entry ends at the station entry, and the exit is a stay of its own.
        var expected = bulk.ExportStays().Order().ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected, bulkStationFirst.ExportStays().Order());
        Assert.Equal(expected, incremental.ExportStays().Order());
        Assert.Equal(expected, incrementalStationFirst.ExportStays().Order());
    }

    /// <summary>The same rows stored in two orders rebuild into the same stays: a tie between same-second passages never follows the row order.</summary>
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loader_stays_do_not_depend_on_row_order(StoreKind kind)
    {
        IndexedPassage[] mallFirst =
        [
            new(1, Mall, At(10, 10), PassageDirection.In),
            new(1, Station, At(10, 10), PassageDirection.In),
            new(1, Mall, At(10, 10, 30), PassageDirection.Out),
            new(2, Station, At(10, 10), PassageDirection.In),
            new(2, Mall, At(10, 10), PassageDirection.In),
            new(2, Station, At(10, 10, 40), PassageDirection.Out),
        ];
        var stays = new List<List<(long, long, int, int)>>();
        foreach (var rows in new[] { mallFirst, [.. mallFirst.Reverse()] })
        {
            await using var store = await TestStore.CreateAsync(kind);
            var ids = new Dictionary<long, long>();
            await using (var db = store.NewContext())
            {
                foreach (var (id, placeKind) in Places)
                {
                    var place = new Place { Name = "测试场所", Kind = placeKind, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
                    db.Places.Add(place);
                    await db.SaveChangesAsync(TestContext.Current.CancellationToken);
                    ids[id] = place.Id;
                }

                var sequence = 0L;
                await BulkInsert.InsertAsync(db, [.. rows.Select(p => Stored(++sequence, p with { PlaceId = ids[p.PlaceId] }))], TestContext.Current.CancellationToken);
            }

            await using var services = ContactIndexStoreTests.Services(store);
            await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);
            stays.Add([.. services.GetRequiredService<ContactIndex>().ExportStays().Order()]);
        }

        Assert.Equal(5, stays[0].Count);
        Assert.Equal(stays[0], stays[1]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loader_matches_incremental_build(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var passages = Trajectories(14);
        var ids = new Dictionary<long, long>();
        await using (var db = store.NewContext())
        {
            foreach (var (id, placeKind) in Places)
            {
                var place = new Place { Name = "测试场所", Kind = placeKind, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
                db.Places.Add(place);
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
                ids[id] = place.Id;
            }

            // Shuffled, so that the table order is not the time order.
            var sequence = 0L;
            passages = [.. passages.Select(p => p with { PlaceId = ids[p.PlaceId] })];
            await BulkInsert.InsertAsync(db, [.. Shuffle(passages, 14).Select(p => Stored(++sequence, p))], TestContext.Current.CancellationToken);
        }

        await using var services = ContactIndexStoreTests.Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);
        var loaded = services.GetRequiredService<ContactIndex>();

        using var incremental = new ContactIndex(Options.Create(new TracingOptions()), Options.Create(new RetentionOptions()), services.GetRequiredService<TimeProvider>());
        foreach (var (id, placeKind) in Places)
        {
            incremental.SetPlaceKind(ids[id], placeKind);
        }

        incremental.Add([.. passages.OrderBy(p => p.At)]);
        incremental.Compact();

        Assert.Equal(incremental.ExportStays().Order(), loaded.ExportStays().Order());
        Assert.Equal(incremental.PassageCount, loaded.PassageCount);
        Assert.All(Enumerable.Range(1, Persons), person =>
            Assert.Equal(Edges(incremental, person, SecondDegree), Edges(loaded, person, SecondDegree)));
    }

    private static Passage Stored(long sequence, IndexedPassage p) => new()
    {
        DeviceId = 1,
        DeviceSequence = sequence,
        EntranceId = 1,
        PlaceId = p.PlaceId,
        PersonKey = p.PersonKey,
        OccurredAt = p.At.ToUniversalTime(),
        Direction = p.Direction,
        Decision = GateDecision.Pass,
        Channel = HubChannel.None,
        ReceivedAt = p.At.ToUniversalTime(),
    };

    private static List<ContactEdge> Edges(ContactIndex index, long person, RuleSet rules) =>
        [.. index.Trace(new TraceRequest(person, At(10, 9), rules)).Edges];

    /// <summary>Each person's stays (place:start-end) as the search walks them, newest first, by person key.</summary>
    private static List<(long Person, string Stays)> PersonLists(ContactIndex index)
    {
        var lists = new List<(long, string)>();
        for (var person = 0; person < index.PersonCapacity; person++)
        {
            var stays = new List<string>();
            for (var id = index.LatestStayOf(person); id != ContactIndex.None; id = index.StayAt(id).Previous)
            {
                var stay = index.StayAt(id);
                stays.Add($"{index.PlaceIdAt(stay.Place)}:{stay.Start}-{stay.End}");
            }

            lists.Add((index.PersonKeyAt(person), string.Join(' ', stays)));
        }

        return [.. lists.OrderBy(l => l.Item1)];
    }

    /// <summary>Each place's compacted range in start order, the stays of one start as a set (person:end), checking the order on the way.</summary>
    private static List<(long Place, int MaximumDuration, string Stays)> PlaceRanges(ContactIndex index)
    {
        var ranges = new List<(long, int, string)>();
        for (var place = 0; place < index.PlaceCountUnlocked; place++)
        {
            ref var stays = ref index.PlaceAt(place);
            var range = Enumerable.Range(stays.First, stays.BaseCount).Select(id => index.StayAt(id)).ToList();
            var starts = range.Select(s => s.Start).ToList();
            Assert.Equal(starts.Order(), starts);
            var byStart = string.Join(' ', range.GroupBy(s => s.Start)
                .Select(g => $"{g.Key}/" + string.Join(',', g.Select(s => $"{index.PersonKeyAt(s.Person)}:{s.End}").Order())));
            ranges.Add((stays.Id, stays.MaximumDuration, byStart));
        }

        return [.. ranges.OrderBy(r => r.Item1)];
    }

    /// <summary>
    /// Forty persons over six days between a mall, a station, a school and two homes, with missed
    /// exits and entries, passages recorded twice, an exit and an entry at the same second, and
    /// exits more than <see cref="TracingOptions.MaximumStay"/> after their entries.
    /// </summary>
    private static List<IndexedPassage> Trajectories(int seed)
    {
        var random = new Random(seed);
        var passages = new List<IndexedPassage>();
        for (long person = 1; person <= Persons; person++)
        {
            var at = At(2, 7).AddMinutes(random.Next(0, 600));
            for (var visit = 0; visit < 14; visit++)
            {
                var place = Places[random.Next(Places.Length)].Id;
                var leave = random.Next(20) == 0 ? at.AddDays(3).AddMinutes(random.Next(1, 60)) : at.AddMinutes(random.Next(0, 400));
                var roll = random.Next(10);
                if (roll != 0)
                {
                    passages.Add(new IndexedPassage(person, place, at, PassageDirection.In));
                }

                if (roll != 1)
                {
                    passages.Add(new IndexedPassage(person, place, leave, PassageDirection.Out));
                }

                if (roll == 2)
                {
                    passages.Add(passages[^1]);
                }

                // Mostly a gap before the next visit; sometimes the next entry is at the second of this exit.
                at = roll == 3 ? leave : leave.AddMinutes(random.Next(0, 300));
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
}
