using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class PatrolTests
{
    // Grid A's east edge is longitude 121.5; at latitude 29.25 one thousandth of a degree of
    // longitude is about 97 m, so these points lie about 29 m and 97 m outside.
    private static readonly VisitProof JustOutside = new(29.25, 121.5003, "沿街巡查");
    private static readonly VisitProof FarOutside = new(29.25, 121.501, "沿街巡查");

    [Fact]
    public void Weekly_plan_is_due_every_seventh_day()
    {
        var plan = new PatrolPlan { GridCode = "g", GridPath = "/g/", DutyCode = "D01", Title = "t", Frequency = PatrolFrequency.Weekly, StartsOn = new DateOnly(2026, 3, 2) };

        var due = Enumerable.Range(0, 15).Select(i => new DateOnly(2026, 3, 2).AddDays(i)).Where(plan.IsDueOn).ToList();

        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9), new DateOnly(2026, 3, 16)], due);
    }

    [Fact]
    public void Every_n_days_plan_skips_the_days_between()
    {
        var plan = new PatrolPlan
        {
            GridCode = "g", GridPath = "/g/", DutyCode = "D01", Title = "t", Frequency = PatrolFrequency.EveryNDays, IntervalDays = 3,
            StartsOn = new DateOnly(2026, 3, 2),
        };

        var due = Enumerable.Range(0, 7).Select(i => new DateOnly(2026, 3, 2).AddDays(i)).Where(plan.IsDueOn).ToList();

        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 8)], due);
    }

    [Fact]
    public void Distance_outside_a_boundary_is_in_metres()
    {
        var box = new NetTopologySuite.IO.WKBWriter().Write(
            new NetTopologySuite.Geometries.GeometryFactory().ToGeometry(new NetTopologySuite.Geometries.Envelope(121, 121.5, 29, 29.5)));

        var meters = GridBoundary.MetersOutside(box, 29.25, 121.501);

        // 0.001° of longitude at 29.25° N: 111,195 m × cos 29.25° ≈ 97.0 m.
        Assert.InRange(meters, 96.5, 97.5);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Generating_the_same_day_twice_creates_the_tasks_once(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var second = await world.Generator(db).GenerateAsync(world.Today, ct);

        Assert.Equal((0, 1), (second, await db.PatrolTasks.CountAsync(ct)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Generated_task_goes_to_the_responsible_worker(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var tasks = await world.Patrols(db).TasksForAsync(world.Worker, world.Today, TestContext.Current.CancellationToken);

        Assert.Equal(["环境卫生巡查"], tasks.Select(t => t.DutyName));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Invalid_plans_are_rejected(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var ct = TestContext.Current.CancellationToken;
        var valid = new CreatePatrolPlanRequest(GridWorld.GridA, "D08", "每日巡查", PatrolFrequency.Daily, world.Today);

        var backwards = await world.Patrols(db).CreatePlanAsync(valid with { EndsOn = world.Today.AddDays(-1) }, world.Operator, ct);
        var longTitle = await world.Patrols(db).CreatePlanAsync(valid with { Title = new string('巡', 101) }, world.Operator, ct);
        var noInterval = await world.Patrols(db).CreatePlanAsync(valid with { Frequency = PatrolFrequency.EveryNDays, IntervalDays = 0 }, world.Operator, ct);
        var stranger = await world.Patrols(db).CreatePlanAsync(valid with { GridCode = GridWorld.GridB, AssigneeId = world.Worker.UserId }, world.Operator, ct);

        Assert.Equal("patrol.invalid_plan_period", backwards.Error?.Code);
        Assert.Equal("patrol.title_too_long", longTitle.Error?.Code);
        Assert.Equal("patrol.invalid_frequency", noInterval.Error?.Code);
        Assert.Equal("patrol.assignee_not_in_grid", stranger.Error?.Code);
        Assert.Equal(0, await db.PatrolPlans.CountAsync(ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Plan_for_a_duty_not_in_effect_is_refused(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        db.DutyKinds.Add(new DutyKind { Code = "D99", Name = "电梯安全巡查", ResponsibleUnitName = "x" });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var result = await world.Patrols(db).CreatePlanAsync(
            new CreatePatrolPlanRequest(GridWorld.GridA, "D99", "电梯巡查", PatrolFrequency.Daily, world.Today), world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal("patrol.duty_not_in_effect", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_inside_the_grid_completes_the_task(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, new VisitProof(29.25, 121.25, "无异常", "att-1"), world.Worker, ct);

        Assert.True(visit.IsSuccess, visit.Error?.Detail);
        Assert.Equal(PatrolTaskState.Done, (await db.PatrolTasks.AsNoTracking().SingleAsync(t => t.Id == task.Id, ct)).State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_just_outside_within_the_tolerance_is_accepted(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var task = await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, JustOutside, world.Worker, TestContext.Current.CancellationToken);

        Assert.InRange(visit.Value!.MetersOutside, 25, 35);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_beyond_the_tolerance_is_rejected_and_nothing_is_stored(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, FarOutside, world.Worker, ct);

        Assert.Equal(("visit.outside_grid", 0), (visit.Error?.Code, await db.Visits.CountAsync(ct)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Tolerance_is_configurable(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        world.Options.VisitToleranceMeters = 10;
        var task = await world.TodaysTaskAsync();
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, JustOutside, world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal("visit.outside_grid", visit.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Another_worker_cannot_record_the_visit(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var task = await world.TodaysTaskAsync();
        var other = await world.Cases.UserAsync("网格员庚", null, CaseWorld.PathOf(CaseWorld.City), Roles.GridWorker);
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, new VisitProof(29.25, 121.25), other, TestContext.Current.CancellationToken);

        Assert.Equal("patrol.task_not_found", visit.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Task_past_due_without_a_visit_is_missed_with_one_alert(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync();
        world.Cases.Clock.Advance(TimeSpan.FromDays(1));
        await using var db = world.NewContext();
        var generator = world.Generator(db);

        await generator.MarkMissedAsync(ct);
        await generator.MarkMissedAsync(ct);

        var alerts = await world.Patrols(db).AlertsAsync(world.Operator, openOnly: true, ct);
        Assert.Equal([(task.Id, PatrolAlertKind.MissedVisit)], alerts.Select(a => (a.TaskId, a.Kind)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Missed_task_batch_is_ordered(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync();
        world.Cases.Clock.Advance(TimeSpan.FromDays(1));

        // Take without OrderBy picks an arbitrary batch; EF reports it with this warning, raised here as an exception.
        await using var db = world.Cases.Store.NewContext(options =>
            options.ConfigureWarnings(w => w.Throw(CoreEventId.RowLimitingOperationWithoutOrderByWarning)));
        var missed = await world.Generator(db).MarkMissedAsync(ct);

        Assert.Equal(1, missed);
        Assert.Equal(PatrolTaskState.Missed, (await db.PatrolTasks.SingleAsync(t => t.Id == task.Id, ct)).State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Completed_task_raises_no_alert(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync();
        await using var db = world.NewContext();
        await world.Patrols(db).RecordVisitAsync(task.Id, new VisitProof(29.25, 121.25), world.Worker, ct);
        world.Cases.Clock.Advance(TimeSpan.FromDays(1));

        var missed = await world.Generator(db).MarkMissedAsync(ct);

        Assert.Equal(0, missed);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_after_the_due_time_is_refused(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var task = await world.TodaysTaskAsync();
        world.Cases.Clock.Advance(TimeSpan.FromDays(1));
        await using var db = world.NewContext();

        var visit = await world.Patrols(db).RecordVisitAsync(task.Id, new VisitProof(29.25, 121.25), world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal("patrol.task_not_today", visit.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Demo_worker_has_todays_task(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var worker = await world.Cases.UserAsync("演示网格员", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB), Roles.GridWorker);
        await using var db = world.NewContext();
        await GridDemo.PrepareWorkerAsync(db, world.Cases.Clock, worker.UserId!.Value, GridWorld.GridB, cancellationToken: ct);

        var tasks = await world.Patrols(db).TasksForAsync(worker, world.Today, ct);

        Assert.Equal([(GridWorld.GridB, PatrolTaskState.Open)], tasks.Select(t => (t.GridCode, t.State)));
    }
}
