using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>The contact index against a real store: the rebuild at start and the updates after ingest.</summary>
public sealed class ContactIndexStoreTests
{
    private const long Index = 11, Contact = 12;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Onset = new(2026, 3, 10, 9, 0, 0, Beijing);

    private static DateTimeOffset At(int hour, int minute = 0) => new DateTimeOffset(2026, 3, 10, hour, minute, 0, Beijing).ToUniversalTime();

    internal static ServiceProvider Services(TestStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiStorage(store.Options);

        // The passages are from March 2026; a clock a few days later keeps them inside the movement retention.
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Onset.AddDays(5)));
        services.AddShanzhiTracing();
        return services.BuildServiceProvider();
    }

    private static async Task<long> AddPlaceAsync(ShanzhiDbContext db, PlaceKind kind)
    {
        var place = new Place { Name = "测试场所", Kind = kind, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
        db.Places.Add(place);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return place.Id;
    }

    private static Passage Passage(long sequence, long placeId, long? person, DateTimeOffset at, PassageDirection direction) => new()
    {
        DeviceId = 1,
        DeviceSequence = sequence,
        EntranceId = 1,
        PlaceId = placeId,
        PersonKey = person,
        OccurredAt = at,
        Direction = direction,
        Decision = GateDecision.Pass,
        Channel = HubChannel.None,
        ReceivedAt = at,
    };

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_pairs_stored_passages_into_stays(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            var mall = await AddPlaceAsync(db, PlaceKind.Mall);
            db.Passages.AddRange(
                Passage(1, mall, Index, At(10), PassageDirection.In),
                Passage(2, mall, Contact, At(10, 40), PassageDirection.In),
                Passage(3, mall, Index, At(11), PassageDirection.Out),
                Passage(4, mall, null, At(11), PassageDirection.In),
                Passage(5, mall, Contact, At(12), PassageDirection.Out));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var services = Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);

        var edge = Assert.Single(services.GetRequiredService<IContactTracer>().Trace(new TraceRequest(Index, Onset, RuleSets.Who)).Edges);
        Assert.Equal((At(10, 40), At(11)), (edge.OverlapStart, edge.OverlapEnd));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_takes_the_default_dwell_from_the_stored_place_kind(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            var school = await AddPlaceAsync(db, PlaceKind.School);
            db.Passages.AddRange(Passage(1, school, Index, At(8), PassageDirection.In), Passage(2, school, Contact, At(8), PassageDirection.In));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var services = Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);

        var edge = Assert.Single(services.GetRequiredService<IContactTracer>().Trace(new TraceRequest(Index, Onset, RuleSets.Who)).Edges);
        Assert.Equal(TimeSpan.FromHours(8), edge.Overlap);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Passages_committed_after_the_rebuild_reach_the_index_through_the_observer(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        long mall;
        await using (var db = store.NewContext())
        {
            mall = await AddPlaceAsync(db, PlaceKind.Mall);
            db.Passages.Add(Passage(1, mall, Index, At(10), PassageDirection.In));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var services = Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);
        var committed = new PassageRecord(1, 2, 1, mall, Contact, At(10, 30), PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green);
        foreach (var observer in services.GetServices<IPassageObserver>())
        {
            observer.OnCommitted([committed]);
        }

        var edges = services.GetRequiredService<IContactTracer>().Trace(new TraceRequest(Index, Onset, RuleSets.Who)).Edges;
        Assert.Equal([Contact], edges.Select(e => e.To));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_of_an_empty_store_leaves_the_index_ready_and_empty(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var services = Services(store);
        var index = services.GetRequiredService<ContactIndex>();

        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);

        Assert.Equal((true, 0L), (index.IsReady, index.PassageCount));
    }
}
