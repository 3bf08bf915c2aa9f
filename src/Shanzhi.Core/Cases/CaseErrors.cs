namespace Shanzhi.Cases;

/// <summary>Expected failures of the case engine, with the Chinese text users see.</summary>
public static class CaseErrors
{
    public static readonly Error NotFound = Error.NotFound("case.not_found", "案件不存在，或不在您的管辖范围内。");

    public static readonly Error NotVerified = Error.Conflict("case.not_verified", "案件尚未核查通过",
        "结案前必须由核查人员现场核查并确认通过。");

    public static readonly Error VerifierIsHandler = Error.Conflict("case.verifier_is_handler", "核查人不能是处置人",
        "按照“处置与核查分离”的要求，核查人员不能核查自己处置的案件，请由其他核查人员办理。");

    public static readonly Error AlreadyVerified = Error.Conflict("case.already_verified", "已核查通过", "该案件已核查通过，请直接结案。");

    public static readonly Error InvalidParent = Error.Invalid("case.invalid_parent", "parentCaseId",
        "合并的主案件无效：不能合并到自身或已被合并的案件。");

    public static readonly Error ExtensionNotLater = Error.Invalid("case.extension_not_later", "deadline",
        "申请的新期限必须晚于当前处置期限。");

    public static readonly Error NoExtensionPending = Error.Conflict("case.no_extension_pending", "没有待审批的延期申请",
        "该案件当前没有待审批的延期申请。");

    public static readonly Error InvalidSatisfaction = Error.Invalid("case.invalid_satisfaction", "satisfaction",
        "满意度必须是 1 到 5 之间的整数。");

    public static readonly Error AlreadyEvaluated = Error.Conflict("case.already_evaluated", "已评价", "该案件已经评价过。");

    public static readonly Error NotEscalatable = Error.Conflict("case.not_escalatable", "无法督办", "该案件已办结或已督办。");

    public static readonly Error ConcurrentChange = Error.Conflict("case.concurrent_change", "案件已被他人更新",
        "在您操作期间，该案件已被其他人更新，请刷新后重试。");

    public static Error IllegalTransition(CaseAction action, CaseState state) => Error.Conflict(
        "case.illegal_transition",
        "当前状态不允许该操作",
        $"案件当前状态为“{CaseStates.ChineseName(state)}”，不能执行“{CaseStateMachine.ChineseName(action)}”。" +
        $"允许执行该操作的状态：{string.Join("、", CaseStateMachine.StatesAllowing(action).Select(CaseStates.ChineseName))}。");
}
