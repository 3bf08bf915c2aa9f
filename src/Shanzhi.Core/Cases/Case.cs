namespace Shanzhi.Cases;

/// <summary>
/// A work item in the closed loop. Report data (what, where, who reported) is written once; every
/// later field is a projection of the case's events, changed only through the action methods,
/// which enforce <see cref="CaseStateMachine"/> and append one <see cref="CaseEvent"/> each.
/// </summary>
public sealed class Case
{
    private readonly List<CaseEvent> _newEvents = [];

    private Case()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Human-readable number: report date (Asia/Shanghai) plus a daily sequence.</summary>
    public string CaseNo { get; private set; } = "";

    /// <summary>Identifier in the source system for imported or Open311 cases.</summary>
    public string? ExternalRef { get; private set; }

    public CaseChannel Channel { get; private set; }

    public string Title { get; private set; } = "";

    public string Description { get; private set; } = "";

    public double Latitude { get; private set; }

    public double Longitude { get; private set; }

    public string? Address { get; private set; }

    /// <summary>Deepest region containing the report point, normally a grid.</summary>
    public string RegionCode { get; private set; } = "";

    public string RegionPath { get; private set; } = "";

    /// <summary>16-digit component id when the report names a public facility.</summary>
    public string? AssetCode { get; private set; }

    public Guid? ReporterId { get; private set; }

    public DateTimeOffset ReportedAt { get; private set; }

    public CaseState State { get; private set; }

    public string? CategoryCode { get; private set; }

    /// <summary>The one accountable unit, once dispatched.</summary>
    public Guid? UnitId { get; private set; }

    public Guid? HandlerId { get; private set; }

    public Guid? VerifierId { get; private set; }

    public Guid? ParentCaseId { get; private set; }

    public DateTimeOffset? FiledAt { get; private set; }

    public DateTimeOffset? DispatchedAt { get; private set; }

    public DateTimeOffset? ResolvedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Deadline of the current stage (filing, dispatch, handling or verification).</summary>
    public DateTimeOffset? Deadline { get; private set; }

    /// <summary>Deadline for the unit to resolve the case, moved only by an approved extension.</summary>
    public DateTimeOffset? HandlingDeadline { get; private set; }

    /// <summary>Deadline asked for by a pending extension request.</summary>
    public DateTimeOffset? RequestedDeadline { get; private set; }

    public bool VerificationPassed { get; private set; }

    public bool WasExtended { get; private set; }

