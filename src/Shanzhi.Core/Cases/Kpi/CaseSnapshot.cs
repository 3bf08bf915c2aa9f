namespace Shanzhi.Cases.Kpi;

/// <summary>The fields of a case event that KPIs read.</summary>
internal readonly record struct KpiEvent(
    CaseEventType Type,
    CaseState ToState,
    DateTimeOffset At,
    Guid? UnitId,
    DateTimeOffset? Deadline);

/// <summary>A dispatch and whether the unit returned it before the period end.</summary>
internal readonly record struct DispatchOutcome(Guid? UnitId, DateTimeOffset At, bool Returned);

/// <summary>
/// The state of one case at a period end, derived from its events. Only events strictly before the
/// end count, so a published report does not change when later events arrive.
/// </summary>
internal sealed class CaseSnapshot
{
    public CaseState State { get; set; }

    public DateTimeOffset ReportedAt { get; set; }

    /// <summary>Unit of the last dispatch, null before the first dispatch and after a return.</summary>
    public Guid? UnitId { get; set; }

    /// <summary>Handling deadline of the last dispatch, moved by approved extensions and resumptions.</summary>
    public DateTimeOffset? HandlingDeadline { get; set; }

    public bool Suspended { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Handling deadline in force when the case closed.</summary>
    public DateTimeOffset? DeadlineAtClose { get; set; }

    public DateTimeOffset? LastDispatchedAt { get; set; }

    public DateTimeOffset? LastResolvedAt { get; set; }

    public bool Extended { get; set; }

    public bool Reworked { get; set; }

    public List<DispatchOutcome> Dispatches { get; } = [];

    /// <summary>Closed and resolved at or before the final, extension-adjusted handling deadline.</summary>
    public bool ClosedOnTime =>
        ClosedAt is not null && LastResolvedAt is { } resolved && DeadlineAtClose is { } deadline && resolved <= deadline;

    /// <summary>
    /// 应结案: closed in [from, end), or still open at the end, not suspended, with its handling
    /// deadline in [from, end).
    /// </summary>
    public bool IsDue(DateTimeOffset from, DateTimeOffset end) =>
        IsClosedIn(from, end)
        || (ClosedAt is null && !Suspended && HandlingDeadline is { } deadline && deadline >= from && deadline < end);

    public bool IsClosedIn(DateTimeOffset from, DateTimeOffset end) =>
        ClosedAt is { } closed && closed >= from && closed < end;

    /// <summary>Replays the events before <paramref name="end"/>; the list is ordered by sequence.</summary>
    public static CaseSnapshot At(IReadOnlyList<KpiEvent> events, DateTimeOffset end)
    {
        var snapshot = new CaseSnapshot { ReportedAt = events[0].At };
        foreach (var e in events.Where(e => e.At < end))
        {
            snapshot.Apply(e);
        }

        return snapshot;
    }

    // Mirrors how Case projects HandlingDeadline, so the KPI deadline is the one the console showed.
    private void Apply(KpiEvent e)
    {
        switch (e.Type)
        {
            case CaseEventType.Dispatched:
                UnitId = e.UnitId;
                HandlingDeadline = e.Deadline;
                LastDispatchedAt = e.At;
                Dispatches.Add(new DispatchOutcome(e.UnitId, e.At, Returned: false));
                break;
            case CaseEventType.Returned:
                UnitId = null;
                HandlingDeadline = null;
                if (Dispatches.Count > 0)
                {
                    Dispatches[^1] = Dispatches[^1] with { Returned = true };
                }

                break;
            case CaseEventType.Resolved:
                LastResolvedAt = e.At;
                break;
            case CaseEventType.VerificationFailed:
                Reworked = true;
                break;
            case CaseEventType.Closed:
                ClosedAt = e.At;
                DeadlineAtClose = HandlingDeadline;
                break;
            case CaseEventType.Suspended:
                Suspended = true;
                break;
            case CaseEventType.Resumed:
                Suspended = false;
                if (e.Deadline is { } resumed && CaseStates.IsWithUnit(e.ToState))
                {
                    HandlingDeadline = resumed;
                }

                break;
            case CaseEventType.ExtensionApproved:
                HandlingDeadline = e.Deadline;
                Extended = true;
                break;
        }

        State = e.ToState;
    }
}
