using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>One update from the upstream health-code system: the person by ID number or by key, the status, the upstream's reference and time.</summary>
public sealed record UpstreamHealthItem(string? IdNumber, long? PersonKey, HealthStatus? Status, string? UpstreamRef, DateTimeOffset? At);

public sealed record UpstreamHealthBatch(string? SourceSystem, IReadOnlyList<UpstreamHealthItem>? Items);

public enum UpstreamOutcome
{
    /// <summary>The status changed and a history row was written.</summary>
    Applied = 1,

    /// <summary>The person already had this status; nothing written.</summary>
    Unchanged = 2,

    /// <summary>The reference was applied before (a resent update); nothing written.</summary>
    Duplicate = 3,

    /// <summary>A later change of the person is already on record; this older update is ignored.</summary>
    Stale = 4,

    /// <summary>The row is invalid or names no registered person; see the code and message.</summary>
    Rejected = 5,
}

/// <summary>What happened to one item; <paramref name="Index"/> is its position in the batch, from 0. Never carries the ID number.</summary>
public sealed record UpstreamItemResult(int Index, string? UpstreamRef, UpstreamOutcome Outcome, long? PersonKey, string? Code = null, string? Message = null);

public sealed record UpstreamBatchResult(int Applied, int Unchanged, int Duplicates, int Stale, int Rejected, IReadOnlyList<UpstreamItemResult> Items);

/// <summary>
/// Applies a batch of updates from the provincial health-code system in one transaction, with the
/// source system on every history row. Idempotent on (source system, upstream reference); within a
/// batch items apply in time order, and an item older than the person's last change is stale. The
/// feed covers the whole city, so only city-wide epidemic officers (or the platform) submit it.
/// </summary>
public sealed class UpstreamHealthUpdate(ShanzhiDbContext db, PersonIdentity identity, PersonLookup lookup, TimeProvider clock, ILogger<UpstreamHealthUpdate> logger)
{
    public const int MaxBatchSize = 1000;

    private sealed record Candidate(int Index, long PersonKey, HealthStatus Status, string Ref, DateTimeOffset At);

