using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

/// <summary>
/// A fixture city over the week after today. Grid A has a full-time worker, seven sanitation tasks
/// (30 min: 3 done, 2 missed, 2 open) and two open cases. Grid B has no worker, one open task and
/// one cancelled task. Grid C has a part-time worker and fourteen flood-duty tasks (120 min) from two plans.
/// </summary>
public sealed class WorkloadTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ranking_puts_unstaffed_then_most_overloaded_grids_first(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var (from, to) = await BuildFixtureCityAsync(world);
        await using var db = world.NewContext();

        var ranking = (await world.Workload(db).RankGridsAsync(world.Leader, CaseWorld.PathOf(CaseWorld.City), from, to, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([GridWorld.GridB, GridWorld.GridC, GridWorld.GridA], ranking.Select(g => g.GridCode));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grid_figures_count_tasks_cases_and_hours(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var (from, to) = await BuildFixtureCityAsync(world);
        await using var db = world.NewContext();

        var a = (await world.Workload(db).GridAsync(world.Leader, GridWorld.GridA, from, to, TestContext.Current.CancellationToken)).Value!;

        // 7 tasks × 30 min = 3.5 h, plus 2 open cases × 0.5 h; one full-time worker for the whole week.
        Assert.Equal((1, 2, 2, 3, 2, 4.5, 40.0), (a.Workers, a.OpenTasks, a.OpenCases, a.VisitsDone, a.VisitsMissed, a.EstimatedHours, a.AvailableHours));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Part_time_worker_hours_set_the_overload_score(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var (from, to) = await BuildFixtureCityAsync(world);
        await using var db = world.NewContext();

        var c = (await world.Workload(db).GridAsync(world.Leader, GridWorld.GridC, from, to, TestContext.Current.CancellationToken)).Value!;

        // 14 tasks × 2 h = 28 h over 20 part-time hours.
        Assert.Equal((28.0, 20.0, 1.4), (c.EstimatedHours, c.AvailableHours, c.OverloadScore));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unstaffed_grid_has_no_score(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var (from, to) = await BuildFixtureCityAsync(world);
        await using var db = world.NewContext();

        var b = (await world.Workload(db).GridAsync(world.Leader, GridWorld.GridB, from, to, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal((0, 0.5, (double?)null), (b.Workers, b.EstimatedHours, b.OverloadScore));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Worker_figures_cover_their_tasks_and_grid_cases(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var (from, to) = await BuildFixtureCityAsync(world);
        await using var db = world.NewContext();

        var w = (await world.Workload(db).WorkerAsync(world.Worker, world.Worker.UserId!.Value, from, to, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal((2, 2, 3, 2, 4.5, 40.0), (w.OpenTasks, w.OpenCases, w.VisitsDone, w.VisitsMissed, w.EstimatedHours, w.AvailableHours));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Worker_outside_scope_looks_missing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var yinzhouOperator = await world.Cases.UserAsync("鄞州指挥员", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou), Roles.CommandOperator);
        await using var db = world.NewContext();
        var ct = TestContext.Current.CancellationToken;

        var outOfScope = await world.Workload(db).WorkerAsync(yinzhouOperator, world.Worker.UserId!.Value, world.Today, world.Today, ct);
        var missing = await world.Workload(db).WorkerAsync(yinzhouOperator, Guid.NewGuid(), world.Today, world.Today, ct);
        var inScope = await world.Workload(db).WorkerAsync(world.Leader, world.Worker.UserId!.Value, world.Today, world.Today, ct);

        Assert.Equal("workload.worker_not_found", outOfScope.Error?.Code);
        Assert.Equal(missing.Error, outOfScope.Error);
        Assert.True(inScope.IsSuccess, inScope.Error?.Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grid_worker_cannot_rank_grids(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Workload(db).RankGridsAsync(world.Worker, world.Worker.ScopePath, world.Today, world.Today, TestContext.Current.CancellationToken);

        Assert.Equal("grid.forbidden", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ranking_by_region_code_lists_the_grids_under_it(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var ranking = (await world.Workload(db).RankGridsInRegionAsync(world.Leader, CaseWorld.Haishu, world.Today, world.Today, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([CaseWorld.StreetA + "001001", CaseWorld.StreetB + "001001"], ranking.Select(g => g.GridCode).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ranking_without_region_code_covers_the_viewers_scope(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var ranking = (await world.Workload(db).RankGridsInRegionAsync(world.Cases.StreetAOperator, null, world.Today, world.Today, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([CaseWorld.StreetA + "001001"], ranking.Select(g => g.GridCode));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ranking_a_region_outside_the_scope_is_region_not_found(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Workload(db).RankGridsInRegionAsync(world.Cases.StreetAOperator, CaseWorld.Yinzhou, world.Today, world.Today, TestContext.Current.CancellationToken);

        Assert.Equal(("region.not_found", 404), (result.Error?.Code, result.Error?.Status));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ranking_an_unknown_region_code_is_region_not_found(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Workload(db).RankGridsInRegionAsync(world.Leader, "339999", world.Today, world.Today, TestContext.Current.CancellationToken);

        Assert.Equal("region.not_found", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reversed_period_is_rejected(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Workload(db).RankGridsAsync(world.Leader, "", world.Today, world.Today.AddDays(-1), TestContext.Current.CancellationToken);

        Assert.Equal("workload.invalid_period", result.Error?.Code);
    }

    private static async Task<(DateOnly From, DateOnly To)> BuildFixtureCityAsync(GridWorld world)
    {
        var ct = TestContext.Current.CancellationToken;
        var from = world.Today.AddDays(1);
        var to = from.AddDays(6);
        var now = world.Cases.Clock.GetUtcNow();
        var partTimer = await world.Cases.UserAsync("兼职网格员", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou), Roles.GridWorker);
        await world.Cases.ReportAsync(CaseWorld.InStreetA);
        await world.Cases.ReportAsync((29.1, 121.1));

        await using var db = world.NewContext();
        var people = world.People(db);
        await people.AssignAsync(new AssignWorkerRequest(GridWorld.GridC, partTimer.UserId!.Value, true, Employment.PartTime), world.Operator, ct);

        var planA = Plan(GridWorld.GridA, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, GridWorld.GridA), "D08", from);
        var planB = Plan(GridWorld.GridB, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB, GridWorld.GridB), "D08", from);
        var planC1 = Plan(GridWorld.GridC, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou, CaseWorld.StreetC, GridWorld.GridC), "D10", from);
        var planC2 = Plan(GridWorld.GridC, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou, CaseWorld.StreetC, GridWorld.GridC), "D10", from);
        db.PatrolPlans.AddRange(planA, planB, planC1, planC2);
        for (var i = 0; i < 7; i++)
        {
            var task = PatrolTask.For(planA, from.AddDays(i), world.Worker.UserId);
            if (i < 3)
            {
                task.Complete(now);
            }
            else if (i < 5)
            {
                task.MarkMissed(now);
            }

            db.PatrolTasks.Add(task);
            db.PatrolTasks.Add(PatrolTask.For(planC1, from.AddDays(i), partTimer.UserId));
            db.PatrolTasks.Add(PatrolTask.For(planC2, from.AddDays(i), partTimer.UserId));
        }

        var cancelled = PatrolTask.For(planB, from.AddDays(1), null);
        cancelled.Cancel(now);
        db.PatrolTasks.AddRange(PatrolTask.For(planB, from, null), cancelled);
        await db.SaveChangesAsync(ct);
        return (from, to);
    }

    private static PatrolPlan Plan(string grid, string path, string duty, DateOnly from) => new()
    {
        GridCode = grid, GridPath = path, DutyCode = duty, Title = duty, Frequency = PatrolFrequency.Daily, StartsOn = from,
    };
}
