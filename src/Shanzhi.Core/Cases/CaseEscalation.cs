using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using static System.FormattableString;

namespace Shanzhi.Cases;

/// <summary>
/// 督办: records one Escalated event on every open case past its current deadline, with the
/// command centre as the supervising unit. Suspended cases are skipped (the hang-up list has no
/// clock), and a case is escalated once. Each escalation is audited as a transition by 系统, in the
/// transaction that stores it.
/// </summary>
public sealed class CaseEscalation(
    ShanzhiDbContext db,
    WorkingCalendarCache calendars,
    IOptions<CaseOptions> options,
    IAuditLog audit,
    ILogger<CaseEscalation> logger)
{
    /// <summary>Escalates up to the configured batch of overdue cases, most overdue first, and returns how many it escalated.</summary>
    public async Task<int> EscalateOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        now = now.ToUniversalTime();
        var overdue = await db.Cases.AsNoTracking()
            .Where(c => c.Deadline != null && c.Deadline < now && c.EscalatedAt == null
                && c.State != CaseState.Closed && c.State != CaseState.Rejected && c.State != CaseState.Merged
                && c.State != CaseState.Suspended)
            .OrderBy(c => c.Deadline)
            .Select(c => c.Id)
            .Take(options.Value.Escalation.BatchSize)
            .ToListAsync(cancellationToken);
        if (overdue.Count == 0)
        {
            return 0;
        }

        var supervisor = await CommandCentreAsync(cancellationToken);
        var calendar = await calendars.GetAsync(db, cancellationToken);
        var escalated = 0;
        foreach (var id in overdue)
        {
            var @case = await db.Cases.FirstAsync(c => c.Id == id, cancellationToken);
            var late = calendar.WorkingTimeBetween(@case.Deadline!.Value, now);
            var reason = $"“{CaseStates.ChineseName(@case.State)}”环节已超期{Describe(late)}，由指挥中心督办。";

            // A case acted on since the query ran is skipped, and the next run looks at it again.
            var record = new CaseAudit(audit, new AuditEntry(AuditAction.CaseTransition, Actor.System.Id, Actor.System.Name, "case",
                @case.Id.ToString("D", CultureInfo.InvariantCulture), Detail: $"{@case.CaseNo} Escalate: {@case.State} -> {@case.State}"));
            if (@case.Escalate(supervisor, reason, now) is null && await db.SaveCaseAsync(@case, record, cancellationToken) is null)
            {
                escalated++;
                logger.CaseEscalated(@case.CaseNo, late, supervisor);
            }

            db.ChangeTracker.Clear();
        }

        return escalated;
    }

    private async Task<Guid?> CommandCentreAsync(CancellationToken cancellationToken)
    {
        var id = await db.Units
            .Where(u => u.Kind == UnitKind.CommandCentre && u.IsActive)
            .OrderBy(u => u.RegionCode.Length)
            .ThenBy(u => u.Name)
            .Select(u => (Guid?)u.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (id is null)
        {
            logger.NoCommandCentre();
        }

        return id;
    }

    /// <summary>Formats the overdue working time. A deadline passed after office hours can be late by less than a minute of working time.</summary>
    private static string Describe(TimeSpan late) =>
        late >= TimeSpan.FromHours(1) ? Invariant($" {late.TotalHours:0.#} 个工作时")
        : late >= TimeSpan.FromMinutes(1) ? Invariant($" {(int)late.TotalMinutes} 分钟（工作时间）")
        : "（已过期限，尚不足 1 分钟工作时间）";
}
