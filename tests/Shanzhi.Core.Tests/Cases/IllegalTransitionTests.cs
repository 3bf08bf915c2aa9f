using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class IllegalTransitionTests
{
    public static TheoryData<StoreKind, CaseState> StatesOnBothStores()
    {
        var data = new TheoryData<StoreKind, CaseState>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            foreach (var state in Enum.GetValues<CaseState>())
            {
                data.Add(kind, state);
            }
        }

        return data;
    }

    /// <summary>
    /// For a case in each state, every action the state machine does not allow from that state is
    /// rejected as an illegal transition and leaves the store exactly as it was. The requests carry
    /// complete inputs and come from the platform principal (every role, every region, any unit).
    /// </summary>
    [Theory]
    [MemberData(nameof(StatesOnBothStores))]
    public async Task Actions_not_allowed_from_state_are_rejected(StoreKind kind, CaseState state)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.DriveToAsync(state);
        var otherOpenCase = await world.ReportAsync();
        var before = await world.SnapshotAsync();
        Assert.Equal(state, @case.State);

        foreach (var action in Enum.GetValues<CaseAction>().Where(a => !CaseStateMachine.IsAllowed(a, state)))
        {
            var request = new CaseActionRequest(
                action,
                Reason: "测试原因",
                UnitId: world.SanitationUnitId,
                ParentCaseId: otherOpenCase.Id,
                CategoryCode: "E0101",
                Deadline: world.Clock.GetUtcNow().AddDays(30),
                Satisfaction: 5);

            var result = await world.ActAsync(@case.Id, request, StaffPrincipal.System);

            Assert.True(result.Error?.Code == "case.illegal_transition", $"{action} from {state}: {result.Error?.Code ?? "accepted"}");
            Assert.Equal(409, result.Error?.Status);
        }

        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Fact]
    public void Illegal_transition_message_names_state_and_allowed_states()
    {
        var error = CaseErrors.IllegalTransition(CaseAction.Close, CaseState.Dispatched);

        Assert.Equal("案件当前状态为“已派遣”，不能执行“结案”。允许执行该操作的状态：核查中。", error.Detail);
    }
}
