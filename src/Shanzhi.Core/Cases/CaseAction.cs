namespace Shanzhi.Cases;

/// <summary>An action a person or the system takes on an existing case.</summary>
public enum CaseAction
{
    File,
    Reject,
    Merge,
    Dispatch,
    Start,
    Return,
    Resolve,
    RequestVerification,
    PassVerification,
    FailVerification,
    Close,
    Suspend,
    Resume,
    RequestExtension,
    ApproveExtension,
    DenyExtension,
    Evaluate,
}

/// <summary>The person (or system part) acting on a case.</summary>
public sealed record Actor(Guid? Id, string Name)
{
    public static readonly Actor System = new(null, "系统");

    /// <summary>A citizen reporting through the public page or Open311; reporters are not identified.</summary>
    public static readonly Actor Public = new(null, "公众");
}

/// <summary>Which action is allowed from which state, and where it leads.</summary>
public static class CaseStateMachine
{
    private static readonly Dictionary<CaseAction, CaseState[]> AllowedFrom = new()
    {
        [CaseAction.File] = [CaseState.Reported],
        [CaseAction.Reject] = [CaseState.Reported],
        [CaseAction.Merge] = [CaseState.Reported, CaseState.Filed],
        [CaseAction.Dispatch] = [CaseState.Filed, CaseState.Returned],
        [CaseAction.Start] = [CaseState.Dispatched, CaseState.Rework],
        [CaseAction.Return] = [CaseState.Dispatched, CaseState.InProgress],
        [CaseAction.Resolve] = [CaseState.InProgress],
        [CaseAction.RequestVerification] = [CaseState.Resolved],
        [CaseAction.PassVerification] = [CaseState.Verifying],
        [CaseAction.FailVerification] = [CaseState.Verifying],
        [CaseAction.Close] = [CaseState.Verifying],
        [CaseAction.Suspend] = [CaseState.Filed, CaseState.Dispatched, CaseState.InProgress, CaseState.Rework],
        [CaseAction.Resume] = [CaseState.Suspended],
        [CaseAction.RequestExtension] = [CaseState.Dispatched, CaseState.InProgress, CaseState.Rework],
        [CaseAction.ApproveExtension] = [CaseState.Dispatched, CaseState.InProgress, CaseState.Rework],
        [CaseAction.DenyExtension] = [CaseState.Dispatched, CaseState.InProgress, CaseState.Rework],
        [CaseAction.Evaluate] = [CaseState.Closed],
    };

    public static bool IsAllowed(CaseAction action, CaseState from) => AllowedFrom[action].Contains(from);

    public static IReadOnlyList<CaseState> StatesAllowing(CaseAction action) => AllowedFrom[action];

    public static string ChineseName(CaseAction action) => action switch
    {
        CaseAction.File => "立案",
        CaseAction.Reject => "不予立案",
        CaseAction.Merge => "合并",
        CaseAction.Dispatch => "派遣",
        CaseAction.Start => "开始处置",
        CaseAction.Return => "退回",
        CaseAction.Resolve => "处置完成",
        CaseAction.RequestVerification => "发起核查",
        CaseAction.PassVerification => "核查通过",
        CaseAction.FailVerification => "核查不通过",
        CaseAction.Close => "结案",
        CaseAction.Suspend => "挂账",
        CaseAction.Resume => "恢复办理",
        CaseAction.RequestExtension => "申请延期",
        CaseAction.ApproveExtension => "批准延期",
        CaseAction.DenyExtension => "驳回延期",
        CaseAction.Evaluate => "评价",
        _ => action.ToString(),
    };
}
