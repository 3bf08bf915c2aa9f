using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>Retention of health-status history and of resolved unidentified-person follow-ups, under the default policies.</summary>
public sealed class HealthRetentionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Old_history_expires_but_latest_change_stays(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var changed = await world.RegisterAsync(1);
        var quiet = await world.RegisterAsync(2);
        await RuleAsync(world, changed, "close-contact");
        await RuleAsync(world, quiet, "close-contact");
        world.Cases.Clock.Advance(TimeSpan.FromDays(10));
        await RuleAsync(world, changed, "isolation-completed");
        world.Cases.Clock.Advance(TimeSpan.FromDays(RetentionOptions.HealthStatusHistoryDays - 5));
        await using var db = world.NewContext();

        var receipts = await PurgeAsync(db, world.Cases, new TableRetentionTarget(RetentionClasses.HealthStatusHistory, HealthStatusChange.Table,
            HealthStatusChange.RecordedAtColumn, keepNewestPer: HealthStatusChange.PersonKeyColumn));

        var left = await db.HealthStatusChanges.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.PersonKey, c.To }).ToListAsync(Ct);
        Assert.Equal(1, Assert.Single(receipts).Count);
        Assert.Equal([(quiet, HealthStatus.Red), (changed, HealthStatus.Green)], left.Select(c => (c.PersonKey, c.To)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resolved_follow_up_expires_and_open_one_stays(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var opened = world.Cases.Clock.GetUtcNow();
        await using (var setup = world.NewContext())
        {
            var resolved = new UnidentifiedFollowUp { DeviceId = 1, DeviceSequence = 1, PlaceId = 1, OpenedAt = opened };
            resolved.Resolve(FollowUpOutcome.Cleared, null, "已离甬", opened);
            setup.UnidentifiedFollowUps.AddRange(resolved, new UnidentifiedFollowUp { DeviceId = 1, DeviceSequence = 2, PlaceId = 1, OpenedAt = opened });
            await setup.SaveChangesAsync(Ct);
        }

        world.Cases.Clock.Advance(TimeSpan.FromDays(RetentionOptions.UnidentifiedFollowUpDays + 1));
        await using var db = world.NewContext();

        await PurgeAsync(db, world.Cases,
            new TableRetentionTarget(RetentionClasses.UnidentifiedFollowUp, UnidentifiedFollowUp.Table, UnidentifiedFollowUp.ResolvedAtColumn));

        Assert.Equal([2L], await db.UnidentifiedFollowUps.AsNoTracking().Select(f => f.DeviceSequence).ToListAsync(Ct));
    }

    private static async Task RuleAsync(RegistryWorld world, long key, string rule)
    {
        await using var db = world.NewContext();
        var result = await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit(rule, "流调结论"), world.CityOfficer, Ct);
        Assert.True(result.IsSuccess, result.Error?.Detail);
    }

    /// <summary>Runs the engine with the default policies, so the defaults themselves are under test.</summary>
    private static async Task<IReadOnlyList<RetentionReceipt>> PurgeAsync(ShanzhiDbContext db, CaseWorld cases, IRetentionTarget target) =>
        await new RetentionEngine(db, [target], new TestAuditLog(cases.Store, cases.Clock), MsOptions.Create(new RetentionOptions()),
            NullLogger<RetentionEngine>.Instance).PurgeAsync(cases.Clock.GetUtcNow(), Ct);
}
