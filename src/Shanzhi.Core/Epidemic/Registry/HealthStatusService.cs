using System.Data;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>A rule hit: which rule, and the evidence it rests on (staff-only text and an optional reference such as an investigation number).</summary>
/// <param name="HitRef">The client's own reference of this hit, unique per person, so that a resent hit is recognised; optional.</param>
public sealed record HealthRuleHit(string? RuleId, string? Evidence, string? EvidenceRef = null, string? HitRef = null);

/// <summary>One row of a person's health-status history, for staff.</summary>
public sealed record HealthChangeView(
    long Id,
    long PersonKey,
    HealthStatus? From,
    HealthStatus To,
    string ToName,
    HealthChangeSource Source,
    string? SourceSystem,
    string? UpstreamRef,
    string? RuleId,
    string? RuleName,
    string? Evidence,
    string? EvidenceRef,
    string? HitRef,
    string? Reason,
    string RequestedBy,
    string? ApprovedBy,
    DateTimeOffset At);

/// <summary>A manual override request for staff; the rejection fields are set once it is rejected or withdrawn, <see cref="DecidedAt"/> once it is decided.</summary>
public sealed record OverrideRequestView(
    Guid Id,
    long PersonKey,
    HealthStatus To,
    string Reason,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    OverrideState State,
    DateTimeOffset? DecidedAt = null,
    Guid? RejectedById = null,
    string? RejectedBy = null,
    string? RejectionReason = null);

/// <summary>The explanation shown to the person: current status: the colour, since when, and why.</summary>
/// <param name="Since">When the current status took effect; for a person without a status, when they were registered.</param>
public sealed record HealthExplanation(long PersonKey, HealthStatus? Status, string StatusName, DateTimeOffset Since, string Text);

