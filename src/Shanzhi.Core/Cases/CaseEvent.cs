using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

/// <summary>What happened to a case. Stored as text so the log stays readable in SQL.</summary>
public enum CaseEventType
{
    Reported,
    Filed,
    Rejected,
    Dispatched,
    Started,
    Returned,
    Resolved,
    VerificationRequested,
    VerificationPassed,
    VerificationFailed,
    Closed,
    Suspended,
    Resumed,
    ExtensionRequested,
    ExtensionApproved,
    ExtensionDenied,
    Merged,
    Escalated,
    Evaluated,
    AttachmentAdded,

    /// <summary>Persons were added to a follow-up case after it was opened (a re-trace found more contacts).</summary>
    PersonsAdded,
}

/// <summary>
/// One append-only entry of a case's history. The case row is a projection of these entries and
/// every KPI is computed from them.
/// </summary>
[Classify(DataClass.Internal, "案件流转留痕", Activity = "城市管理案件受理与处置")]
public sealed class CaseEvent
{
    public long Id { get; init; }

    public Guid CaseId { get; init; }

    /// <summary>Position in the case's history, starting at 1.</summary>
    public int Sequence { get; init; }

    public CaseEventType Type { get; init; }

    public CaseState FromState { get; init; }

    public CaseState ToState { get; init; }

    public DateTimeOffset At { get; init; }

    public Guid? ActorId { get; init; }

    /// <summary>Display name of the staff member or system part that acted, kept for the timeline.</summary>
    [Classify(DataClass.Personal, "记录经办人，用于追溯与考核")]
    public string? ActorName { get; init; }

    /// <summary>Unit the event concerns: the unit dispatched to, the unit returning, and so on.</summary>
    public Guid? UnitId { get; init; }

    [Classify(DataClass.Personal, "经办人填写的理由，可能涉及当事人")]
    public string? Reason { get; init; }

    /// <summary>Deadline set by this event (filing, dispatch, approved extension), if any.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Extra values of the event: a satisfaction rating, a parent case id, an attachment id.</summary>
    [Classify(DataClass.Personal, "满意度评价等附加值，可能涉及上报人")]
    public string? Value { get; init; }
}

public static class CaseEventNames
{
    public static string Chinese(CaseEventType type) => type switch
    {
        CaseEventType.Reported => "上报",
        CaseEventType.Filed => "立案",
        CaseEventType.Rejected => "不予立案",
        CaseEventType.Dispatched => "派遣",
        CaseEventType.Started => "开始处置",
        CaseEventType.Returned => "退回",
        CaseEventType.Resolved => "处置完成",
        CaseEventType.VerificationRequested => "发起核查",
        CaseEventType.VerificationPassed => "核查通过",
        CaseEventType.VerificationFailed => "核查不通过（返工）",
        CaseEventType.Closed => "结案",
        CaseEventType.Suspended => "挂账",
        CaseEventType.Resumed => "恢复办理",
        CaseEventType.ExtensionRequested => "申请延期",
        CaseEventType.ExtensionApproved => "批准延期",
        CaseEventType.ExtensionDenied => "驳回延期",
        CaseEventType.Merged => "合并",
        CaseEventType.Escalated => "超期督办",
        CaseEventType.Evaluated => "评价",
        CaseEventType.AttachmentAdded => "上传附件",
        CaseEventType.PersonsAdded => "追加人员",
        _ => type.ToString(),
    };
}