    public bool WasReworked { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public CaseState? StateBeforeSuspension { get; private set; }

    public int? Satisfaction { get; private set; }

    /// <summary>Number of events applied; also the optimistic concurrency token.</summary>
    public int EventCount { get; private set; }

    /// <summary>Events created since the case was loaded, for the store to append.</summary>
    public IReadOnlyList<CaseEvent> NewEvents => _newEvents;

    public bool IsOverdue(DateTimeOffset now) =>
        Deadline is { } deadline && now > deadline && !CaseStates.IsTerminal(State) && State != CaseState.Suspended;

    public static Case Report(NewCase report, Actor actor, DateTimeOffset at, DateTimeOffset filingDeadline)
    {
        var @case = new Case
        {
            Id = Guid.CreateVersion7(at),
            CaseNo = report.CaseNo,
            ExternalRef = report.ExternalRef,
            Channel = report.Channel,
            Title = report.Title,
            Description = report.Description,
            Latitude = report.Latitude,
            Longitude = report.Longitude,
            Address = report.Address,
            RegionCode = report.RegionCode,
            RegionPath = report.RegionPath,
            AssetCode = report.AssetCode,
            ReporterId = actor.Id,
            ReportedAt = at,
            CategoryCode = report.CategoryCode,
        };
        @case.Append(CaseEventType.Reported, CaseState.Reported, actor, at, deadline: filingDeadline);
        return @case;
    }

    public Error? File(string categoryCode, Actor actor, DateTimeOffset at, DateTimeOffset dispatchDeadline) =>
        Transition(CaseAction.File, actor, at, c =>
        {
            c.CategoryCode = categoryCode;
            return c.Append(CaseEventType.Filed, CaseState.Filed, actor, at, deadline: dispatchDeadline, value: categoryCode);
        });

    public Error? Reject(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Reject, actor, at, c => c.Append(CaseEventType.Rejected, CaseState.Rejected, actor, at, reason: reason));

    public Error? MergeInto(Case parent, Actor actor, DateTimeOffset at)
    {
        if (parent.Id == Id || parent.State == CaseState.Merged)
        {
            return CaseErrors.InvalidParent;
        }

        return Transition(CaseAction.Merge, actor, at, c =>
            c.Append(CaseEventType.Merged, CaseState.Merged, actor, at, value: parent.Id.ToString()));
    }

    public Error? Dispatch(Guid unitId, Actor actor, DateTimeOffset at, DateTimeOffset handlingDeadline) =>
        Transition(CaseAction.Dispatch, actor, at, c =>
            c.Append(CaseEventType.Dispatched, CaseState.Dispatched, actor, at, unitId: unitId, deadline: handlingDeadline));

    public Error? Start(Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Start, actor, at, c => c.Append(CaseEventType.Started, CaseState.InProgress, actor, at, unitId: UnitId));

    public Error? Return(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Return, actor, at, c =>
            c.Append(CaseEventType.Returned, CaseState.Returned, actor, at, unitId: UnitId, reason: reason));

    public Error? Resolve(string? note, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Resolve, actor, at, c =>
            c.Append(CaseEventType.Resolved, CaseState.Resolved, actor, at, unitId: UnitId, reason: note));

    public Error? RequestVerification(Guid? verifierId, Actor actor, DateTimeOffset at, DateTimeOffset verificationDeadline)
    {
        if (verifierId is { } id && id == HandlerId)
        {
            return CaseErrors.VerifierIsHandler;
        }

        return Transition(CaseAction.RequestVerification, actor, at, c =>
            c.Append(CaseEventType.VerificationRequested, CaseState.Verifying, actor, at,
                deadline: verificationDeadline, value: verifierId?.ToString()));
    }

    public Error? PassVerification(string? note, Actor actor, DateTimeOffset at) =>
        Verify(passed: true, note, actor, at);

    public Error? FailVerification(string reason, Actor actor, DateTimeOffset at) =>
        Verify(passed: false, reason, actor, at);

    public Error? Close(Actor actor, DateTimeOffset at)
    {
        if (State == CaseState.Verifying && !VerificationPassed)
        {
            return CaseErrors.NotVerified;
        }

        return Transition(CaseAction.Close, actor, at, c => c.Append(CaseEventType.Closed, CaseState.Closed, actor, at));
    }

    public Error? Suspend(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Suspend, actor, at, c => c.Append(CaseEventType.Suspended, CaseState.Suspended, actor, at, reason: reason));

    public Error? Resume(Actor actor, DateTimeOffset at, DateTimeOffset? newHandlingDeadline) =>
        Transition(CaseAction.Resume, actor, at, c =>
            c.Append(CaseEventType.Resumed, StateBeforeSuspension ?? CaseState.Filed, actor, at, deadline: newHandlingDeadline));

    public Error? RequestExtension(DateTimeOffset requestedDeadline, string reason, Actor actor, DateTimeOffset at)
    {
        if (HandlingDeadline is { } current && requestedDeadline <= current)
        {
            return CaseErrors.ExtensionNotLater;
        }

        return Transition(CaseAction.RequestExtension, actor, at, c =>
            c.Append(CaseEventType.ExtensionRequested, State, actor, at, reason: reason, deadline: requestedDeadline));
    }

    public Error? ApproveExtension(Actor actor, DateTimeOffset at)
    {
        if (RequestedDeadline is not { } requested)
        {
            return CaseErrors.NoExtensionPending;
        }

        return Transition(CaseAction.ApproveExtension, actor, at, c =>
            c.Append(CaseEventType.ExtensionApproved, State, actor, at, deadline: requested));
    }

    public Error? DenyExtension(string reason, Actor actor, DateTimeOffset at)
    {
        if (RequestedDeadline is null)
        {
            return CaseErrors.NoExtensionPending;
        }

        return Transition(CaseAction.DenyExtension, actor, at, c =>
            c.Append(CaseEventType.ExtensionDenied, State, actor, at, reason: reason));
    }

    public Error? Evaluate(int satisfaction, string? comment, Actor actor, DateTimeOffset at)
    {
        if (satisfaction is < 1 or > 5)
        {
            return CaseErrors.InvalidSatisfaction;
        }

        if (Satisfaction is not null)
        {
            return CaseErrors.AlreadyEvaluated;
        }

        return Transition(CaseAction.Evaluate, actor, at, c =>
            c.Append(CaseEventType.Evaluated, State, actor, at, reason: comment,
                value: satisfaction.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>Records supervision of an overdue case; called once per case by the overdue job.</summary>
    public Error? Escalate(Guid? supervisingUnitId, string reason, DateTimeOffset at)
    {
        if (CaseStates.IsTerminal(State) || EscalatedAt is not null)
        {
            return CaseErrors.NotEscalatable;
        }

        Append(CaseEventType.Escalated, State, Actor.System, at, unitId: supervisingUnitId, reason: reason);
        return null;
    }

    public void RecordAttachment(Guid attachmentId, AttachmentStage stage, Actor actor, DateTimeOffset at) =>
        Append(CaseEventType.AttachmentAdded, State, actor, at, value: $"{stage}:{attachmentId}");

    /// <summary>Rebuilds the projected fields of a case from its full event history.</summary>
    public void Replay(IEnumerable<CaseEvent> history)
    {
        State = CaseState.Reported;
        EventCount = 0;
        CategoryCode = null;
        UnitId = HandlerId = VerifierId = ParentCaseId = null;
        FiledAt = DispatchedAt = ResolvedAt = ClosedAt = Deadline = HandlingDeadline = RequestedDeadline = EscalatedAt = null;
        VerificationPassed = WasExtended = WasReworked = false;
        StateBeforeSuspension = null;
        Satisfaction = null;

        foreach (var e in history.OrderBy(e => e.Sequence))
        {
            When(e);
        }
    }

    private Error? Verify(bool passed, string? note, Actor actor, DateTimeOffset at)
    {
        if (actor.Id is { } id && id == HandlerId)
        {
            return CaseErrors.VerifierIsHandler;
        }

        if (passed && VerificationPassed)
        {
            return CaseErrors.AlreadyVerified;
        }

        return passed
            ? Transition(CaseAction.PassVerification, actor, at, c =>
                c.Append(CaseEventType.VerificationPassed, CaseState.Verifying, actor, at, reason: note))
            : Transition(CaseAction.FailVerification, actor, at, c =>
                c.Append(CaseEventType.VerificationFailed, CaseState.Rework, actor, at, reason: note, deadline: HandlingDeadline));
    }

    private Error? Transition(CaseAction action, Actor actor, DateTimeOffset at, Func<Case, CaseEvent> apply)
    {
        if (!CaseStateMachine.IsAllowed(action, State))
        {
            return CaseErrors.IllegalTransition(action, State);
        }

        apply(this);
        return null;
    }

    private CaseEvent Append(CaseEventType type, CaseState to, Actor actor, DateTimeOffset at,
        Guid? unitId = null, string? reason = null, DateTimeOffset? deadline = null, string? value = null)
    {
        var e = new CaseEvent
        {
            CaseId = Id,
            Sequence = EventCount + 1,
            Type = type,
            FromState = State,
            ToState = to,
            At = at,
            ActorId = actor.Id,
            ActorName = actor.Name,
            UnitId = unitId,
            Reason = reason,
            Deadline = deadline,
            Value = value,
        };
        When(e);
        _newEvents.Add(e);
        return e;
    }

    private void When(CaseEvent e)
    {
        switch (e.Type)
        {
            case CaseEventType.Reported:
                Deadline = e.Deadline;
                break;
            case CaseEventType.Filed:
                CategoryCode = e.Value;
                FiledAt = e.At;
                Deadline = e.Deadline;
                break;
            case CaseEventType.Rejected:
                ClosedAt = e.At;
                Deadline = null;
                break;
            case CaseEventType.Merged:
                ParentCaseId = Guid.Parse(e.Value!);
                ClosedAt = e.At;
                Deadline = null;
                break;
            case CaseEventType.Dispatched:
                UnitId = e.UnitId;
                DispatchedAt = e.At;
                HandlingDeadline = Deadline = e.Deadline;
                HandlerId = null;
                break;
            case CaseEventType.Started:
                HandlerId = e.ActorId;
                break;
            case CaseEventType.Returned:
                UnitId = null;
                HandlerId = null;
                HandlingDeadline = null;
                Deadline = null;
                RequestedDeadline = null;
                break;
            case CaseEventType.Resolved:
                HandlerId = e.ActorId ?? HandlerId;
                ResolvedAt = e.At;
                break;
            case CaseEventType.VerificationRequested:
                VerifierId = e.Value is null ? null : Guid.Parse(e.Value);
                VerificationPassed = false;
                Deadline = e.Deadline;
                break;
            case CaseEventType.VerificationPassed:
                VerificationPassed = true;
                break;
            case CaseEventType.VerificationFailed:
                WasReworked = true;
                VerificationPassed = false;
                Deadline = e.Deadline;
                break;
            case CaseEventType.Closed:
                ClosedAt = e.At;
                Deadline = null;
                break;
            case CaseEventType.Suspended:
                StateBeforeSuspension = State;
                break;
            case CaseEventType.Resumed:
                StateBeforeSuspension = null;
                if (e.Deadline is { } resumedDeadline)
                {
                    Deadline = resumedDeadline;
                    HandlingDeadline = CaseStates.IsWithUnit(e.ToState) ? resumedDeadline : HandlingDeadline;
                }

                break;
            case CaseEventType.ExtensionRequested:
                RequestedDeadline = e.Deadline;
                break;
            case CaseEventType.ExtensionApproved:
                HandlingDeadline = Deadline = e.Deadline;
                RequestedDeadline = null;
                WasExtended = true;
                break;
            case CaseEventType.ExtensionDenied:
                RequestedDeadline = null;
                break;
            case CaseEventType.Escalated:
                EscalatedAt = e.At;
                break;
            case CaseEventType.Evaluated:
                Satisfaction = int.Parse(e.Value!, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case CaseEventType.AttachmentAdded:
                break;
        }

        State = e.ToState;
        EventCount = e.Sequence;
    }
}

/// <summary>The facts of a new report, already validated and located.</summary>
public sealed record NewCase(
    string CaseNo,
    CaseChannel Channel,
    string Title,
    string Description,
    double Latitude,
    double Longitude,
    string RegionCode,
    string RegionPath,
    string? CategoryCode = null,
    string? Address = null,
    string? AssetCode = null,
    string? ExternalRef = null);
