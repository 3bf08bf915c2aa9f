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
}

/// <summary>
/// One append-only entry of a case's history. The case row is a projection of these entries and
/// every KPI is computed from them.
/// </summary>
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
    public string? ActorName { get; init; }

    /// <summary>Unit the event concerns: the unit dispatched to, the unit returning, and so on.</summary>
    public Guid? UnitId { get; init; }

    public string? Reason { get; init; }

    /// <summary>Deadline set by this event (filing, dispatch, approved extension), if any.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Extra values of the event: a satisfaction rating, a parent case id, an attachment id.</summary>
    public string? Value { get; init; }
}
