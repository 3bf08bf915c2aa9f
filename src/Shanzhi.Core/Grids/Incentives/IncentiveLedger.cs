using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

public sealed record IncentiveEntryView(Guid Id, IncentiveReason Reason, string ReasonName, int Points, Guid? CaseId, string Note, DateTimeOffset At);

/// <summary>
/// The points ledger of grid workers and micro-grid volunteers. Report points are credited only
/// when a report is filed or closed, never for sending it. They are withheld when the reporter
/// filed, verified or closed the case themselves, when the report duplicates one of their own
/// credited reports, and beyond the daily cap. Each (reason, source) is credited once.
/// </summary>
public sealed class IncentiveLedger(
    ShanzhiDbContext db,
    TimeProvider clock,
    IOptions<GridOptions> options,
    IOptions<CaseOptions> caseOptions,
    ILogger<IncentiveLedger> logger)
{
    public static string ReasonName(IncentiveReason reason) => reason switch
    {
        IncentiveReason.ReportFiled => "上报信息立案",
        IncentiveReason.ReportClosed => "上报信息结案",
        IncentiveReason.TaskSubsidy => "专项任务补贴",
        IncentiveReason.Redemption => "积分兑换",
        IncentiveReason.Reversal => "积分冲正",
        _ => reason.ToString(),
    };

    /// <summary>Current balance; 0 for an unknown or malformed user id.</summary>
    public async Task<int> BalanceAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id) ? await BalanceAsync(id, cancellationToken) : 0;

    /// <summary>The user's ledger, newest first.</summary>
    public async Task<IReadOnlyList<IncentiveEntryView>> EntriesAsync(string userId, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var id))
        {
            return [];
        }

        var entries = await db.IncentiveEntries.AsNoTracking().Where(e => e.UserId == id)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(500).ToListAsync(cancellationToken);
        return entries.Select(e => new IncentiveEntryView(e.Id, e.Reason, ReasonName(e.Reason), e.Points, e.CaseId, e.Note, e.At)).ToList();
    }

    /// <summary>
    /// Debits points for a reward. The user redeems their own points, or a command-centre operator
    /// or system administrator records it for them; the balance may not go below zero.
    /// </summary>
    public async Task<Result<IncentiveEntryView>> RedeemAsync(Guid userId, int points, string item, StaffPrincipal by, CancellationToken cancellationToken)
    {
        if (by.UserId != userId && !by.IsInAnyRole(Roles.CommandOperator, Roles.SystemAdmin))
        {
            return GridErrors.Forbidden;
        }

        if (points <= 0)
        {
            return GridErrors.RedemptionPointsInvalid;
        }

        var note = item?.Trim() ?? "";
        if (note.Length is 0 or > IncentiveEntry.NoteMaxLength)
        {
            return GridErrors.RedemptionItemRequired;
        }

        // The balance check and the debit share one serializable transaction, so two concurrent
        // redemptions cannot both spend the same points. PostgreSQL aborts the second one, which is reported as a conflict.
        await using var transaction = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
        var balance = await BalanceAsync(userId, cancellationToken);
        if (balance < points)
        {
            return GridErrors.InsufficientPoints(balance);
        }

        var now = clock.GetUtcNow();
        var entry = new IncentiveEntry
        {
            UserId = userId,
            Reason = IncentiveReason.Redemption,
            SourceKey = Guid.CreateVersion7(now).ToString("N"),
            Points = -points,
            Note = note,
            At = now,
            Day = GridClock.DayOf(now),
        };
        db.IncentiveEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (StoreExceptions.IsSerializationFailure(e))
        {
            db.ChangeTracker.Clear();
            logger.RedemptionConflict(userId);
            return GridErrors.ConcurrentRedemption;
        }

        return new IncentiveEntryView(entry.Id, entry.Reason, ReasonName(entry.Reason), entry.Points, null, entry.Note, entry.At);
    }

    /// <summary>Credits the reporter of a case that was just filed or closed, unless a rule withholds the points.</summary>
    public async Task CreditReportAsync(Case @case, IncentiveReason reason, StaffPrincipal actor, CancellationToken cancellationToken)
    {
        if (@case.ReporterId is not { } reporter || reason is not (IncentiveReason.ReportFiled or IncentiveReason.ReportClosed))
        {
            return;
        }

        var rules = options.Value.Incentives;
        var withheld = await WithholdReasonAsync(@case, reporter, reason, actor, cancellationToken);
        if (withheld is not null)
        {
            logger.PointsWithheld(reason, @case.CaseNo, withheld);
            return;
        }

        var points = reason == IncentiveReason.ReportFiled ? rules.PointsForFiledReport : rules.PointsForClosedReport;
        var now = clock.GetUtcNow();
        var today = GridClock.DayOf(now);
        var earnedToday = await db.IncentiveEntries
            .Where(e => e.UserId == reporter && e.Day == today && (e.Reason == IncentiveReason.ReportFiled || e.Reason == IncentiveReason.ReportClosed))
            .SumAsync(e => e.Points, cancellationToken);
        points = Math.Min(points, rules.DailyReportPointsCap - earnedToday);
        if (points <= 0)
        {
            logger.PointsWithheld(reason, @case.CaseNo, "daily cap reached");
            return;
        }

        await AddAsync(new IncentiveEntry
        {
            UserId = reporter,
            Reason = reason,
            SourceKey = @case.Id.ToString("N"),
            Points = points,
            CaseId = @case.Id,
            Note = $"案件 {@case.CaseNo}",
            At = now,
            Day = today,
        }, cancellationToken);
    }

    /// <summary>Takes back the filing points of a report later merged into another case as a duplicate.</summary>
    public async Task ReverseFilingAsync(Case @case, CancellationToken cancellationToken)
    {
        var source = @case.Id.ToString("N");
        var credited = await db.IncentiveEntries.AsNoTracking()
            .FirstOrDefaultAsync(e => e.Reason == IncentiveReason.ReportFiled && e.SourceKey == source, cancellationToken);
        if (credited is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await AddAsync(new IncentiveEntry
        {
            UserId = credited.UserId,
            Reason = IncentiveReason.Reversal,
            SourceKey = source,
            Points = -credited.Points,
            CaseId = @case.Id,
            Note = $"案件 {@case.CaseNo} 被合并为重复上报",
            At = now,
            Day = GridClock.DayOf(now),
        }, cancellationToken);
    }

    /// <summary>Credits the duty's subsidy for a completed special task to the worker who visited.</summary>
    public async Task CreditTaskSubsidyAsync(PatrolTask task, Guid userId, CancellationToken cancellationToken)
    {
        var subsidy = await db.DutyKinds.Where(d => d.Code == task.DutyCode).Select(d => new { d.SubsidyPoints, d.Name }).FirstAsync(cancellationToken);
        if (subsidy.SubsidyPoints <= 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        await AddAsync(new IncentiveEntry
        {
            UserId = userId,
            Reason = IncentiveReason.TaskSubsidy,
            SourceKey = task.Id.ToString("N"),
            Points = subsidy.SubsidyPoints,
            Note = string.Create(CultureInfo.InvariantCulture, $"{subsidy.Name} {task.Day:yyyy-MM-dd}"),
            At = now,
            Day = GridClock.DayOf(now),
        }, cancellationToken);
    }

    private async Task<int> BalanceAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.IncentiveEntries.Where(e => e.UserId == userId).SumAsync(e => e.Points, cancellationToken);

    /// <summary>Why no points are due, in English for the log, or null when they are.</summary>
    private async Task<string?> WithholdReasonAsync(Case @case, Guid reporter, IncentiveReason reason, StaffPrincipal actor,
        CancellationToken cancellationToken)
    {
        var earningRoles = options.Value.Incentives.EarningRoles;
        var earns = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == reporter && earningRoles.Contains(r.Name!)
                           select ur).AnyAsync(cancellationToken);
        if (!earns)
        {
            return "reporter's roles earn no points";
        }

        // Self-verification: the reporter may not also be the user who filed, verified or closed the case.
        var selfChecked = actor.UserId == reporter || await db.CaseEvents.AnyAsync(e => e.CaseId == @case.Id && e.ActorId == reporter
            && (e.Type == CaseEventType.Filed || e.Type == CaseEventType.VerificationPassed || e.Type == CaseEventType.Closed), cancellationToken);
        if (selfChecked)
        {
            return reason == IncentiveReason.ReportFiled ? "reporter filed the case" : "reporter filed, verified or closed the case";
        }

        if (reason == IncentiveReason.ReportClosed
            && await db.IncentiveEntries.AnyAsync(e => e.Reason == IncentiveReason.Reversal && e.SourceKey == @case.Id.ToString("N"), cancellationToken))
        {
            return "report was merged as a duplicate";
        }

        return await IsDuplicateOfCreditedAsync(@case, reporter, cancellationToken) ? "duplicate of the reporter's credited report" : null;
    }

    /// <summary>Another report by the same user, same category, nearby and close in time, that already earned filing points.</summary>
    private async Task<bool> IsDuplicateOfCreditedAsync(Case @case, Guid reporter, CancellationToken cancellationToken)
    {
        var window = caseOptions.Value.Duplicates;
        var earliest = @case.ReportedAt - window.Window;
        var latest = @case.ReportedAt + window.Window;
        var candidates = await (from c in db.Cases.AsNoTracking()
                                join e in db.IncentiveEntries on c.Id equals e.CaseId
                                where c.Id != @case.Id && c.ReporterId == reporter && c.CategoryCode == @case.CategoryCode
                                    && c.ReportedAt >= earliest && c.ReportedAt <= latest && e.Reason == IncentiveReason.ReportFiled
                                select new { c.Latitude, c.Longitude }).ToListAsync(cancellationToken);
        return candidates.Any(c => CaseService.DistanceMeters(@case.Latitude, @case.Longitude, c.Latitude, c.Longitude) <= window.RadiusMeters);
    }

    private async Task AddAsync(IncentiveEntry entry, CancellationToken cancellationToken)
    {
        if (await db.IncentiveEntries.AnyAsync(e => e.Reason == entry.Reason && e.SourceKey == entry.SourceKey, cancellationToken))
        {
            return;
        }

        db.IncentiveEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.PointsCredited(entry.UserId, entry.Points, entry.Reason, entry.SourceKey);
        }
        catch (DbUpdateException)
        {
            // The (reason, source) index: a concurrent call credited the same event first.
            db.Entry(entry).State = EntityState.Detached;
        }
    }
}

/// <summary>Feeds committed case actions to the ledger: filing and closing credit the reporter, merging takes filing points back.</summary>
public sealed class IncentiveCaseObserver(IncentiveLedger ledger) : ICaseObserver
{
    public Task OnActedAsync(Case @case, CaseAction action, StaffPrincipal user, CancellationToken cancellationToken) => action switch
    {
        CaseAction.File => ledger.CreditReportAsync(@case, IncentiveReason.ReportFiled, user, cancellationToken),
        CaseAction.Close => ledger.CreditReportAsync(@case, IncentiveReason.ReportClosed, user, cancellationToken),
        CaseAction.Merge => ledger.ReverseFilingAsync(@case, cancellationToken),
        _ => Task.CompletedTask,
    };
}
