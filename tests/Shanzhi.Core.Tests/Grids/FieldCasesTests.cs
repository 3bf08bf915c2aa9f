using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class FieldCasesTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task My_reports_show_progress_and_points(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        await using var db = world.NewContext();

        var mine = await world.Field(db).MyReportsAsync(world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal([(@case.CaseNo, "已立案", world.Options.Incentives.PointsForFiledReport)], mine.Select(c => (c.CaseNo, c.StateName, c.PointsEarned)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unassigned_verification_in_my_grid_awaits_me(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        await world.DriveToVerifyingAsync(@case.Id);
        await using var db = world.NewContext();

        var awaiting = await world.Field(db).AwaitingMyVerificationAsync(world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal([@case.Id], awaiting.Select(c => c.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Verification_in_another_grid_does_not_await_me(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var other = await world.Cases.UserAsync("网格员壬", null, CaseWorld.PathOf(CaseWorld.City), Roles.GridWorker);
        var @case = await world.ReportAsync(world.Worker);
        await world.DriveToVerifyingAsync(@case.Id);
        await using var db = world.NewContext();

        var awaiting = await world.Field(db).AwaitingMyVerificationAsync(other, TestContext.Current.CancellationToken);

        Assert.Empty(awaiting);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Passed_verification_no_longer_awaits_me(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(world.Worker);
        await world.DriveToVerifyingAsync(@case.Id);
        await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.PassVerification, Reason: "现场已清理"), world.Worker);
        await using var db = world.NewContext();

        var awaiting = await world.Field(db).AwaitingMyVerificationAsync(world.Worker, TestContext.Current.CancellationToken);

        Assert.Empty(awaiting);
    }
}
