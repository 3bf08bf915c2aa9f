using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <param name="PersonKey">For <see cref="FollowUpOutcome.Registered"/>: the key the registry gave the person.</param>
/// <param name="Reason">For <see cref="FollowUpOutcome.Cleared"/>: why no registration is needed.</param>
public sealed record ResolveUnidentifiedRequest(FollowUpOutcome? Outcome, long? PersonKey, string? Reason);

public sealed record FollowUpView(Guid CaseId, long PlaceId, FollowUpOutcome? Outcome, long? PersonKey, string? Reason, CaseState CaseState);

/// <summary>
/// Ends an unidentified-person follow-up as registered or cleared and closes its case. An epidemic
/// officer or a grid worker whose scope covers the case records the outcome; the platform
/// (<see cref="StaffPrincipal.System"/>) then walks the case through the remaining steps of the
/// closed loop — start, resolve (with the outcome as the note), request verification, pass
/// verification, close — because the person found is the verification. The outcome is stored first,
/// so a refusal by the case engine leaves the outcome recorded and the case open, and is logged.
/// </summary>
public sealed class ResolveUnidentified(ShanzhiDbContext db, CaseService cases, TimeProvider clock, ILogger<ResolveUnidentified> logger)
{
    public async Task<Result<FollowUpView>> ResolveAsync(Guid caseId, ResolveUnidentifiedRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var followUp = await db.UnidentifiedFollowUps.FirstOrDefaultAsync(f => f.CaseId == caseId, cancellationToken);
        var regionPath = await db.Cases.Where(c => c.Id == caseId).Select(c => c.RegionPath).FirstOrDefaultAsync(cancellationToken);
        if (followUp is null || regionPath is null || !user.IsInAnyRole(Roles.EpidemicOfficer, Roles.GridWorker) || !user.CanSee(regionPath))
        {
            return GateErrors.FollowUpNotFound;
        }

        var reason = request.Reason?.Trim();
        string note;
        switch (request.Outcome)
        {
            case FollowUpOutcome.Registered:
                if (!string.IsNullOrEmpty(reason))
                {
                    return GateErrors.ResolveFieldUnexpected("reason", "核查结果为 registered（已登记）时不填写理由 reason，请删除该字段后重新提交。");
                }

                if (request.PersonKey is not { } key || !await db.Persons.AnyAsync(p => p.Key == key, cancellationToken))
                {
                    return GateErrors.RegisteredPersonUnknown;
                }

                note = "已找到该人员并完成人口登记。";
                break;
            case FollowUpOutcome.Cleared:
                if (request.PersonKey is not null)
                {
                    return GateErrors.ResolveFieldUnexpected("personKey",
                        "核查结果为 cleared（已排除）时不填写人员编号 personKey。如已找到该人员并完成登记，请选择 registered。");
                }

                if (string.IsNullOrEmpty(reason) || reason.Length > UnidentifiedFollowUp.ReasonMaxLength)
                {
                    return GateErrors.ClearReasonRequired;
                }

                // The reason is copied into the case timeline, which every handler of the case reads.
                if (IdentifiersInText.Check(reason, GateErrors.IdentifierInTextCode, "reason") is { } identified)
                {
                    return identified;
                }

                note = "经核实排除：" + reason;
                break;
            default:
                return GateErrors.OutcomeRequired;
        }

        if (followUp.Resolve(request.Outcome.Value, request.Outcome == FollowUpOutcome.Registered ? request.PersonKey : null,
                request.Outcome == FollowUpOutcome.Cleared ? reason : null, clock.GetUtcNow()) is { } resolved)
        {
            return resolved;
        }

        await db.SaveChangesAsync(cancellationToken);
        var state = await CloseCaseAsync(caseId, note, cancellationToken);
        logger.FollowUpResolved(caseId, request.Outcome.Value);
        return new FollowUpView(caseId, followUp.PlaceId, followUp.Outcome, followUp.PersonKey, followUp.Reason, state);
    }

    /// <summary>Applies the next closed-loop action as the platform until the case is closed or the engine refuses.</summary>
    private async Task<CaseState> CloseCaseAsync(Guid caseId, string note, CancellationToken cancellationToken)
    {
        var @case = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        for (var step = 0; step < 10 && @case.State != CaseState.Closed; step++)
        {
            CaseAction? next = @case.State switch
            {
                CaseState.Reported => CaseAction.File,
                CaseState.Filed or CaseState.Returned => CaseAction.Dispatch,
                CaseState.Dispatched or CaseState.Rework => CaseAction.Start,
                CaseState.InProgress => CaseAction.Resolve,
                CaseState.Resolved => CaseAction.RequestVerification,
                CaseState.Verifying => @case.VerificationPassed ? CaseAction.Close : CaseAction.PassVerification,
                CaseState.Suspended => CaseAction.Resume,
                _ => null,
            };
            if (next is not { } action)
            {
                break;
            }

            var reason = action is CaseAction.Resolve or CaseAction.PassVerification ? note : null;
            var result = await cases.ActAsync(caseId, new CaseActionRequest(action, Reason: reason), StaffPrincipal.System, cancellationToken);
            if (result.Error is { } error)
            {
                logger.FollowUpCaseNotClosed(caseId, action, error.Code);
                break;
            }

            @case = result.Value!;
        }

        return @case.State;
    }
}
