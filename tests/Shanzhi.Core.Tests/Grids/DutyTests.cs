using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Grids;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class DutyTests
{
    private const string NewDuty = "D99";

    [Fact]
    public void Seed_list_has_the_common_duties()
    {
        Assert.Equal(22, GridCatalogSeeder.Duties.Select(d => d.Code).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Admission_takes_effect_only_after_approval(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await AddUnadmittedDutyAsync(world);
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange(NewDuty, DutyChangeKind.Admit, CaseWorld.Haishu, "试点电梯安全巡查"), world.Operator, ct)).Value!;
        var before = (await duties.InEffectAsync(GridWorld.GridA, world.Operator, ct)).Value!.Any(d => d.DutyCode == NewDuty);

        await duties.DecideAsync(change.Id, approve: true, "同意试点", world.Leader, ct);

        var after = (await duties.InEffectAsync(GridWorld.GridA, world.Operator, ct)).Value!.Any(d => d.DutyCode == NewDuty);
        Assert.Equal((false, true), (before, after));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Admission_covers_only_grids_under_its_region(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await AddUnadmittedDutyAsync(world);
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange(NewDuty, DutyChangeKind.Admit, CaseWorld.Haishu, "试点"), world.Operator, ct)).Value!;
        await duties.DecideAsync(change.Id, true, null, world.Leader, ct);

        var inYinzhou = (await duties.InEffectAsync(GridWorld.GridC, world.Operator, ct)).Value!;

        Assert.DoesNotContain(inYinzhou, d => d.DutyCode == NewDuty);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Requester_cannot_approve_their_own_request(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await AddUnadmittedDutyAsync(world);
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange(NewDuty, DutyChangeKind.Admit, CaseWorld.Haishu, "试点"), world.Leader, ct)).Value!;

        var result = await duties.DecideAsync(change.Id, true, null, world.Leader, ct);

        Assert.Equal("duty.self_approval", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Operator_cannot_approve(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await AddUnadmittedDutyAsync(world);
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange(NewDuty, DutyChangeKind.Admit, CaseWorld.Haishu, "试点"), world.Leader, ct)).Value!;

        var result = await duties.DecideAsync(change.Id, true, null, world.Operator, ct);

        Assert.Equal("duty.approver_role", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Withdrawal_of_a_city_wide_duty_for_one_district_is_refused(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Duties(db).RequestAsync(new RequestDutyChange("D08", DutyChangeKind.Withdraw, CaseWorld.Haishu, "改由物业负责"),
            world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal("duty.admitted_wider", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Withdrawal_hands_open_tasks_to_the_responsible_unit_as_dispatched_cases(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;

        var handedOver = await WithdrawWithTodaysTaskOpenAsync(world);

        await using var check = world.NewContext();
        var @case = await check.Cases.AsNoTracking().SingleAsync(c => c.Id == handedOver.CaseId, ct);
        Assert.Equal(
            (PatrolTaskState.HandedOver, GridCatalogSeeder.HandedOverDutyCategory, CaseState.Dispatched, (Guid?)world.Cases.SanitationUnitId),
            (handedOver.State, @case.CategoryCode, @case.State, @case.UnitId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Handed_over_case_comes_from_the_system_channel(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;

        var handedOver = await WithdrawWithTodaysTaskOpenAsync(world);

        await using var check = world.NewContext();
        Assert.Equal(CaseChannel.System, await check.Cases.AsNoTracking().Where(c => c.Id == handedOver.CaseId).Select(c => c.Channel).SingleAsync(ct));
    }

    /// <summary>Gives today's D08 task, withdraws D08 city-wide with approval, and returns the task as stored afterwards.</summary>
    private static async Task<PatrolTask> WithdrawWithTodaysTaskOpenAsync(GridWorld world)
    {
        var ct = TestContext.Current.CancellationToken;
        var task = await world.TodaysTaskAsync("D08");
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange("D08", DutyChangeKind.Withdraw, CaseWorld.City, "改由物业负责"), world.Operator, ct)).Value!;
        await duties.DecideAsync(change.Id, true, "同意", world.Leader, ct);

        await using var check = world.NewContext();
        return await check.PatrolTasks.AsNoTracking().SingleAsync(t => t.Id == task.Id, ct);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Withdrawal_keeps_the_admission_as_history(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange("D08", DutyChangeKind.Withdraw, CaseWorld.City, "改由物业负责"), world.Operator, ct)).Value!;
        await duties.DecideAsync(change.Id, true, null, world.Leader, ct);

        var rows = await db.GridDuties.AsNoTracking().Where(g => g.DutyCode == "D08").ToListAsync(ct);

        Assert.Equal([change.Id], rows.Select(r => r.WithdrawalId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Withdrawn_duty_generates_no_more_tasks(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await world.TodaysTaskAsync("D08");
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange("D08", DutyChangeKind.Withdraw, CaseWorld.City, "改由物业负责"), world.Operator, ct)).Value!;
        await duties.DecideAsync(change.Id, true, null, world.Leader, ct);

        var created = await world.Generator(db).GenerateAsync(world.Today.AddDays(1), ct);

        Assert.Equal(0, created);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_withdrawal_leaves_the_duty_in_effect(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var duties = world.Duties(db);
        var change = (await duties.RequestAsync(new RequestDutyChange("D08", DutyChangeKind.Withdraw, CaseWorld.City, "改由物业负责"), world.Operator, ct)).Value!;

        await duties.DecideAsync(change.Id, false, "物业尚未接手", world.Leader, ct);

        Assert.True(await DutyService.IsInEffectAsync(db, "D08", CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, GridWorld.GridA), ct));
    }

    private static async Task AddUnadmittedDutyAsync(GridWorld world)
    {
        await using var db = world.NewContext();
        db.DutyKinds.Add(new DutyKind { Code = NewDuty, Name = "电梯安全巡查", ResponsibleUnitName = CityUnits.Housing });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
