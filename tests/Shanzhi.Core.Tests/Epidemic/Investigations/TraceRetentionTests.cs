using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Privacy;
using Shanzhi.Tests.Infrastructure;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Tests.Epidemic.Investigations;

/// <summary>Trace snapshots are movement data: they expire with the movement policy (28 days by default).</summary>
public sealed class TraceRetentionTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Snapshot_expires_after_the_movement_period(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await TraceAsync(world, opened.Id);
        world.Cases.Clock.Advance(TimeSpan.FromDays(RetentionOptions.MovementDays + 1));
        await TraceAsync(world, opened.Id);
        await using var db = world.NewContext();
        var engine = new RetentionEngine(db, [new TableRetentionTarget(RetentionClasses.Movement, TraceSnapshot.Table, TraceSnapshot.RanAtColumn)],
            new TestAuditLog(world.Cases.Store, world.Cases.Clock), MsOptions.Create(new RetentionOptions()), NullLogger<RetentionEngine>.Instance);

        await engine.PurgeAsync(world.Cases.Clock.GetUtcNow(), TestContext.Current.CancellationToken);

        var left = await db.TraceSnapshots.AsNoTracking().Select(s => s.RanAt).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([world.Cases.Clock.GetUtcNow()], left);
    }

    private static async Task TraceAsync(InvestigationWorld world, Guid id)
    {
        await using var db = world.NewContext();
        var result = await world.Service(db).TraceAsync(id, world.Officer, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error?.Detail);
    }
}
