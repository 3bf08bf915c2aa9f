using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class IncentiveTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Sending_a_report_earns_nothing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);

        await world.ReportAsync(world.Worker);

        Assert.Equal(0, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Filing_credits_the_reporter(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        Assert.Equal(world.Options.Incentives.PointsForFiledReport, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_report_earns_nothing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Reject, Reason: "不属于城市管理范围"), world.Operator);

        Assert.Equal(0, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Closing_after_an_independent_verification_credits_the_reporter_again(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        await world.DriveToVerifyingAsync(@case.Id);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.PassVerification), world.Cases.Verifier);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Close), world.Operator);

        var rules = world.Options.Incentives;
        Assert.Equal(rules.PointsForFiledReport + rules.PointsForClosedReport, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_verified_by_its_reporter_earns_no_closing_points(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        await world.DriveToVerifyingAsync(@case.Id);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.PassVerification), world.Worker);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Close), world.Operator);

        Assert.Equal(world.Options.Incentives.PointsForFiledReport, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_filed_by_its_reporter_earns_nothing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var both = await world.Cases.UserAsync("兼任受理的网格员", null, CaseWorld.PathOf(CaseWorld.City), Roles.GridWorker, Roles.CommandOperator);
        var @case = await world.ReportAsync(both);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), both);

        Assert.Equal(0, await world.BalanceAsync(both));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Filing_the_same_case_event_twice_credits_once(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        var filed = await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        await using var db = world.NewContext();

        await world.Ledger(db).CreditReportAsync(filed, IncentiveReason.ReportFiled, world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal(world.Options.Incentives.PointsForFiledReport, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Second_report_of_the_same_problem_earns_nothing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var first = await world.ReportAsync(world.Worker);
        await world.ActAsync(first.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        var again = await world.ReportAsync(world.Worker, (29.2501, 121.2501));

        await world.ActAsync(again.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        Assert.Equal(world.Options.Incentives.PointsForFiledReport, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_merged_as_a_duplicate_loses_its_filing_points(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var parent = await world.ReportAsync(world.Cases.Verifier);
        var @case = await world.ReportAsync(world.Worker);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: parent.Id), world.Operator);

        Assert.Equal(0, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Daily_cap_limits_report_points(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        world.Options.Incentives.DailyReportPointsCap = 3;
        var first = await world.ReportAsync(world.Worker, (29.1, 121.1));
        var second = await world.ReportAsync(world.Worker, (29.4, 121.4));

        await world.ActAsync(first.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        await world.ActAsync(second.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        Assert.Equal(3, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reporter_without_an_earning_role_earns_nothing(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Cases.Verifier);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        Assert.Equal(0, await world.BalanceAsync(world.Cases.Verifier));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Micro_grid_member_earns_points_for_a_filed_report(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var volunteer = await world.Cases.UserAsync("楼道长丙", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA), Roles.MicroGridMember);
        var @case = await world.ReportAsync(volunteer);

        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        Assert.Equal(world.Options.Incentives.PointsForFiledReport, await world.BalanceAsync(volunteer));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Special_task_visit_earns_its_subsidy(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var task = await world.TodaysTaskAsync("D10");
        await using var db = world.NewContext();

        await world.Patrols(db).RecordVisitAsync(task.Id, new VisitProof(29.25, 121.25), world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal(5, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Redemption_cannot_overdraw(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var @case = await world.ReportAsync(world.Worker);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        await using var db = world.NewContext();

        var result = await world.Ledger(db).RedeemAsync(world.Worker.UserId!.Value, 3, "洗衣液一瓶", world.Worker, ct);

        Assert.Equal("points.insufficient", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Redemption_debits_the_balance(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var @case = await world.ReportAsync(world.Worker);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        await using var db = world.NewContext();

        await world.Ledger(db).RedeemAsync(world.Worker.UserId!.Value, 2, "洗衣液一瓶", world.Worker, ct);

        Assert.Equal(0, await world.BalanceAsync(world.Worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Ledger_lists_entries_newest_first(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var @case = await world.ReportAsync(world.Worker);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        world.Cases.Clock.Advance(TimeSpan.FromMinutes(1));
        await using var db = world.NewContext();
        await world.Ledger(db).RedeemAsync(world.Worker.UserId!.Value, 1, "雨伞", world.Worker, ct);

        var entries = await world.Ledger(db).EntriesAsync(world.Worker.UserId!.Value.ToString(), ct);

        Assert.Equal([IncentiveReason.Redemption, IncentiveReason.ReportFiled], entries.Select(e => e.Reason));
    }
}
