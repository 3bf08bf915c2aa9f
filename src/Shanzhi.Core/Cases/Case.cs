using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

/// <summary>
/// A work item in the closed loop. Report data (what, where, who reported) is written once; every
/// later field is a projection of the case's events, changed only through the action methods,
/// which enforce <see cref="CaseStateMachine"/> and append one <see cref="CaseEvent"/> each.
/// </summary>
[Classify(DataClass.Internal, "案件流转", Activity = "城市管理案件受理与处置")]
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

    [Classify(DataClass.Personal, "描述问题，可能涉及当事人", Recipients = "处置单位")]
    public string Title { get; private set; } = "";

    [Classify(DataClass.Personal, "描述问题，可能涉及当事人、车牌、门牌", Recipients = "处置单位")]
    public string Description { get; private set; } = "";

    [Classify(DataClass.Personal, "定位问题地点以派遣网格，可能是当事人住址", Recipients = "处置单位")]
    public double Latitude { get; private set; }

    [Classify(DataClass.Personal, "定位问题地点以派遣网格，可能是当事人住址", Recipients = "处置单位")]
    public double Longitude { get; private set; }

    [Classify(DataClass.Personal, "定位问题地点，可能是当事人住址", Recipients = "处置单位")]
    public string? Address { get; private set; }

    /// <summary>Deepest region containing the report point, normally a grid.</summary>
    public string RegionCode { get; private set; } = "";

    public string RegionPath { get; private set; } = "";

    /// <summary>16-digit component id when the report names a public facility.</summary>
    public string? AssetCode { get; private set; }

    [Classify(DataClass.Personal, "记录上报人以便回访")]
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

    [Classify(DataClass.Personal, "上报人满意度评价，用于考核")]
    public int? Satisfaction { get; private set; }

    /// <summary>Number of events applied; also the optimistic concurrency token.</summary>
    public int EventCount { get; private set; }

    /// <summary>Events created since the case was loaded or last saved, for the store to append.</summary>
    public IReadOnlyList<CaseEvent> NewEvents => _newEvents;

    /// <summary>Forgets <see cref="NewEvents"/> once the store has committed them.</summary>
    public void AcceptNewEvents() => _newEvents.Clear();

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
        @case.Append(CaseEventType.Reported, CaseState.Reported, actor, at, deadline: filingDeadline, value: report.CategoryCode);
        return @case;
    }

    /// <summary>
    /// Checks whether <paramref name="actor"/> may take <paramref name="action"/> now, before the
    /// action's own inputs are looked at: the state machine first, then the rules that depend only
    /// on the case (no closing before a passed verification, no verifying one's own work …).
    /// </summary>
    public Error? CanApply(CaseAction action, Actor actor)
    {
        if (!CaseStateMachine.IsAllowed(action, State))
        {
            return CaseErrors.IllegalTransition(action, State);
        }

        return action switch
        {
            CaseAction.Close when !VerificationPassed => CaseErrors.NotVerified,
            CaseAction.ApproveExtension or CaseAction.DenyExtension when RequestedDeadline is null => CaseErrors.NoExtensionPending,
            CaseAction.Evaluate when Satisfaction is not null => CaseErrors.AlreadyEvaluated,

            // 处置与核查分离: the handler of a case may not verify it.
            CaseAction.PassVerification or CaseAction.FailVerification when actor.Id is { } id && id == HandlerId =>
                CaseErrors.VerifierIsHandler,
            CaseAction.PassVerification or CaseAction.FailVerification when VerificationPassed => CaseErrors.AlreadyVerified,
            _ => null,
        };
    }

    public Error? File(string categoryCode, Actor actor, DateTimeOffset at, DateTimeOffset dispatchDeadline) =>
        Transition(CaseAction.File, actor, c =>
            c.Append(CaseEventType.Filed, CaseState.Filed, actor, at, deadline: dispatchDeadline, value: categoryCode));

    public Error? Reject(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Reject, actor, c => c.Append(CaseEventType.Rejected, CaseState.Rejected, actor, at, reason: reason));

    public Error? MergeInto(Case parent, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Merge, actor,
            () => parent.Id == Id || parent.State is CaseState.Merged or CaseState.Rejected ? CaseErrors.InvalidParent : null,
            c => c.Append(CaseEventType.Merged, CaseState.Merged, actor, at, value: parent.Id.ToString()));

    public Error? Dispatch(Guid unitId, Actor actor, DateTimeOffset at, DateTimeOffset handlingDeadline) =>
        Transition(CaseAction.Dispatch, actor, c =>
            c.Append(CaseEventType.Dispatched, CaseState.Dispatched, actor, at, unitId: unitId, deadline: handlingDeadline));

    public Error? Start(Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Start, actor, c => c.Append(CaseEventType.Started, CaseState.InProgress, actor, at, unitId: UnitId));

    /// <param name="redispatchDeadline">When the command centre must dispatch the case again.</param>
    public Error? Return(string reason, Actor actor, DateTimeOffset at, DateTimeOffset? redispatchDeadline = null) =>
        Transition(CaseAction.Return, actor, c =>
            c.Append(CaseEventType.Returned, CaseState.Returned, actor, at, unitId: UnitId, reason: reason, deadline: redispatchDeadline));

    public Error? Resolve(string? note, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Resolve, actor, c =>
            c.Append(CaseEventType.Resolved, CaseState.Resolved, actor, at, unitId: UnitId, reason: note));

    public Error? RequestVerification(Guid? verifierId, Actor actor, DateTimeOffset at, DateTimeOffset verificationDeadline) =>
        Transition(CaseAction.RequestVerification, actor,
            () => verifierId is { } id && id == HandlerId ? CaseErrors.VerifierIsHandler : null,
            c => c.Append(CaseEventType.VerificationRequested, CaseState.Verifying, actor, at,
                deadline: verificationDeadline, value: verifierId?.ToString()));

    public Error? PassVerification(string? note, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.PassVerification, actor, c =>
            c.Append(CaseEventType.VerificationPassed, CaseState.Verifying, actor, at, reason: note));

    /// <summary>Sends the case back to the handling unit (返工) against its existing handling deadline.</summary>
    public Error? FailVerification(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.FailVerification, actor, c =>
            c.Append(CaseEventType.VerificationFailed, CaseState.Rework, actor, at, reason: reason, deadline: HandlingDeadline));

    public Error? Close(Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Close, actor, c => c.Append(CaseEventType.Closed, CaseState.Closed, actor, at));

    public Error? Suspend(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Suspend, actor, c => c.Append(CaseEventType.Suspended, CaseState.Suspended, actor, at, reason: reason));

    /// <param name="newHandlingDeadline">Deadline of the stage the case returns to, with the suspended time left out.</param>
    public Error? Resume(Actor actor, DateTimeOffset at, DateTimeOffset? newHandlingDeadline) =>
        Transition(CaseAction.Resume, actor, c =>
            c.Append(CaseEventType.Resumed, StateBeforeSuspension ?? CaseState.Filed, actor, at, deadline: newHandlingDeadline));

    public Error? RequestExtension(DateTimeOffset requestedDeadline, string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.RequestExtension, actor,
            () => HandlingDeadline is { } current && requestedDeadline <= current ? CaseErrors.ExtensionNotLater : null,
            c => c.Append(CaseEventType.ExtensionRequested, State, actor, at, reason: reason, deadline: requestedDeadline));

    public Error? ApproveExtension(Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.ApproveExtension, actor, c =>
            c.Append(CaseEventType.ExtensionApproved, State, actor, at, deadline: RequestedDeadline));

    public Error? DenyExtension(string reason, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.DenyExtension, actor, c => c.Append(CaseEventType.ExtensionDenied, State, actor, at, reason: reason));

    public Error? Evaluate(int satisfaction, string? comment, Actor actor, DateTimeOffset at) =>
        Transition(CaseAction.Evaluate, actor,
            () => satisfaction is < 1 or > 5 ? CaseErrors.InvalidSatisfaction : null,
            c => c.Append(CaseEventType.Evaluated, State, actor, at, reason: comment,
                value: satisfaction.ToString(System.Globalization.CultureInfo.InvariantCulture)));

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

    /// <summary>Records persons added to the case; <paramref name="reason"/> lists them as the case description does, by person key.</summary>
    public void RecordPersonsAdded(string reason, Actor actor, DateTimeOffset at) =>
        Append(CaseEventType.PersonsAdded, State, actor, at, reason: reason);

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

    private Error? Transition(CaseAction action, Actor actor, Func<Case, CaseEvent> apply) =>
        Transition(action, actor, static () => null, apply);

    /// <summary>
    /// Applies the action when <see cref="CanApply"/> and then the action's input check pass, so an
    /// action in the wrong state always reports the illegal transition, whatever its inputs.
    /// </summary>
    private Error? Transition(CaseAction action, Actor actor, Func<Error?> checkInputs, Func<Case, CaseEvent> apply)
    {
        if ((CanApply(action, actor) ?? checkInputs()) is { } error)
        {
            return error;
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
                CategoryCode = e.Value;
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
                Deadline = e.Deadline;
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
            case CaseEventType.PersonsAdded:
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
