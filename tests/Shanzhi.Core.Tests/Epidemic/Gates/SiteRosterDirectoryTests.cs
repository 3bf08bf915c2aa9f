using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>Site rosters held in memory for the site gate: load, changes in this process, and changes by another instance through the poll.</summary>
public sealed class SiteRosterDirectoryTests
{
    private const string CreditCode = "91330200MA2AB1234Y";

    private static readonly DateOnly First = new(2026, 3, 2);
    private static readonly DateOnly Last = new(2026, 3, 31);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loaded_rosters_decide_the_site_gate(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (site, worker, _) = await RosteredWorkerAsync(world, directory: null);
        var rosters = new SiteRosterDirectory();
        var before = rosters.IsOnRoster(site.PlaceId, worker, First);

        await world.RosterLoader(rosters).PollAsync(Ct);
        await using var db = world.Cases.NewContext();
        var onRoster = await world.Gate(db, rosters).CheckAsync(site, GateCheckTests.ByKey(1, worker, At(First)), Ct);
        var beforeStart = await world.Gate(db, rosters).CheckAsync(site, GateCheckTests.ByKey(2, worker, At(First.AddDays(-1))), Ct);

        Assert.Null(before);
        Assert.True(rosters.IsReady);
        Assert.Equal(GateDecision.Pass, onRoster.Value!.Decision);
        Assert.Equal("not_on_roster", beforeStart.Value!.ReasonCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Changes_in_process_are_seen_at_once(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var rosters = new SiteRosterDirectory();
        await world.RosterLoader(rosters).PollAsync(Ct);

        var (site, worker, entry) = await RosteredWorkerAsync(world, rosters);
        var added = rosters.IsOnRoster(site.PlaceId, worker, new DateOnly(2026, 3, 11));
        await using (var db = world.Cases.NewContext())
        {
            await world.Rosters(db, rosters).EndEntryAsync(site.PlaceId, entry, new DateOnly(2026, 3, 10), world.Officer, Ct);
        }

        var ended = rosters.IsOnRoster(site.PlaceId, worker, new DateOnly(2026, 3, 11));

        Assert.Equal((true, false), (added, ended));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Changes_by_another_instance_arrive_with_the_next_poll(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var rosters = new SiteRosterDirectory();
        var loader = world.RosterLoader(rosters);
        await loader.PollAsync(Ct);

        var (site, worker, entry) = await RosteredWorkerAsync(world, directory: null);
        var beforePoll = rosters.IsOnRoster(site.PlaceId, worker, First);
        await loader.PollAsync(Ct);
        var added = rosters.IsOnRoster(site.PlaceId, worker, First);
        await using (var db = world.Cases.NewContext())
        {
            await world.Rosters(db).EndEntryAsync(site.PlaceId, entry, new DateOnly(2026, 3, 10), world.Officer, Ct);
        }

        await loader.PollAsync(Ct);
        var ended = rosters.IsOnRoster(site.PlaceId, worker, new DateOnly(2026, 3, 11));

        Assert.Equal((false, true, false), (beforePoll, added, ended));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Poll_reads_change_at_most_seven_times(StoreKind kind)
    {
        const int workers = 20;

        // At polls one second apart: 3 reads while the stamp is fresh, then one at each of the 4 reread ages.
        const int maxReads = 7;
        await using var world = await GateWorld.CreateAsync(kind);
        var clock = world.Cases.Clock;
        var rosters = new SiteRosterDirectory();
        var loader = world.RosterLoader(rosters);
        await loader.PollAsync(Ct);

        var (site, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetA);
        var keys = new List<long>();
        for (var n = 1; n <= workers; n++)
        {
            keys.Add(await world.PersonAsync(SyntheticIds.Id(n), HealthStatus.Green));
        }

        var readBefore = loader.PolledRows;
        await using (var db = world.Cases.NewContext())
        {
            var other = world.Rosters(db);
            var employer = (await other.AddEmployerAsync("宁波某建设有限公司", CreditCode, world.Officer, Ct)).Value!;
            foreach (var key in keys)
            {
                Assert.NotNull((await other.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, key, First, Last), world.Officer, Ct)).Value);
            }
        }

        var added = clock.GetUtcNow();
        while (clock.GetUtcNow() - added <= StampWindows.Overlap + PopulationDirectoryLoader.PollInterval)
        {
            clock.Advance(PopulationDirectoryLoader.PollInterval);
            await loader.PollAsync(Ct);
        }

        var reads = loader.PolledRows - readBefore;
        var onRoster = keys.Count(key => rosters.IsOnRoster(site.PlaceId, key, First) == true);

        Assert.Equal(workers, onRoster);
        Assert.InRange(reads, workers, maxReads * workers);
    }

    [Fact]
    public void Stale_read_cannot_lengthen_an_ended_entry()
    {
        var rosters = new SiteRosterDirectory();
        rosters.MarkReady(true);
        var entry = new RosterSpan(1, 10, 20, First, Last);

        rosters.Apply([entry with { ValidTo = new DateOnly(2026, 3, 10) }]);
        rosters.Apply([entry]);

        Assert.False(rosters.IsOnRoster(10, 20, new DateOnly(2026, 3, 11)));
    }

    private static DateTimeOffset At(DateOnly day) => new DateTimeOffset(day.Year, day.Month, day.Day, 7, 30, 0, CaseWorld.Shanghai).ToUniversalTime();

    /// <summary>A site in street A with a green worker on its roster from <see cref="First"/> to <see cref="Last"/>, added through <paramref name="directory"/> when given.</summary>
    private static async Task<(DeviceContext Site, long Worker, long Entry)> RosteredWorkerAsync(GateWorld world, SiteRosterDirectory? directory)
    {
        var (site, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetA);
        var worker = await world.PersonAsync(GateCheckParserTests.Id(), HealthStatus.Green);
        await using var db = world.Cases.NewContext();
        var rosters = directory is null ? world.Rosters(db) : world.Rosters(db, directory);
        var employer = (await rosters.AddEmployerAsync("宁波某建设有限公司", CreditCode, world.Officer, Ct)).Value!;
        var entry = (await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, worker, First, Last), world.Officer, Ct)).Value!;
        return (site, worker, entry.Id);
    }
}
