using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseLifecycleTests
{
    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, CaseWorld.Shanghai);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Full_loop_records_every_step(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var id = @case.Id;

        await world.MustActAsync(id, new CaseActionRequest(CaseAction.File), world.Operator);
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        var dispatched = await world.MustActAsync(id, new CaseActionRequest(CaseAction.Dispatch, UnitId: world.SanitationUnitId), world.Operator);
        await world.MustActAsync(id, new CaseActionRequest(CaseAction.Start), world.Handler);
        world.Clock.Advance(TimeSpan.FromHours(1));
        await world.MustActAsync(id, new CaseActionRequest(CaseAction.Resolve, Reason: "垃圾已清运"), world.Handler);
        await world.MustActAsync(id, new CaseActionRequest(CaseAction.RequestVerification, VerifierId: world.Verifier.UserId), world.Operator);
        await world.MustActAsync(id, new CaseActionRequest(CaseAction.PassVerification, Reason: "现场已清理干净"), world.Verifier);
        await world.MustActAsync(id, new CaseActionRequest(CaseAction.Close), world.Operator);
        var evaluated = await world.MustActAsync(id, new CaseActionRequest(CaseAction.Evaluate, Satisfaction: 5), world.Operator);

        var events = await world.EventsAsync(id);
        CaseEventType[] expected =
        [
            CaseEventType.Reported, CaseEventType.Filed, CaseEventType.Dispatched, CaseEventType.Started, CaseEventType.Resolved,
            CaseEventType.VerificationRequested, CaseEventType.VerificationPassed, CaseEventType.Closed, CaseEventType.Evaluated,
        ];
        Assert.Equal(expected, events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, expected.Length), events.Select(e => e.Sequence));
        Assert.Equal(CaseState.Closed, evaluated.State);
        Assert.Equal(9, evaluated.EventCount);
        Assert.Equal(5, evaluated.Satisfaction);
        Assert.Equal(world.SanitationUnitId, evaluated.UnitId);
        Assert.Equal(world.Handler.UserId, evaluated.HandlerId);
        Assert.Equal(world.Verifier.UserId, evaluated.VerifierId);
        Assert.Equal(world.Clock.GetUtcNow(), evaluated.ClosedAt);
        Assert.Equal(CaseWorld.StreetA + "001001", evaluated.RegionCode);

        // E0101 暴露垃圾: 4 working hours from dispatch at Monday 09:10.
        Assert.Equal(Local(3, 2, 14, 40), dispatched.HandlingDeadline);
        Assert.Equal("20260302000001", @case.CaseNo);
        Assert.Equal(world.Handler.DisplayName, events[3].ActorName);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Replaying_events_reproduces_case_row(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var closed = await world.DriveToAsync(CaseState.Closed);
        var suspended = await world.DriveToAsync(CaseState.Suspended);
        var merged = await world.DriveToAsync(CaseState.Merged);
        await world.MustActAsync(closed.Id, new CaseActionRequest(CaseAction.Evaluate, Satisfaction: 4, Reason: "满意"), world.Operator);

        foreach (var id in new[] { closed.Id, suspended.Id, merged.Id })
        {
            var stored = await world.GetAsync(id);
            var replayed = await world.GetAsync(id);
            replayed.Replay(await world.EventsAsync(id));

            Assert.Equivalent(Projection(stored), Projection(replayed), strict: true);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Close_unverified_case_is_rejected(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var verifying = await world.DriveToAsync(CaseState.Verifying);
        var before = await world.SnapshotAsync();

        var result = await world.ActAsync(verifying.Id, new CaseActionRequest(CaseAction.Close), world.Operator);

        Assert.Equal("case.not_verified", result.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Handler_cannot_verify_own_work(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var handlerAndVerifier = await world.UserAsync("身兼两职", world.SanitationUnitId, CaseWorld.PathOf(CaseWorld.City),
            Roles.UnitHandler, Roles.Verifier);
        var @case = await world.DriveToAsync(CaseState.Dispatched);
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Start), handlerAndVerifier);
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Resolve), handlerAndVerifier);

        var assign = await world.ActAsync(@case.Id,
            new CaseActionRequest(CaseAction.RequestVerification, VerifierId: handlerAndVerifier.UserId), world.Operator);
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.RequestVerification), world.Operator);
        var before = await world.SnapshotAsync();
        var pass = await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.PassVerification), handlerAndVerifier);

        Assert.Equal("case.verifier_is_handler", assign.Error?.Code);
        Assert.Equal("case.verifier_is_handler", pass.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Return_without_reason_is_rejected(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(CaseState.InProgress);
        var before = await world.SnapshotAsync();

        var result = await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Return, Reason: "  "), world.Handler);

        Assert.Equal("case.reason_required", result.Error?.Code);
        Assert.Equal("reason", result.Error?.Field);
        Assert.Equal(400, result.Error?.Status);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Returned_case_can_be_dispatched_again(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var returned = await world.DriveToAsync(CaseState.Returned);

        var redispatched = await world.MustActAsync(returned.Id,
            new CaseActionRequest(CaseAction.Dispatch, UnitId: world.EnforcementUnitId), world.Operator);

        Assert.Null(returned.UnitId);
        Assert.NotNull(returned.Deadline);
        Assert.Equal(CaseState.Dispatched, redispatched.State);
        Assert.Equal(world.EnforcementUnitId, redispatched.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Failed_verification_sends_case_back_for_rework(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var rework = await world.DriveToAsync(CaseState.Rework);

        var restarted = await world.MustActAsync(rework.Id, new CaseActionRequest(CaseAction.Start), world.Handler);

        Assert.True(rework.WasReworked);
        Assert.Equal(rework.HandlingDeadline, rework.Deadline);
        Assert.Equal(CaseState.InProgress, restarted.State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Approved_extension_moves_handling_deadline(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(CaseState.InProgress);
        var requested = Local(3, 5, 17);

        var pending = await world.MustActAsync(@case.Id,
            new CaseActionRequest(CaseAction.RequestExtension, Reason: "需协调大型机械", Deadline: requested), world.Handler);
        var approved = await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.ApproveExtension), world.Operator);

        Assert.Equal(requested, pending.RequestedDeadline);
        Assert.Equal(@case.HandlingDeadline, pending.HandlingDeadline);
        Assert.Equal(requested, approved.HandlingDeadline);
        Assert.Equal(requested, approved.Deadline);
        Assert.Null(approved.RequestedDeadline);
        Assert.True(approved.WasExtended);
        Assert.Equal(TimeSpan.Zero, approved.HandlingDeadline!.Value.Offset);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Denied_extension_keeps_handling_deadline(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(CaseState.InProgress);
        await world.MustActAsync(@case.Id,
            new CaseActionRequest(CaseAction.RequestExtension, Reason: "需协调大型机械", Deadline: Local(3, 5, 17)), world.Handler);

        var denied = await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.DenyExtension, Reason: "4 小时内可以完成"), world.Operator);
        var again = await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.ApproveExtension), world.Operator);

        Assert.Equal(@case.HandlingDeadline, denied.HandlingDeadline);
        Assert.Null(denied.RequestedDeadline);
        Assert.False(denied.WasExtended);
        Assert.Equal("case.no_extension_pending", again.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Extension_must_be_later_than_current_deadline(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(CaseState.InProgress);
        var before = await world.SnapshotAsync();

        var earlier = await world.ActAsync(@case.Id,
            new CaseActionRequest(CaseAction.RequestExtension, Reason: "延期", Deadline: @case.HandlingDeadline), world.Handler);
        var missing = await world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.RequestExtension, Reason: "延期"), world.Handler);

        Assert.Equal("case.extension_not_later", earlier.Error?.Code);
        Assert.Equal("case.deadline_required", missing.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Suspended_case_is_listed_and_resumes_with_time_left(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var dispatched = await world.DriveToAsync(CaseState.Dispatched);
        world.Clock.Advance(TimeSpan.FromHours(1));
        var suspended = await world.MustActAsync(dispatched.Id, new CaseActionRequest(CaseAction.Suspend, Reason: "需等待管线迁改"), world.Operator);

        await using (var db = world.NewContext())
        {
            var hangUp = await world.Cases(db).QueryAsync(new CaseQuery(State: CaseState.Suspended), world.Operator,
                TestContext.Current.CancellationToken);
            Assert.Equal([suspended.Id], hangUp.Items.Select(c => c.Id));
            Assert.False(suspended.IsOverdue(Local(12, 31, 9)));
        }

        // Dispatched Monday 09:00 with 4 working hours (deadline 14:30), the case is suspended at
        // 10:00 with 3 working hours left. Resumed Thursday 09:00, it is due Thursday 12:00.
        world.Clock.SetUtcNow(Local(3, 5, 9).ToUniversalTime());
        var resumed = await world.MustActAsync(dispatched.Id, new CaseActionRequest(CaseAction.Resume), world.Operator);

        Assert.Equal(Local(3, 2, 14, 30), dispatched.HandlingDeadline);
        Assert.Equal(CaseState.Dispatched, resumed.State);
        Assert.Null(resumed.StateBeforeSuspension);
        Assert.Equal(Local(3, 5, 12), resumed.HandlingDeadline);
        Assert.Equal(resumed.HandlingDeadline, resumed.Deadline);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Merged_case_points_to_parent(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var parent = await world.ReportAsync();
        var child = await world.ReportAsync();

        var merged = await world.MustActAsync(child.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: parent.Id), world.Operator);
        var intoMerged = await world.ActAsync(parent.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: child.Id), world.Operator);
        var intoSelf = await world.ActAsync(parent.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: parent.Id), world.Operator);
        var intoNothing = await world.ActAsync(parent.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: Guid.NewGuid()), world.Operator);

        Assert.Equal(CaseState.Merged, merged.State);
        Assert.Equal(parent.Id, merged.ParentCaseId);
        Assert.NotNull(merged.ClosedAt);
        Assert.Equal("case.invalid_parent", intoMerged.Error?.Code);
        Assert.Equal("case.invalid_parent", intoSelf.Error?.Code);
        Assert.Equal("case.invalid_parent", intoNothing.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Stale_expected_event_count_is_rejected(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.File, ExpectedEventCount: 1), world.Operator);
        var before = await world.SnapshotAsync();

        var result = await world.ActAsync(@case.Id,
            new CaseActionRequest(CaseAction.Dispatch, UnitId: world.SanitationUnitId, ExpectedEventCount: 1), world.Operator);

        Assert.Equal("case.concurrent_change", result.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_actions_on_one_case_save_only_one(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(CaseState.Filed);
        var ct = TestContext.Current.CancellationToken;

        // Both services load the case before either saves.
        await using var first = world.NewContext();
        await using var second = world.NewContext();
        await first.Cases.SingleAsync(c => c.Id == @case.Id, ct);
        await second.Cases.SingleAsync(c => c.Id == @case.Id, ct);
        var dispatch = await world.Cases(first).ActAsync(@case.Id,
            new CaseActionRequest(CaseAction.Dispatch, UnitId: world.SanitationUnitId), world.Operator, ct);
        var reject = await world.Cases(second).ActAsync(@case.Id, new CaseActionRequest(CaseAction.Suspend, Reason: "挂账"), world.Operator, ct);

        Assert.True(dispatch.IsSuccess);
        Assert.Equal("case.concurrent_change", reject.Error?.Code);
        Assert.Equal(CaseState.Dispatched, (await world.GetAsync(@case.Id)).State);
        Assert.Equal(3, (await world.EventsAsync(@case.Id)).Count);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Dispatch_without_unit_uses_routing(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var filed = await world.DriveToAsync(CaseState.Filed);

        var dispatched = await world.MustActAsync(filed.Id, new CaseActionRequest(CaseAction.Dispatch), world.Operator);

        Assert.Equal(world.SanitationUnitId, dispatched.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Filing_needs_a_known_category(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var uncategorised = await world.ReportAsync(categoryCode: null);
        var before = await world.SnapshotAsync();

        var missing = await world.ActAsync(uncategorised.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        var unknown = await world.ActAsync(uncategorised.Id, new CaseActionRequest(CaseAction.File, CategoryCode: "E9999"), world.Operator);
        var afterFailures = await world.SnapshotAsync();
        var filed = await world.MustActAsync(uncategorised.Id, new CaseActionRequest(CaseAction.File, CategoryCode: "E0507"), world.Operator);

        Assert.Equal("case.category_required", missing.Error?.Code);
        Assert.Equal("case.unknown_category", unknown.Error?.Code);
        Assert.Equal(before, afterFailures);
        Assert.Equal("E0507", filed.CategoryCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Handling_deadline_uses_category_limit_in_working_days(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync(categoryCode: "E0507");
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        var dispatched = await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Dispatch), world.Operator);

        // E0507 私搭乱建: 15 working days from Monday 2026-03-02 09:00.
        Assert.Equal(Local(3, 23, 9), dispatched.HandlingDeadline);
        Assert.Equal(world.EnforcementUnitId, dispatched.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Evaluation_is_recorded_once_and_in_range(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var closed = await world.DriveToAsync(CaseState.Closed);

        var outOfRange = await world.ActAsync(closed.Id, new CaseActionRequest(CaseAction.Evaluate, Satisfaction: 6), world.Operator);
        var missing = await world.ActAsync(closed.Id, new CaseActionRequest(CaseAction.Evaluate), world.Operator);
        await world.MustActAsync(closed.Id, new CaseActionRequest(CaseAction.Evaluate, Satisfaction: 3), world.Operator);
        var twice = await world.ActAsync(closed.Id, new CaseActionRequest(CaseAction.Evaluate, Satisfaction: 5), world.Operator);

        Assert.Equal("case.invalid_satisfaction", outOfRange.Error?.Code);
        Assert.Equal("case.satisfaction_required", missing.Error?.Code);
        Assert.Equal("case.already_evaluated", twice.Error?.Code);
        Assert.Equal(3, (await world.GetAsync(closed.Id)).Satisfaction);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reason_over_limit_is_rejected(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var before = await world.SnapshotAsync();

        var result = await world.ActAsync(@case.Id,
            new CaseActionRequest(CaseAction.Reject, Reason: new string('理', CaseLimits.ReasonMaxLength + 1)), world.Operator);

        Assert.Equal("case.reason_too_long", result.Error?.Code);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    private static object Projection(Case c) => new
    {
        c.State,
        c.EventCount,
        c.CategoryCode,
        c.UnitId,
        c.HandlerId,
        c.VerifierId,
        c.ParentCaseId,
        c.FiledAt,
        c.DispatchedAt,
        c.ResolvedAt,
        c.ClosedAt,
        c.Deadline,
        c.HandlingDeadline,
        c.RequestedDeadline,
        c.VerificationPassed,
        c.WasExtended,
        c.WasReworked,
        c.EscalatedAt,
        c.StateBeforeSuspension,
        c.Satisfaction,
    };
}
