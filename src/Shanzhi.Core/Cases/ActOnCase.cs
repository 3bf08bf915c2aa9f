using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;

namespace Shanzhi.Cases;

public sealed partial class CaseService
{
    /// <summary>
    /// Takes an action on a case. The checks run in this order: region scope, the caller's expected
    /// event count, role and unit, the state machine, then the action's inputs. The first failure
    /// is returned and nothing is stored. On success the case row and its new events are saved in
    /// one transaction.
    /// </summary>
    public async Task<Result<Case>> ActAsync(Guid id, CaseActionRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (@case is null || !user.CanSee(@case.RegionPath))
        {
            return CaseErrors.NotFound;
        }

        var actor = user.AsActor();
        var from = @case.State;
        var error =
            (request.ExpectedEventCount is { } expected && expected != @case.EventCount ? CaseErrors.ConcurrentChange : null)
            ?? CasePermissions.Check(request.Action, @case, user)
            ?? @case.CanApply(request.Action, actor)
            ?? CheckReason(request)
            ?? await ApplyAsync(@case, request, user, actor, cancellationToken);
        if (error is not null)
        {
            db.ChangeTracker.Clear();
            return error;
        }

        if (await db.SaveCaseAsync(@case, TransitionAudit(@case, $"{request.Action}: {from} -> {@case.State}", actor), cancellationToken) is { } conflict)
        {
            logger.CaseChangedConcurrently(@case.CaseNo, request.Action);
            return conflict;
        }

        logger.CaseActed(@case.CaseNo, request.Action, from, @case.State);
        await NotifyObserversAsync(@case, request.Action, user, cancellationToken);
        return @case;
    }

