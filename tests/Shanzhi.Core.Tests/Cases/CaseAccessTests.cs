using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseAccessTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Street_user_cannot_get_list_or_act_on_other_street(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var own = await world.ReportAsync(CaseWorld.InStreetA);
        var other = await world.ReportAsync(CaseWorld.InStreetB);
        var before = await world.SnapshotAsync();
        var ct = TestContext.Current.CancellationToken;

        await using var db = world.NewContext();
        var cases = world.Cases(db);
        var get = await cases.GetAsync(other.Id, world.StreetAOperator, ct);
        var events = await cases.GetEventsAsync(other.Id, world.StreetAOperator, ct);
        var list = await cases.QueryAsync(new CaseQuery(), world.StreetAOperator, ct);
        var byCode = await cases.QueryAsync(new CaseQuery(RegionCode: CaseWorld.StreetB), world.StreetAOperator, ct);
        var act = await world.ActAsync(other.Id, new CaseActionRequest(CaseAction.File), world.StreetAOperator);
        var route = await cases.ProposeUnitAsync(other.Id, world.StreetAOperator, ct);
        var duplicates = await cases.ProposeDuplicatesAsync(other.Id, world.StreetAOperator, ct);

        Assert.Equal("case.not_found", get.Error?.Code);
        Assert.Equal("case.not_found", events.Error?.Code);
        Assert.Equal([own.Id], list.Items.Select(c => c.Id));
        Assert.Equal(1, list.Total);
        Assert.Empty(byCode.Items);
        Assert.Equal("case.not_found", act.Error?.Code);
        Assert.Equal("case.not_found", route.Error?.Code);
        Assert.Equal("case.not_found", duplicates.Error?.Code);
        Assert.Empty(cases.AllowedActions(other, world.StreetAOperator));
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Street_user_works_on_own_street(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var own = await world.ReportAsync(CaseWorld.InStreetA);

        var filed = await world.ActAsync(own.Id, new CaseActionRequest(CaseAction.File), world.StreetAOperator);

        Assert.Equal(CaseState.Filed, filed.Value?.State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Action_needs_its_role(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var filed = await world.DriveToAsync(CaseState.Filed);
        var before = await world.SnapshotAsync();

        var byHandler = await world.ActAsync(filed.Id, new CaseActionRequest(CaseAction.Dispatch, UnitId: world.SanitationUnitId), world.Handler);
        var byAdmin = await world.ActAsync(filed.Id, new CaseActionRequest(CaseAction.Dispatch, UnitId: world.SanitationUnitId), world.Admin);
        var byLeader = await world.ActAsync(filed.Id, new CaseActionRequest(CaseAction.Suspend, Reason: "挂账"), world.Leader);

        Assert.Equal("case.forbidden", byHandler.Error?.Code);
        Assert.Equal(403, byHandler.Error?.Status);
        Assert.Contains("指挥中心受理员", byHandler.Error?.Detail);
        Assert.Equal("case.forbidden", byAdmin.Error?.Code);
        Assert.Equal("case.forbidden", byLeader.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Handler_of_other_unit_cannot_start(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var dispatched = await world.DriveToAsync(CaseState.Dispatched);
        var before = await world.SnapshotAsync();

        var result = await world.ActAsync(dispatched.Id, new CaseActionRequest(CaseAction.Start), world.OtherUnitHandler);

        Assert.Equal("case.not_case_unit", result.Error?.Code);
        Assert.Equal(403, result.Error?.Status);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Only_assigned_verifier_may_verify(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var resolved = await world.DriveToAsync(CaseState.Resolved);
        await world.MustActAsync(resolved.Id, new CaseActionRequest(CaseAction.RequestVerification, VerifierId: world.Verifier.UserId), world.Operator);

        var byGridWorker = await world.ActAsync(resolved.Id, new CaseActionRequest(CaseAction.PassVerification), world.GridWorker);
        var byVerifier = await world.ActAsync(resolved.Id, new CaseActionRequest(CaseAction.PassVerification), world.Verifier);

        Assert.Equal("case.not_assigned_verifier", byGridWorker.Error?.Code);
        Assert.True(byVerifier.IsSuccess);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grid_worker_may_verify_unassigned_case(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var verifying = await world.DriveToAsync(CaseState.Verifying);

        var result = await world.ActAsync(verifying.Id, new CaseActionRequest(CaseAction.FailVerification, Reason: "仍有残留"), world.GridWorker);

        Assert.Equal(CaseState.Rework, result.Value?.State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Verifier_must_exist_with_verifying_role(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var resolved = await world.DriveToAsync(CaseState.Resolved);

        var unknown = await world.ActAsync(resolved.Id,
            new CaseActionRequest(CaseAction.RequestVerification, VerifierId: Guid.NewGuid()), world.Operator);
        var handler = await world.ActAsync(resolved.Id,
            new CaseActionRequest(CaseAction.RequestVerification, VerifierId: world.Handler.UserId), world.Operator);

        Assert.Equal("case.unknown_verifier", unknown.Error?.Code);
        Assert.Equal("verifierId", unknown.Error?.Field);
        Assert.Equal("case.unknown_verifier", handler.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Allowed_actions_follow_role_unit_and_state(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var reported = await world.ReportAsync();
        var dispatched = await world.DriveToAsync(CaseState.Dispatched);
        var verifying = await world.DriveToAsync(CaseState.Verifying);
        await using var db = world.NewContext();
        var cases = world.Cases(db);

        Assert.Equal([CaseAction.File, CaseAction.Reject, CaseAction.Merge], cases.AllowedActions(reported, world.Operator));
        Assert.Empty(cases.AllowedActions(reported, world.Handler));
        Assert.Equal([CaseAction.Start, CaseAction.Return, CaseAction.RequestExtension], cases.AllowedActions(dispatched, world.Handler));
        Assert.Empty(cases.AllowedActions(dispatched, world.OtherUnitHandler));
        Assert.Equal([CaseAction.Suspend], cases.AllowedActions(dispatched, world.Operator));
        Assert.Equal([CaseAction.PassVerification, CaseAction.FailVerification], cases.AllowedActions(verifying, world.Verifier));
        Assert.Empty(cases.AllowedActions(verifying, world.Operator));
        Assert.Empty(cases.AllowedActions(verifying, world.Admin));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Allowed_actions_offer_close_after_passed_verification(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var verifying = await world.DriveToAsync(CaseState.Verifying);
        var passed = await world.MustActAsync(verifying.Id, new CaseActionRequest(CaseAction.PassVerification), world.Verifier);
        await using var db = world.NewContext();

        Assert.Equal([CaseAction.Close], world.Cases(db).AllowedActions(passed, world.Operator));
        Assert.Empty(world.Cases(db).AllowedActions(passed, world.Verifier));
    }

    [Fact]
    public void Role_error_names_every_role_that_may_act()
    {
        var error = CaseErrors.RoleRequired(CaseAction.PassVerification, CasePermissions.RolesFor(CaseAction.PassVerification));

        Assert.Equal("执行“核查通过”需要“核查员”或“网格员”角色，您的账号没有该角色。", error.Detail);
    }

    [Fact]
    public void System_admin_alone_may_take_no_case_action()
    {
        var admin = new StaffPrincipal(Guid.NewGuid(), "管理员", new HashSet<string> { Roles.SystemAdmin }, null, StaffPrincipal.RootScope);

        Assert.All(Enum.GetValues<CaseAction>(), action => Assert.DoesNotContain(Roles.SystemAdmin, CasePermissions.RolesFor(action)));
        Assert.DoesNotContain(Roles.SystemAdmin, CasePermissions.Reporters);
        Assert.False(admin.IsInAnyRole([.. CasePermissions.Reporters]));
    }
}
