using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Shanzhi.Cases;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>Follow-ups a stopped process left between the claim and the case: the repair opens each case once.</summary>
public sealed class UnidentifiedRepairTests
{
    private static readonly DateTimeOffset Morning = new DateTimeOffset(2026, 3, 2, 8, 30, 0, CaseWorld.Shanghai).ToUniversalTime();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Claimed_follow_up_without_case_gets_one_once(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        var check = new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch);
        await using var db = world.Cases.NewContext();
        await Open(world, db).ClaimAsync(school, check, Ct);
        await StorePassageAsync(world, school, check);
        world.Cases.Clock.Advance(OpenUnidentifiedCase.OrphanAge + TimeSpan.FromMinutes(1));

        var first = await Open(world, db).RepairOrphansAsync(Ct);
        var again = await Open(world, db).RepairOrphansAsync(Ct);

        var @case = Assert.Single(await db.Cases.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(((1, 0), (0, 0)), (first, again));
        Assert.Equal(CaseState.Dispatched, @case.State);
        Assert.Equal(@case.Id, (await db.UnidentifiedFollowUps.AsNoTracking().SingleAsync(Ct)).CaseId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Case_reported_but_not_linked_is_reused(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        await world.MustCheckAsync(school, new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch));
        await using var db = world.Cases.NewContext();
        await db.UnidentifiedFollowUps.ExecuteUpdateAsync(s => s.SetProperty(f => f.CaseId, (Guid?)null), Ct);
        world.Cases.Clock.Advance(OpenUnidentifiedCase.OrphanAge + TimeSpan.FromMinutes(1));

        await Open(world, db).RepairOrphansAsync(Ct);

        var @case = Assert.Single(await db.Cases.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(@case.Id, (await db.UnidentifiedFollowUps.AsNoTracking().SingleAsync(Ct)).CaseId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Claim_without_passage_is_released(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        await using var db = world.Cases.NewContext();
        await Open(world, db).ClaimAsync(school, new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch), Ct);
        var young = await Open(world, db).RepairOrphansAsync(Ct);
        world.Cases.Clock.Advance(OpenUnidentifiedCase.OrphanAge + TimeSpan.FromMinutes(1));

        var old = await Open(world, db).RepairOrphansAsync(Ct);

        Assert.Equal(((0, 0), (0, 1)), (young, old));
        Assert.False(await db.UnidentifiedFollowUps.AnyAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resend_after_claim_stores_passage_once(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        var check = new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch);
        await using var db = world.Cases.NewContext();
        await Open(world, db).ClaimAsync(school, check, Ct);
        world.Cases.Clock.Advance(OpenUnidentifiedCase.OrphanAge + TimeSpan.FromMinutes(1));

        var resent = await world.MustCheckAsync(school, check);
        var again = await world.MustCheckAsync(school, check);
        var repaired = await Open(world, db).RepairOrphansAsync(Ct);

        var passage = Assert.Single(await db.Passages.AsNoTracking().ToListAsync(Ct));
        var @case = Assert.Single(await db.Cases.AsNoTracking().ToListAsync(Ct));
        var followUp = await db.UnidentifiedFollowUps.AsNoTracking().SingleAsync(Ct);
        Assert.Equal((GateDecision.ManualCheck, "no_match", true), (resent.Decision, resent.ReasonCode, resent.Replayed));
        Assert.Equal(resent, again);
        Assert.Equal((school.DeviceId, 9L, (long?)null), (passage.DeviceId, passage.DeviceSequence, passage.PersonKey));
        Assert.Equal(CaseState.Dispatched, @case.State);
        Assert.Equal(@case.Id, followUp.CaseId);
        Assert.Equal((0, 0), repaired);
    }

    /// <summary>
    /// Two copies of a "no match" check: the first claims the follow-up, the second finds the claim
    /// without a passage, takes it over and stores the passage first. The first copy's insert is then a
    /// duplicate of its own check, which must be replayed, not rejected as a reused sequence.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Claimer_overtaken_by_its_resend_is_replayed(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        var check = new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch);
        var heldIngest = new HeldIngest(world.Ingest);
        await using var firstDb = world.Cases.NewContext();
        var first = world.Gate(firstDb, ingest: heldIngest).CheckAsync(school, check, Ct);
        await heldIngest.Entered.Task.WaitAsync(Ct);

        var second = await world.MustCheckAsync(school, check);
        heldIngest.Release.SetResult();
        var overtaken = await first;

        await using var db = world.Cases.NewContext();
        var @case = Assert.Single(await db.Cases.AsNoTracking().ToListAsync(Ct));
        Assert.True(overtaken.IsSuccess, overtaken.Error?.Code);
        Assert.Equal((GateDecision.ManualCheck, "no_match", true), (overtaken.Value!.Decision, overtaken.Value.ReasonCode, overtaken.Value.Replayed));
        Assert.Equal((GateDecision.ManualCheck, "no_match"), (second.Decision, second.ReasonCode));
        Assert.Single(await db.Passages.AsNoTracking().ToListAsync(Ct));
        Assert.Equal(@case.Id, (await db.UnidentifiedFollowUps.AsNoTracking().SingleAsync(Ct)).CaseId);
    }

    private static OpenUnidentifiedCase Open(GateWorld world, ShanzhiDbContext db) =>
        new(db, world.Cases.Cases(db), world.Cases.Clock, NullLogger<OpenUnidentifiedCase>.Instance);

    private static async Task StorePassageAsync(GateWorld world, DeviceContext device, GateCheckInput check)
    {
        var record = new PassageRecord(device.DeviceId, check.Sequence, device.EntranceId, device.PlaceId, null, check.OccurredAt, check.Direction,
            GateDecision.ManualCheck, HubChannel.None, null);
        var stored = await world.Ingest.SubmitAsync([record], Ct);
        Assert.True(stored.IsSuccess, stored.Error?.Detail);
    }

    /// <summary>Holds the first submission until <see cref="Release"/> is set; later ones go straight through.</summary>
    private sealed class HeldIngest(IPassageIngest inner) : IPassageIngest
    {
        private int _calls;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.SetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await inner.SubmitAsync(passages, cancellationToken);
        }
    }
}
