using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shanzhi.Cases;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseEscalationTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Overdue_case_is_escalated_once_to_command_centre(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var dispatched = await world.DriveToAsync(CaseState.Dispatched);
        var ct = TestContext.Current.CancellationToken;

        // Deadline Monday 14:30; at 16:00 the case is 1.5 working hours late.
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 16, 0, 0, CaseWorld.Shanghai).ToUniversalTime());
        int first, second;
        await using (var db = world.NewContext())
        {
            first = await world.Escalation(db).EscalateOverdueAsync(world.Clock.GetUtcNow(), ct);
        }

        await using (var db = world.NewContext())
        {
            second = await world.Escalation(db).EscalateOverdueAsync(world.Clock.GetUtcNow().AddHours(1), ct);
        }

        var escalation = (await world.EventsAsync(dispatched.Id)).Single(e => e.Type == CaseEventType.Escalated);
        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(world.CommandCentreId, escalation.UnitId);
        Assert.Equal("“已派遣”环节已超期 1.5 个工作时，由指挥中心督办。", escalation.Reason);
        Assert.Equal(CaseState.Dispatched, escalation.ToState);
        Assert.Equal(world.Clock.GetUtcNow(), (await world.GetAsync(dispatched.Id)).EscalatedAt);

        // The escalation's audit record is written by 系统 in the same transaction.
        await using var records = world.NewContext();
        var audited = await records.AuditRecords.Where(r => r.SubjectId == dispatched.Id.ToString()).OrderByDescending(r => r.Sequence).FirstAsync(ct);
        Assert.Equal(AuditAction.CaseTransition, audited.Action);
        Assert.Null(audited.ActorId);
        Assert.Equal("系统", audited.ActorName);
        Assert.Equal($"{dispatched.CaseNo} Escalate: Dispatched -> Dispatched", audited.Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cases_on_time_suspended_or_closed_are_not_escalated(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await world.DriveToAsync(CaseState.Suspended);
        await world.DriveToAsync(CaseState.Closed);
        await world.DriveToAsync(CaseState.Rejected);
        var onTime = await world.ReportAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();

        var count = await world.Escalation(db).EscalateOverdueAsync(onTime.Deadline!.Value.AddMinutes(-1), ct);

        Assert.Equal(0, count);
        Assert.False(await db.CaseEvents.AnyAsync(e => e.Type == CaseEventType.Escalated, ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Job_escalates_on_start_and_on_each_tick(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        world.Options.Escalation.Interval = TimeSpan.FromMinutes(5);
        var ct = TestContext.Current.CancellationToken;
        var early = await world.DriveToAsync(CaseState.Dispatched);
        world.Clock.Advance(TimeSpan.FromDays(1));

        await using var provider = JobServices(world, world.NewContext);
        var job = provider.GetRequiredService<OverdueEscalationJob>();

        await job.StartAsync(ct);
        await WaitForEscalationAsync(world, early.Id);

        var late = await world.DriveToAsync(CaseState.Dispatched);
        world.Clock.Advance(TimeSpan.FromDays(1));
        await WaitForEscalationAsync(world, late.Id);
        await job.StopAsync(ct);

        Assert.Single(await world.EventsAsync(early.Id), e => e.Type == CaseEventType.Escalated);
        Assert.Single(await world.EventsAsync(late.Id), e => e.Type == CaseEventType.Escalated);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Job_survives_a_failing_run(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var failures = 0;

        await using var provider = JobServices(world, () => Interlocked.Increment(ref failures) == 1
            ? throw new InvalidOperationException("store unavailable")
            : world.NewContext());
        var job = provider.GetRequiredService<OverdueEscalationJob>();
        var overdue = await world.DriveToAsync(CaseState.Dispatched);
        world.Clock.Advance(TimeSpan.FromDays(1));

        await job.StartAsync(ct);
        await WaitUntilAsync(() => Volatile.Read(ref failures) >= 1);
        world.Clock.Advance(world.Options.Escalation.Interval);
        await WaitForEscalationAsync(world, overdue.Id);
        await job.StopAsync(ct);

        Assert.True(failures >= 2);
    }

    private static ServiceProvider JobServices(CaseWorld world, Func<ShanzhiDbContext> newContext)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(world.Clock);
        services.AddSingleton(world.Calendars);
        services.AddSingleton(Options.Create(world.Options));
        services.AddScoped(_ => newContext());
        services.AddSingleton<IAuditLog>(new TestAuditLog(world.Store, world.Clock));
        services.AddScoped<CaseEscalation>();
        services.AddSingleton<OverdueEscalationJob>();
        return services.BuildServiceProvider();
    }

    /// <summary>Waits for the job running on another thread; the fake clock drives it, this only bounds a hang.</summary>
    private static async Task WaitForEscalationAsync(CaseWorld world, Guid caseId) =>
        await WaitUntilAsync(async () => (await world.EventsAsync(caseId)).Any(e => e.Type == CaseEventType.Escalated));

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, limit.Token);
        }
    }
}
