using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>Construction-site rosters and the site gate: validity days in Asia/Shanghai, both ends included.</summary>
public sealed class SiteRosterTests
{
    private const string CreditCode = "91330200MA2AB1234Y";

    private static readonly DateOnly First = new(2026, 3, 2);
    private static readonly DateOnly Last = new(2026, 3, 31);

    public static TheoryData<StoreKind, int, int, GateDecision> Edges()
    {
        var data = new TheoryData<StoreKind, int, int, GateDecision>();
        foreach (var kind in new[] { StoreKind.Sqlite, StoreKind.Postgres })
        {
            // (day offset from the first valid day, Shanghai hour, decision)
            data.Add(kind, -1, 23, GateDecision.Deny);
            data.Add(kind, 0, 0, GateDecision.Pass);
            data.Add(kind, 29, 23, GateDecision.Pass);
            data.Add(kind, 30, 0, GateDecision.Deny);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Edges))]
    public async Task Site_gate_admits_rostered_workers_on_the_first_and_last_day_only(StoreKind kind, int dayOffset, int hour, GateDecision expected)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (site, worker) = await RosteredWorkerAsync(world);
        var day = First.AddDays(dayOffset);
        var at = new DateTimeOffset(day.Year, day.Month, day.Day, hour, 0, 0, CaseWorld.Shanghai).ToUniversalTime();
        world.ClockAtLeast(at);

        var answer = await world.MustCheckAsync(site, GateCheckTests.ByKey(1, worker, at));

        Assert.Equal(expected, answer.Decision);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ended_entry_denies_from_the_next_day_and_leaving_is_not_checked(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (site, worker) = await RosteredWorkerAsync(world);
        await using (var db = world.Cases.NewContext())
        {
            var rosters = world.Rosters(db);
            var entry = (await rosters.ListAsync(site.PlaceId, world.Officer, TestContext.Current.CancellationToken)).Value!.Single();
            Assert.NotNull((await rosters.EndEntryAsync(site.PlaceId, entry.Id, new DateOnly(2026, 3, 10), world.Officer, TestContext.Current.CancellationToken)).Value);
        }

        world.ClockAtLeast(At(new DateOnly(2026, 3, 11)));
        var lastDay = await world.MustCheckAsync(site, GateCheckTests.ByKey(1, worker, At(new DateOnly(2026, 3, 10))));
        var dayAfter = await world.MustCheckAsync(site, GateCheckTests.ByKey(2, worker, At(new DateOnly(2026, 3, 11))));
        var leaving = await world.MustCheckAsync(site, GateCheckTests.ByKey(3, worker, At(new DateOnly(2026, 3, 11))) with { Direction = PassageDirection.Out });

        Assert.Equal(
            [GateDecision.Pass, GateDecision.Deny, GateDecision.Pass],
            [lastDay.Decision, dayAfter.Decision, leaving.Decision]);
        Assert.Equal("not_on_roster", dayAfter.ReasonCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Roster_of_another_site_does_not_count(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (_, worker) = await RosteredWorkerAsync(world);
        var (otherSite, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetC);

        var answer = await world.MustCheckAsync(otherSite, GateCheckTests.ByKey(1, worker, At(First)));

        Assert.Equal(GateDecision.Deny, answer.Decision);
    }

    [Fact]
    public async Task Roster_input_is_checked()
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var (site, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetA);
        var worker = await world.PersonAsync(GateCheckParserTests.Id(), HealthStatus.Green);
        await using var db = world.Cases.NewContext();
        var rosters = world.Rosters(db);
        var employer = (await rosters.AddEmployerAsync("宁波某建设有限公司", CreditCode, world.Officer, ct)).Value!;

        var badCode = await rosters.AddEmployerAsync("某劳务公司", "91330200MA2AB1234X", world.Officer, ct);
        var duplicate = await rosters.AddEmployerAsync("某劳务公司", CreditCode, world.Officer, ct);
        var notASite = await rosters.AddEntryAsync(mall.PlaceId, new AddRosterEntryRequest(employer.Id, worker, First, Last), world.Officer, ct);
        var unknownWorker = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, 999_999, First, Last), world.Officer, ct);
        var reversed = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, worker, Last, First), world.Officer, ct);
        var notOfficer = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, worker, First, Last), world.Cases.GridWorker, ct);

        Assert.Equal(
            "roster.invalid_credit_code roster.duplicate_credit_code roster.not_a_site roster.person_unknown roster.invalid_dates epidemic.forbidden",
            string.Join(' ', badCode.Error?.Code, duplicate.Error?.Code, notASite.Error?.Code, unknownWorker.Error?.Code, reversed.Error?.Code, notOfficer.Error?.Code));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Overlapping_entry_is_rejected(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var (site, worker) = await RosteredWorkerAsync(world);
        await using var db = world.Cases.NewContext();
        var rosters = world.Rosters(db);
        var first = (await rosters.ListAsync(site.PlaceId, world.Officer, ct)).Value!.Single();

        var again = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(first.EmployerId, worker, First, Last), world.Officer, ct);
        var lastDay = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(first.EmployerId, worker, Last, Last.AddDays(30)), world.Officer, ct);
        var dayAfter = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(first.EmployerId, worker, Last.AddDays(1), Last.AddDays(30)), world.Officer, ct);
        Assert.NotNull((await rosters.EndEntryAsync(site.PlaceId, first.Id, First.AddDays(-1), world.Officer, ct)).Value);
        var afterVoid = await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(first.EmployerId, worker, First, Last), world.Officer, ct);

        Assert.Equal("roster.entry_overlaps", again.Error?.Code);
        Assert.Equal(409, again.Error?.Status);
        Assert.Contains($"条目 {first.Id}，2026-03-02 至 2026-03-31", again.Error?.Detail, StringComparison.Ordinal);
        Assert.Equal("roster.entry_overlaps", lastDay.Error?.Code);
        Assert.NotNull(dayAfter.Value);
        Assert.NotNull(afterVoid.Value);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_identical_entries_store_one(StoreKind kind)
    {
        const int attempts = 10;
        await using var world = await GateWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var (site, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetA);
        long employerId;
        await using (var db = world.Cases.NewContext())
        {
            employerId = (await world.Rosters(db).AddEmployerAsync("宁波某建设有限公司", CreditCode, world.Officer, ct)).Value!.Id;
        }

        // Each attempt races two identical requests for a new worker; each request has its own context and connection.
        var outcomes = new List<string>();
        for (var i = 0; i < attempts; i++)
        {
            var worker = await world.PersonAsync(SyntheticIds.Id(i + 1), HealthStatus.Green);
            var request = new AddRosterEntryRequest(employerId, worker, First, Last);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await using var db = world.Cases.NewContext();
                var rosters = world.Rosters(db);
                start.SignalAndWait(ct);
                return await rosters.AddEntryAsync(site.PlaceId, request, world.Officer, ct);
            }, ct)));
            outcomes.Add(string.Join(' ', results.Select(r => r.Error?.Code ?? "added").Order(StringComparer.Ordinal)));
        }

        await using var check = world.Cases.NewContext();
        var entries = (await world.Rosters(check).ListAsync(site.PlaceId, world.Officer, ct)).Value!;
        Assert.Equal(Enumerable.Repeat("added roster.entry_overlaps", attempts), outcomes);
        Assert.Equal(attempts, entries.Count);
    }

    private static DateTimeOffset At(DateOnly day) => new DateTimeOffset(day.Year, day.Month, day.Day, 7, 30, 0, CaseWorld.Shanghai).ToUniversalTime();

    /// <summary>A site in street A with a green worker on its roster from <see cref="First"/> to <see cref="Last"/>.</summary>
    private static async Task<(DeviceContext Site, long Worker)> RosteredWorkerAsync(GateWorld world)
    {
        var ct = TestContext.Current.CancellationToken;
        var (site, _) = await world.DeviceAtAsync(PlaceKind.ConstructionSite, CaseWorld.InStreetA);
        var worker = await world.PersonAsync(GateCheckParserTests.Id(), HealthStatus.Green);
        await using var db = world.Cases.NewContext();
        var rosters = world.Rosters(db);
        var employer = (await rosters.AddEmployerAsync("宁波某建设有限公司", CreditCode, world.Officer, ct)).Value!;
        Assert.NotNull((await rosters.AddEntryAsync(site.PlaceId, new AddRosterEntryRequest(employer.Id, worker, First, Last), world.Officer, ct)).Value);
        return (site, worker);
    }
}