/// <summary>
/// Health status with its history. A status changes only with a reason on record: an upstream
/// update (see <see cref="UpstreamHealthUpdate"/>), a rule hit with evidence, or a manual override
/// that a second officer approves. Every committed change drops the person's cached status in
/// <see cref="PersonLookup"/>.
/// </summary>
public sealed class HealthStatusService(
    ShanzhiDbContext db,
    PersonRegistry registry,
    PersonLookup lookup,
    TimeProvider clock,
    ILogger<HealthStatusService> logger)
{
    /// <summary>How the registry names a missing status: the person has no health code yet.</summary>
    public const string NoStatusName = "未赋码";

    /// <summary>
    /// The maximum number of attempts at a rule hit while PostgreSQL aborts it for concurrent changes. The second attempt
    /// normally finds the concurrent copy of the hit and returns it.
    /// </summary>
    private const int MaxRuleAttempts = 3;

    public static string StatusName(HealthStatus? status) => status is { } known ? EpidemicNames.Chinese(known) : NoStatusName;

    /// <summary>
    /// Applies the status a rule sets, with its evidence, at once. A hit that leaves the colour unchanged is still recorded,
    /// because it becomes the reason for the current status that the explanation quotes and that the person may contest.
    /// A resent hit is recorded once and returns the first response (see <see cref="FindResentAsync"/>).
    /// </summary>
    public async Task<Result<HealthChangeView>> ApplyRuleAsync(long personKey, HealthRuleHit hit, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (HealthRules.Find(hit.RuleId) is not { } rule)
        {
            return RegistryErrors.UnknownRule;
        }

        var evidence = hit.Evidence?.Trim() ?? "";
        if (evidence.Length == 0)
        {
            return RegistryErrors.EvidenceRequired;
        }

        var evidenceRef = string.IsNullOrWhiteSpace(hit.EvidenceRef) ? null : hit.EvidenceRef.Trim();
        if (evidence.Length > HealthStatusChange.TextMaxLength || evidenceRef?.Length > HealthStatusChange.ReferenceMaxLength)
        {
            return RegistryErrors.TextTooLong with { Field = "evidence" };
        }

        var hitRef = string.IsNullOrWhiteSpace(hit.HitRef) ? null : hit.HitRef.Trim();
        if (hitRef?.Length > HealthStatusChange.ReferenceMaxLength)
        {
            return RegistryErrors.HitRefTooLong;
        }

        if ((IdentifiersInText.Check(evidence, RegistryErrors.HealthIdentifierCode, "evidence")
                ?? IdentifiersInText.Check(evidenceRef, RegistryErrors.HealthIdentifierCode, "evidenceRef")
                ?? IdentifiersInText.Check(hitRef, RegistryErrors.HealthIdentifierCode, "hitRef")) is { } identified)
        {
            return identified;
        }

        var found = await registry.FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        // The change this hit records, without the status before it and the times, which the transaction fills in.
        var proposed = new HealthStatusChange
        {
            PersonKey = personKey,
            To = rule.Status,
            Source = HealthChangeSource.Rule,
            RuleId = rule.Id,
            Evidence = evidence,
            EvidenceRef = evidenceRef,
            HitRef = hitRef,
            RequestedById = user.UserId,
            RequestedBy = user.DisplayName,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ApplyUnlessResentAsync(proposed, cancellationToken);
            }
            catch (Exception e) when (StoreExceptions.IsSerializationFailure(e) || StoreExceptions.IsUniqueViolation(e))
            {
                // PostgreSQL aborted this attempt for a concurrent change of the person, such as a copy of this hit. The next attempt reads that change.
                db.ChangeTracker.Clear();
                if (attempt == MaxRuleAttempts)
                {
                    logger.RuleHitConflict(e, personKey, MaxRuleAttempts);
                    return RegistryErrors.RuleHitConcurrent;
                }
            }
        }
    }

    /// <summary>Files a manual override; it takes effect only when another officer approves it.</summary>
    public async Task<Result<OverrideRequestView>> RequestOverrideAsync(long personKey, HealthStatus? to, string? reason, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (to is not { } status || !Enum.IsDefined(status))
        {
            return RegistryErrors.StatusRequired;
        }

        var trimmed = reason?.Trim() ?? "";
        if (CheckOverrideReason(trimmed) is { } invalid)
        {
            return invalid;
        }

        var found = await registry.FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        if (found.Value!.Status == status)
        {
            return RegistryErrors.StatusUnchanged;
        }

        var request = new HealthOverrideRequest
        {
            PersonKey = personKey,
            To = status,
            Reason = trimmed,
            RequestedById = user.UserId,
            RequestedBy = user.DisplayName,
            RequestedAt = clock.GetUtcNow(),
        };
        db.HealthOverrideRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        logger.OverrideRequested(request.Id, personKey);
        return ToView(request);
    }

    /// <summary>Approves and applies an override. The requester may not approve their own request.</summary>
    public async Task<Result<HealthChangeView>> ApproveOverrideAsync(Guid requestId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var request = await db.HealthOverrideRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return RegistryErrors.OverrideNotFound;
        }

        if (request.State != OverrideState.Pending)
        {
            return RegistryErrors.OverrideDecided;
        }

        // Two people decide a manual change (双人审核). The platform itself (no user id) is not a second person.
        if (user.UserId is null || user.UserId == request.RequestedById)
        {
            return RegistryErrors.SelfApproval;
        }

        var found = await registry.FindInScopeAsync(request.PersonKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        // A request is judged against the status its requester saw: once anything changed the
        // status after it was filed (upstream, a rule, another override), approving it could undo
        // that change unseen, e.g. an older "green" request clearing a newer red code.
        var lastChange = await db.HealthStatusChanges.AsNoTracking()
            .Where(c => c.PersonKey == request.PersonKey)
            .OrderByDescending(c => c.Id)
            .Select(c => (DateTimeOffset?)c.RecordedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (lastChange > request.RequestedAt)
        {
            return RegistryErrors.OverrideStale;
        }

        var person = await db.Persons.SingleAsync(p => p.Key == request.PersonKey, cancellationToken);
        if (person.Status == request.To)
        {
            return RegistryErrors.StatusUnchanged;
        }

        var now = clock.GetUtcNow();
        var change = new HealthStatusChange
        {
            PersonKey = person.Key,
            From = person.Status,
            To = request.To,
            Source = HealthChangeSource.Manual,
            Reason = request.Reason,
            RequestedById = request.RequestedById,
            RequestedBy = request.RequestedBy,
            ApprovedById = user.UserId,
            ApprovedBy = user.DisplayName,
            At = now,
            RecordedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await CommitAsync(person, change, cancellationToken);
        request.MarkApproved(change.Id, now);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // A lookup between the save and the commit may have cached the old status again.
        lookup.Forget([person.Key]);
        return result;
    }

    /// <summary>
    /// Rejects a pending override with a reason; no status changes. Any officer who may see the
    /// person may reject, the requester too (a withdrawal): only a change needs a second person.
    /// </summary>
    public async Task<Result<OverrideRequestView>> RejectOverrideAsync(Guid requestId, string? reason, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var request = await db.HealthOverrideRequests.FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || (await registry.FindInScopeAsync(request.PersonKey, user, cancellationToken)).Error is not null)
        {
            return RegistryErrors.OverrideNotFound;
        }

        if (request.State != OverrideState.Pending)
        {
            return RegistryErrors.OverrideDecided;
        }

        var trimmed = reason?.Trim() ?? "";
        if (CheckOverrideReason(trimmed) is { } invalid)
        {
            return invalid;
        }

        request.MarkRejected(user.UserId, user.DisplayName, trimmed, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        logger.OverrideRejected(request.Id, request.PersonKey);
        return ToView(request);
    }

    /// <summary>Returns one override request; a request for a person outside the user's scope is not found.</summary>
    public async Task<Result<OverrideRequestView>> GetOverrideAsync(Guid requestId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var request = await db.HealthOverrideRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null || (await registry.FindInScopeAsync(request.PersonKey, user, cancellationToken)).Error is not null)
        {
            return RegistryErrors.OverrideNotFound;
        }

        return ToView(request);
    }

    public async Task<Result<IReadOnlyList<OverrideRequestView>>> PendingOverridesAsync(long personKey, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await registry.FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        var pending = await db.HealthOverrideRequests.AsNoTracking()
            .Where(r => r.PersonKey == personKey && r.State == OverrideState.Pending)
            .OrderBy(r => r.RequestedAt)
            .ToListAsync(cancellationToken);
        return pending.Select(ToView).ToList();
    }

    public async Task<Result<IReadOnlyList<HealthChangeView>>> HistoryAsync(long personKey, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await registry.FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        var changes = await db.HealthStatusChanges.AsNoTracking()
            .Where(c => c.PersonKey == personKey)
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        return changes.Select(ToView).ToList();
    }

    /// <summary>
    /// The person-facing explanation of the current status. It quotes the rule's public text, never
    /// the evidence, because evidence may name other people; a manual override quotes its reason.
    /// </summary>
    public async Task<Result<HealthExplanation>> ExplainAsync(long personKey, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await registry.FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        var person = found.Value!;
        var last = await db.HealthStatusChanges.AsNoTracking()
            .Where(c => c.PersonKey == personKey)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var colour = StatusName(person.Status);
        var since = last?.At ?? person.CreatedAt;
        if (person.Status is null)
        {
            var none = $"您自 {Format(since)} 登记以来尚无健康码状态：平台未收到省级健康码系统的状态，也没有规则判定或人工调整。" +
                "通行时请配合工作人员人工核验。如有异议，请联系所在社区或拨打 12345 政务服务便民热线。";
            return new HealthExplanation(personKey, null, colour, since, none);
        }

        var cause = last switch
        {
            null => "登记时的初始状态，此后未发生变更。",
            { Source: HealthChangeSource.Rule } rule => $"{HealthRules.Find(rule.RuleId)?.PublicExplanation ?? "规则判定。"}（判定规则：{HealthRules.Find(rule.RuleId)?.Name ?? rule.RuleId}）",
            { Source: HealthChangeSource.Manual } manual => $"人工调整：{manual.Reason}（经两名工作人员审核）。",
            { } upstream => $"上游系统：{upstream.SourceSystem} 推送的健康码状态（编号 {upstream.UpstreamRef}）。",
        };
        var text = $"您当前为{colour}，自 {Format(since)} 起。原因：{cause}如有异议，请联系所在社区或拨打 12345 政务服务便民热线。";
        return new HealthExplanation(personKey, person.Status, colour, since, text);
    }

    /// <summary>Shanghai wall-clock time as the person reads it: "2026年3月2日 09:00".</summary>
    internal static string Format(DateTimeOffset instant) =>
        ShanghaiTime.ToLocal(instant).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// Returns the stored change if <paramref name="hit"/> was applied before, else applies it, in one serializable
    /// transaction so that two copies of a hit sent at the same time are recorded once. SQLite begins the transaction with
    /// BEGIN IMMEDIATE, so the second copy waits and then finds the first. PostgreSQL aborts one of the two with a
    /// serialization failure (or a unique violation on the hit reference), and the caller runs it again.
    /// </summary>
    private async Task<Result<HealthChangeView>> ApplyUnlessResentAsync(HealthStatusChange hit, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var resent = await FindResentAsync(hit, cancellationToken);
        if (resent is { } earlier)
        {
            if (earlier.Value is { } view)
            {
                logger.RuleHitResent(hit.PersonKey, view.Id);
            }

            return earlier;
        }

        var person = await db.Persons.SingleAsync(p => p.Key == hit.PersonKey, cancellationToken);

        // PostgreSQL keeps microseconds, so the time is cut to them. The response to a resent hit, read back from the store, then equals the first.
        var clockNow = clock.GetUtcNow();
        var now = clockNow.AddTicks(-(clockNow.UtcTicks % TimeSpan.TicksPerMicrosecond));
        var change = new HealthStatusChange
        {
            PersonKey = hit.PersonKey,
            From = person.Status,
            To = hit.To,
            Source = HealthChangeSource.Rule,
            RuleId = hit.RuleId,
            Evidence = hit.Evidence,
            EvidenceRef = hit.EvidenceRef,
            HitRef = hit.HitRef,
            RequestedById = hit.RequestedById,
            RequestedBy = hit.RequestedBy,
            At = now,
            RecordedAt = now,
        };
        var result = await CommitAsync(person, change, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // A lookup between the save and the commit may have cached the old status again.
        lookup.Forget([person.Key]);
        return result;
    }

    /// <summary>
    /// Finds an earlier copy of a rule hit. With a hit reference, the person's change with that reference is the copy when
    /// its rule and evidence match, and a reuse of the reference for another hit is rejected. Without one, the person's
    /// latest change is the copy when it is a hit of the same rule with the same evidence and evidence reference: such a
    /// repeat adds no new fact. The same hit after another change in between is recorded again, for example when a person
    /// completes isolation a second time.
    /// </summary>
    private async Task<Result<HealthChangeView>?> FindResentAsync(HealthStatusChange hit, CancellationToken cancellationToken)
    {
        var changes = db.HealthStatusChanges.AsNoTracking().Where(c => c.PersonKey == hit.PersonKey);
        if (hit.HitRef is not null)
        {
            var earlier = await changes.FirstOrDefaultAsync(c => c.HitRef == hit.HitRef, cancellationToken);
            if (earlier is null)
            {
                return null;
            }

            return IsSameHit(earlier, hit) ? ToView(earlier) : RegistryErrors.HitRefReused(earlier.Id);
        }

        var latest = await changes.OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        if (latest is null || !IsSameHit(latest, hit))
        {
            return null;
        }

        return ToView(latest);
    }

    private static bool IsSameHit(HealthStatusChange stored, HealthStatusChange hit) =>
        stored.Source == HealthChangeSource.Rule && stored.RuleId == hit.RuleId && stored.Evidence == hit.Evidence && stored.EvidenceRef == hit.EvidenceRef;

    private async Task<Result<HealthChangeView>> CommitAsync(Person person, HealthStatusChange change, CancellationToken cancellationToken)
    {
        person.Status = change.To;
        person.UpdatedAt = change.RecordedAt;
        db.HealthStatusChanges.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        lookup.Forget([person.Key]);
        logger.StatusChanged(person.Key, change.From, change.To, change.Source);
        return ToView(change);
    }

    internal static HealthChangeView ToView(HealthStatusChange c) => new(
        c.Id, c.PersonKey, c.From, c.To, EpidemicNames.Chinese(c.To), c.Source, c.SourceSystem, c.UpstreamRef, c.RuleId,
        HealthRules.Find(c.RuleId)?.Name, c.Evidence, c.EvidenceRef, c.HitRef, c.Reason, c.RequestedBy, c.ApprovedBy, c.At);

    /// <summary>
    /// Checks an override's or a rejection's reason: required, at most <see cref="HealthStatusChange.TextMaxLength"/>
    /// characters, and free of ID and mobile numbers because the history and the explanation show it.
    /// </summary>
    private static Error? CheckOverrideReason(string trimmed) =>
        trimmed.Length == 0 ? RegistryErrors.OverrideReasonRequired
        : trimmed.Length > HealthStatusChange.TextMaxLength ? RegistryErrors.TextTooLong
        : IdentifiersInText.Check(trimmed, RegistryErrors.HealthIdentifierCode, "reason");

    private static OverrideRequestView ToView(HealthOverrideRequest r) =>
        new(r.Id, r.PersonKey, r.To, r.Reason, r.RequestedBy, r.RequestedAt, r.State, r.DecidedAt, r.RejectedById, r.RejectedBy, r.RejectionReason);
}