    private async Task NotifyObserversAsync(Case @case, CaseAction action, StaffPrincipal user, CancellationToken cancellationToken)
    {
        foreach (var observer in observers ?? [])
        {
            try
            {
                await observer.OnActedAsync(@case, action, user, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The action is committed and audited; a failing observer must not turn it into an error.
                logger.ObserverFailed(e, @case.CaseNo, action, observer.GetType().Name);
            }
        }
    }

    private static Error? CheckReason(CaseActionRequest request)
    {
        var reason = request.Reason?.Trim();
        var required = request.Action is CaseAction.Reject or CaseAction.Return or CaseAction.FailVerification
            or CaseAction.Suspend or CaseAction.RequestExtension or CaseAction.DenyExtension;
        if (required && string.IsNullOrEmpty(reason))
        {
            return CaseErrors.ReasonRequired(request.Action);
        }

        return reason is { Length: > CaseLimits.ReasonMaxLength } ? CaseErrors.ReasonTooLong(reason.Length) : null;
    }

    /// <summary>Resolves the action's inputs (category, unit, deadlines) and applies it to the entity.</summary>
    private async Task<Error?> ApplyAsync(Case @case, CaseActionRequest request, StaffPrincipal user, Actor actor,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var calendar = await calendars.GetAsync(db, cancellationToken);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();

        switch (request.Action)
        {
            case CaseAction.File:
            {
                var code = request.CategoryCode?.Trim() ?? @case.CategoryCode;
                if (code is null)
                {
                    return CaseErrors.CategoryRequired;
                }

                var category = await ActiveCategoryAsync(code, cancellationToken);
                return category is null
                    ? CaseErrors.UnknownCategory(code)
                    : @case.File(code, actor, now, calendar.Add(now, TimeLimit.Hours(category.DispatchLimitHours)));
            }

            case CaseAction.Reject:
                return @case.Reject(reason!, actor, now);

            case CaseAction.Merge:
            {
                if (request.ParentCaseId is not { } parentId)
                {
                    return CaseErrors.ParentRequired;
                }

                var parent = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == parentId, cancellationToken);
                return parent is null || !user.CanSee(parent.RegionPath)
                    ? CaseErrors.InvalidParent
                    : @case.MergeInto(parent, actor, now);
            }

            case CaseAction.Dispatch:
                return await DispatchAsync(@case, request.UnitId, actor, now, calendar, cancellationToken);

            case CaseAction.Start:
                return @case.Start(actor, now);

            case CaseAction.Return:
                return @case.Return(reason!, actor, now, calendar.Add(now, TimeLimit.Hours(options.Value.RedispatchLimitHours)));

            case CaseAction.Resolve:
                return @case.Resolve(reason, actor, now);

            case CaseAction.RequestVerification:
            {
                if (request.VerifierId is { } verifierId)
                {
                    if (!await IsSiteCheckerAsync(verifierId, cancellationToken))
                    {
                        return CaseErrors.UnknownVerifier;
                    }

                    var verifierScope = await db.Users.Where(u => u.Id == verifierId).Select(u => u.ScopePath).FirstAsync(cancellationToken);
                    if (!@case.RegionPath.StartsWith(verifierScope, StringComparison.Ordinal))
                    {
                        return CaseErrors.VerifierOutsideRegion;
                    }
                }

                var category = await CategoryOfAsync(@case, cancellationToken);
                return category is null
                    ? CaseErrors.CategoryRequired
                    : @case.RequestVerification(request.VerifierId, actor, now, calendar.Add(now, TimeLimit.Hours(category.VerificationLimitHours)));
            }

            case CaseAction.PassVerification:
                return @case.PassVerification(reason, actor, now);

            case CaseAction.FailVerification:
                return @case.FailVerification(reason!, actor, now);

            case CaseAction.Close:
                return @case.Close(actor, now);

            case CaseAction.Suspend:
                return @case.Suspend(reason!, actor, now);

            case CaseAction.Resume:
                return @case.Resume(actor, now, request.Deadline?.ToUniversalTime() ?? await ResumedDeadlineAsync(@case, now, calendar, cancellationToken));

            case CaseAction.RequestExtension:
                return request.Deadline is { } requested
                    ? @case.RequestExtension(requested.ToUniversalTime(), reason!, actor, now)
                    : CaseErrors.DeadlineRequired;

            case CaseAction.ApproveExtension:
                return @case.ApproveExtension(actor, now);

            case CaseAction.DenyExtension:
                return @case.DenyExtension(reason!, actor, now);

            case CaseAction.Evaluate:
                return request.Satisfaction is { } satisfaction
                    ? @case.Evaluate(satisfaction, reason, actor, now)
                    : CaseErrors.SatisfactionRequired;

            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Action, "Unknown case action.");
        }
    }

    /// <summary>Dispatches to the chosen unit, or to the unit routing proposes when none is chosen.</summary>
    private async Task<Error?> DispatchAsync(Case @case, Guid? unitId, Actor actor, DateTimeOffset now, WorkingCalendar calendar,
        CancellationToken cancellationToken)
    {
        if (unitId is null)
        {
            var proposal = await router.ProposeAsync(@case.CategoryCode, @case.RegionPath, cancellationToken);
            if (proposal.Error is { } noUnit)
            {
                return noUnit;
            }

            unitId = proposal.Value!.UnitId;
        }
        else
        {
            var unitPath = await (from unit in db.Units
                                  join region in db.Regions on unit.RegionCode equals region.Code
                                  where unit.Id == unitId && unit.IsActive
                                  select region.Path).FirstOrDefaultAsync(cancellationToken);
            if (unitPath is null)
            {
                return CaseErrors.UnknownUnit;
            }

            // A unit is responsible only for its own territory. A case sent elsewhere would sit with
            // a unit whose staff cannot see it.
            if (!@case.RegionPath.StartsWith(unitPath, StringComparison.Ordinal))
            {
                return CaseErrors.UnitOutsideRegion;
            }
        }

        var category = await CategoryOfAsync(@case, cancellationToken);
        return category is null
            ? CaseErrors.CategoryRequired
            : @case.Dispatch(unitId.Value, actor, now, calendar.Add(now, category.HandlingLimit));
    }

    /// <summary>
    /// Deadline after a suspension: the working time that was left when the case was suspended,
    /// counted from now, so the time spent in the hang-up list does not count against the unit.
    /// </summary>
    private async Task<DateTimeOffset?> ResumedDeadlineAsync(Case @case, DateTimeOffset now, WorkingCalendar calendar,
        CancellationToken cancellationToken)
    {
        if (@case.Deadline is not { } deadline)
        {
            return null;
        }

        var suspendedAt = await db.CaseEvents
            .Where(e => e.CaseId == @case.Id && e.Type == CaseEventType.Suspended)
            .OrderByDescending(e => e.Sequence)
            .Select(e => (DateTimeOffset?)e.At)
            .FirstOrDefaultAsync(cancellationToken);
        var left = calendar.WorkingTimeBetween(suspendedAt ?? now, deadline);
        return calendar.Add(now, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    private Task<Category?> ActiveCategoryAsync(string code, CancellationToken cancellationToken) =>
        db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Code == code && c.IsActive, cancellationToken);

    /// <summary>The case's category, active or not: a category retired after filing still sets the case's limits.</summary>
    private async Task<Category?> CategoryOfAsync(Case @case, CancellationToken cancellationToken) =>
        @case.CategoryCode is { } code
            ? await db.Categories.AsNoTracking().FirstOrDefaultAsync(c => c.Code == code, cancellationToken)
            : null;

    /// <summary>Whether the user exists and has a role that may verify on site.</summary>
    private Task<bool> IsSiteCheckerAsync(Guid userId, CancellationToken cancellationToken) =>
        (from userRole in db.UserRoles
         join role in db.Roles on userRole.RoleId equals role.Id
         where userRole.UserId == userId && (role.Name == Roles.Verifier || role.Name == Roles.GridWorker)
         select userRole).AnyAsync(cancellationToken);
}