    public async Task<Result<UpstreamBatchResult>> ApplyAsync(UpstreamHealthBatch batch, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        if (!PersonRules.HasCityScope(user))
        {
            return RegistryErrors.CityScopeRequired;
        }

        var system = batch.SourceSystem?.Trim() ?? "";
        if (system.Length == 0 || system.Length > HealthStatusChange.SourceSystemMaxLength)
        {
            return RegistryErrors.SourceSystemRequired;
        }

        // The system name goes into the log, the history and the person-facing explanation.
        if (IdentifiersInText.Check(system, RegistryErrors.HealthIdentifierCode, "sourceSystem") is { } identified)
        {
            return identified;
        }

        var items = batch.Items ?? [];
        if (items.Count == 0)
        {
            return RegistryErrors.BatchEmpty;
        }

        if (items.Count > MaxBatchSize)
        {
            return RegistryErrors.BatchTooLarge;
        }

        var results = new UpstreamItemResult?[items.Count];
        var candidates = await ResolveAsync(items, results, cancellationToken);
        try
        {
            await ApplyCandidatesAsync(system, candidates, results, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same reference was committed by a concurrent submission; resending the batch is safe.
            return UpstreamErrors.Concurrent;
        }

        var all = results.Select(r => r!).ToList();
        var outcome = new UpstreamBatchResult(
            all.Count(r => r.Outcome == UpstreamOutcome.Applied),
            all.Count(r => r.Outcome == UpstreamOutcome.Unchanged),
            all.Count(r => r.Outcome == UpstreamOutcome.Duplicate),
            all.Count(r => r.Outcome == UpstreamOutcome.Stale),
            all.Count(r => r.Outcome == UpstreamOutcome.Rejected),
            all);
        logger.UpstreamBatch(system, outcome.Applied, outcome.Unchanged, outcome.Duplicates, outcome.Stale, outcome.Rejected);
        return outcome;
    }

    /// <summary>Checks each item and finds its person; rejected items get their result here.</summary>
    private async Task<List<Candidate>> ResolveAsync(IReadOnlyList<UpstreamHealthItem> items, UpstreamItemResult?[] results, CancellationToken cancellationToken)
    {
        var indexes = new Dictionary<int, byte[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var reference = item.UpstreamRef?.Trim() ?? "";

            // The reference is stored in the history and quoted in the explanation shown to the person.
            var identifiedRef = IdentifiersInText.Check(reference, RegistryErrors.HealthIdentifierCode, "upstreamRef");
            Error? invalid = reference.Length is 0 or > HealthStatusChange.ReferenceMaxLength ? UpstreamErrors.RefRequired
                : identifiedRef is not null ? identifiedRef
                : item.Status is not { } status || !Enum.IsDefined(status) ? RegistryErrors.StatusRequired
                : item.At is null ? UpstreamErrors.TimeRequired
                : item.At > clock.GetUtcNow() + UpstreamErrors.ClockTolerance ? UpstreamErrors.TimeInFuture
                : (item.PersonKey is null) == string.IsNullOrWhiteSpace(item.IdNumber) ? UpstreamErrors.PersonRequired
                : item.PersonKey is null ? ChineseIdNumber.Validate(item.IdNumber!, "idNumber")
                : null;
            if (invalid is not null)
            {
                // A reference that is not stored (empty, too long or carrying an identifier) is not echoed either.
                var echoed = invalid == UpstreamErrors.RefRequired || invalid == identifiedRef ? null : reference;
                results[i] = new(i, echoed, UpstreamOutcome.Rejected, item.PersonKey, invalid.Code, invalid.Detail);
            }
            else if (item.PersonKey is null)
            {
                indexes[i] = identity.IndexOf(item.IdNumber!);
            }
        }

        var lookupIndexes = indexes.Values.ToList();
        var byIndex = (await db.Persons.AsNoTracking().Where(p => lookupIndexes.Contains(p.IdNumberIndex)).Select(p => new { p.Key, p.IdNumberIndex })
            .ToListAsync(cancellationToken)).ToDictionary(p => Convert.ToHexString(p.IdNumberIndex), p => p.Key, StringComparer.Ordinal);
        var keys = items.Where(i => i.PersonKey is not null).Select(i => i.PersonKey!.Value).Distinct().ToList();
        var knownKeys = (await db.Persons.AsNoTracking().Where(p => keys.Contains(p.Key)).Select(p => p.Key).ToListAsync(cancellationToken)).ToHashSet();

        var candidates = new List<Candidate>();
        for (var i = 0; i < items.Count; i++)
        {
            if (results[i] is not null)
            {
                continue;
            }

            var item = items[i];
            long? key = item.PersonKey is { } given
                ? knownKeys.Contains(given) ? given : null
                : byIndex.TryGetValue(Convert.ToHexString(indexes[i]), out var found) ? found : null;
            if (key is null)
            {
                var unknown = item.PersonKey is null ? UpstreamErrors.UnknownPerson : UpstreamErrors.UnknownPersonKey;
                results[i] = new(i, item.UpstreamRef!.Trim(), UpstreamOutcome.Rejected, item.PersonKey, unknown.Code, unknown.Detail);
                continue;
            }

            candidates.Add(new(i, key.Value, item.Status!.Value, item.UpstreamRef!.Trim(), item.At!.Value.ToUniversalTime()));
        }

        return candidates;
    }

    private async Task ApplyCandidatesAsync(string system, List<Candidate> candidates, UpstreamItemResult?[] results, CancellationToken cancellationToken)
    {
        var refs = candidates.Select(c => c.Ref).Distinct(StringComparer.Ordinal).ToList();
        var applied = (await db.HealthStatusChanges.AsNoTracking()
            .Where(c => c.SourceSystem == system && refs.Contains(c.UpstreamRef!))
            .Select(c => c.UpstreamRef!)
            .ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var keys = candidates.Select(c => c.PersonKey).Distinct().ToList();
        var persons = await db.Persons.Where(p => keys.Contains(p.Key)).ToDictionaryAsync(p => p.Key, cancellationToken);
        var lastChange = (await db.HealthStatusChanges.AsNoTracking()
                .Where(c => keys.Contains(c.PersonKey))
                .Select(c => new { c.PersonKey, c.At })
                .ToListAsync(cancellationToken))
            .GroupBy(c => c.PersonKey)
            .ToDictionary(g => g.Key, g => g.Max(c => c.At));

        var now = clock.GetUtcNow();
        var changed = new HashSet<long>();
        foreach (var candidate in candidates.OrderBy(c => c.At).ThenBy(c => c.Index))
        {
            var person = persons[candidate.PersonKey];
            UpstreamOutcome outcome;
            if (!applied.Add(candidate.Ref))
            {
                outcome = UpstreamOutcome.Duplicate;
            }
            else if (lastChange.TryGetValue(person.Key, out var last) && candidate.At < last)
            {
                outcome = UpstreamOutcome.Stale;
            }
            else if (person.Status == candidate.Status)
            {
                outcome = UpstreamOutcome.Unchanged;
            }
            else
            {
                db.HealthStatusChanges.Add(new HealthStatusChange
                {
                    PersonKey = person.Key,
                    From = person.Status,
                    To = candidate.Status,
                    Source = HealthChangeSource.Upstream,
                    SourceSystem = system,
                    UpstreamRef = candidate.Ref,
                    RequestedBy = system,
                    At = candidate.At,
                    RecordedAt = now,
                });
                person.Status = candidate.Status;
                person.UpdatedAt = now;
                lastChange[person.Key] = candidate.At;
                changed.Add(person.Key);
                outcome = UpstreamOutcome.Applied;
            }

            results[candidate.Index] = new(candidate.Index, candidate.Ref, outcome, person.Key);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            lookup.Forget(changed);
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>Row errors of upstream batches.</summary>
public static class UpstreamErrors
{
    public static readonly Error RefRequired = Error.Invalid("health.upstream_ref_required", "upstreamRef",
        $"请填写上游系统的更新编号（不超过 {HealthStatusChange.ReferenceMaxLength} 个字符），用于识别重复推送。");

    public static readonly Error TimeRequired = Error.Invalid("health.time_required", "at", "请填写上游系统中状态生效的时间。");

    /// <summary>A future time would make every real update before it count as stale.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    public static readonly Error TimeInFuture = Error.Invalid("health.time_in_future", "at",
        "状态生效时间晚于服务器当前时间 5 分钟以上，请检查上游系统的时间。");

    public static readonly Error PersonRequired = Error.Invalid("health.person_required", "idNumber",
        "每条更新须且只能填写身份证号或人员编号其中之一。");

    public static readonly Error Concurrent = Error.Conflict("health.upstream_concurrent", "批次冲突",
        "同一批更新正被另一请求同时提交，本批未写入。请稍后重新提交整批，已生效的更新会标记为重复。");

    public static readonly Error UnknownPerson = Error.Invalid("health.unknown_person", "idNumber",
        "该身份证号未在人口登记中登记。请先登记该人员，再重新推送本条更新。");

    public static readonly Error UnknownPersonKey = Error.Invalid("health.unknown_person_key", "personKey",
        "该人员编号不存在：人口登记中没有这个编号。请核对人员编号，或改用身份证号推送。");
}
