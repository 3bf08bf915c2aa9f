using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

public sealed record RequestDutyChange(string DutyCode, DutyChangeKind Kind, string RegionCode, string Reason);

public sealed record DutyKindView(string Code, string Name, string Summary, string ResponsibleUnitName, int MinutesPerTask, int SubsidyPoints,
    bool IsKeyPersonVisit);

public sealed record DutyChangeView(Guid Id, string DutyCode, string DutyName, DutyChangeKind Kind, string KindName, string RegionPath,
    string Reason, Guid? RequestedBy, DateTimeOffset RequestedAt, DutyChangeStatus Status, string StatusName, Guid? DecidedBy,
    DateTimeOffset? DecidedAt, string? DecisionNote, int HandedOverTasks);

public sealed record GridDutyView(string DutyCode, string DutyName, string RegionPath, DateTimeOffset AdmittedAt, DateTimeOffset? WithdrawnAt);

/// <summary>
/// The duty catalogue (事项准入清单) and its changes. A duty reaches grids only through an approved
/// admission and leaves them only through an approved withdrawal; the requester never approves
/// their own request. A withdrawal cancels the duty's open tasks under the region and hands each
/// one to the duty's responsible unit as a dispatched case.
/// </summary>
public sealed class DutyService(ShanzhiDbContext db, CaseService cases, TimeProvider clock, ILogger<DutyService> logger)
{
    public static bool MayRequest(StaffPrincipal user) => user.IsInAnyRole(Roles.CommandOperator, Roles.SystemAdmin, Roles.Leader);

    public static bool MayApprove(StaffPrincipal user) => user.IsInAnyRole(Roles.Leader, Roles.SystemAdmin);

    public static string KindName(DutyChangeKind kind) => kind == DutyChangeKind.Admit ? "准入" : "退出";

    public static string StatusName(DutyChangeStatus status) => status switch
    {
        DutyChangeStatus.Pending => "待审批",
        DutyChangeStatus.Approved => "已批准",
        _ => "已驳回",
    };

    public async Task<IReadOnlyList<DutyKindView>> KindsAsync(CancellationToken cancellationToken) =>
        await db.DutyKinds.AsNoTracking().OrderBy(d => d.Code)
            .Select(d => new DutyKindView(d.Code, d.Name, d.Summary, d.ResponsibleUnitName, d.MinutesPerTask, d.SubsidyPoints, d.IsKeyPersonVisit))
            .ToListAsync(cancellationToken);

    /// <summary>Duties in effect in a grid: admissions on the grid or any region above it that are not withdrawn.</summary>
    public async Task<Result<IReadOnlyList<GridDutyView>>> InEffectAsync(string gridCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await GridRegions.FindAsync(db, gridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var rows = await (from g in db.GridDuties.AsNoTracking()
                          join d in db.DutyKinds on g.DutyCode equals d.Code
                          where g.WithdrawnAt == null
                          orderby g.DutyCode
                          select new GridDutyView(g.DutyCode, d.Name, g.RegionPath, g.AdmittedAt, g.WithdrawnAt))
            .ToListAsync(cancellationToken);
        return rows.Where(r => grid.Path.StartsWith(r.RegionPath, StringComparison.Ordinal)).ToList();
    }

    public static async Task<bool> IsInEffectAsync(ShanzhiDbContext db, string dutyCode, string gridPath, CancellationToken cancellationToken)
    {
        var paths = await db.GridDuties.Where(g => g.DutyCode == dutyCode && g.WithdrawnAt == null).Select(g => g.RegionPath).ToListAsync(cancellationToken);
        return paths.Any(p => gridPath.StartsWith(p, StringComparison.Ordinal));
    }

    public async Task<Result<DutyChangeView>> RequestAsync(RequestDutyChange request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayRequest(user))
        {
            return GridErrors.Forbidden;
        }

        var duty = await db.DutyKinds.AsNoTracking().FirstOrDefaultAsync(d => d.Code == request.DutyCode, cancellationToken);
        if (duty is null)
        {
            return GridErrors.DutyNotFound;
        }

        var code = request.RegionCode?.Trim() ?? "";
        var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code, cancellationToken);
        if (region is null || !user.CanSee(region.Path) || region.Level is RegionLevel.External or RegionLevel.MicroGrid)
        {
            return GridErrors.GridNotFound;
        }

        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > DutyChange.ReasonMaxLength)
        {
            return GridErrors.DutyReasonRequired;
        }

        if (await db.DutyChanges.AnyAsync(c => c.DutyCode == duty.Code && c.RegionPath == region.Path && c.Status == DutyChangeStatus.Pending,
                cancellationToken))
        {
            return GridErrors.DutyChangePending;
        }

        if (await CheckApplicableAsync(duty.Code, request.Kind, region.Path, cancellationToken) is { } notApplicable)
        {
            return notApplicable;
        }

        var change = new DutyChange
        {
            DutyCode = duty.Code,
            Kind = request.Kind,
            RegionPath = region.Path,
            Reason = reason,
            RequestedBy = user.UserId,
            RequestedAt = clock.GetUtcNow(),
        };
        db.DutyChanges.Add(change);
        await db.SaveChangesAsync(cancellationToken);
        return ToView(change, duty.Name);
    }

    /// <summary>Approves or rejects a pending change. Approval applies it: an admission starts, a withdrawal ends the duty and hands over its open tasks.</summary>
    public async Task<Result<DutyChangeView>> DecideAsync(Guid changeId, bool approve, string? note, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayApprove(user))
        {
            return GridErrors.ApproverRole;
        }

        var change = await db.DutyChanges.FirstOrDefaultAsync(c => c.Id == changeId, cancellationToken);
        if (change is null || !user.CanSee(change.RegionPath))
        {
            return GridErrors.DutyChangeNotFound;
        }

        if (change.Status != DutyChangeStatus.Pending)
        {
            return GridErrors.DutyChangeDecided;
        }

        if (change.RequestedBy is { } requester && requester == user.UserId)
        {
            return GridErrors.SelfApproval;
        }

        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (trimmed is { Length: > DutyChange.ReasonMaxLength })
        {
            return GridErrors.DutyReasonRequired;
        }

        var duty = await db.DutyKinds.AsNoTracking().FirstAsync(d => d.Code == change.DutyCode, cancellationToken);
        if (approve && await CheckApplicableAsync(change.DutyCode, change.Kind, change.RegionPath, cancellationToken) is { } stale)
        {
            return stale;
        }

        var now = clock.GetUtcNow();
        change.Decide(approve, user.UserId, now, trimmed);
        if (approve && change.Kind == DutyChangeKind.Admit)
        {
            db.GridDuties.Add(new GridDuty { DutyCode = change.DutyCode, RegionPath = change.RegionPath, AdmittedAt = now, AdmissionId = change.Id });
        }
        else if (approve)
        {
            foreach (var admitted in await db.GridDuties
                         .Where(g => g.DutyCode == change.DutyCode && g.WithdrawnAt == null && g.RegionPath.StartsWith(change.RegionPath))
                         .ToListAsync(cancellationToken))
            {
                admitted.Withdraw(change.Id, now);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        if (approve && change.Kind == DutyChangeKind.Withdraw)
        {
            var handedOver = await HandOverOpenTasksAsync(change, duty, cancellationToken);

            // The case engine clears the shared change tracker when an action fails, so load the change again.
            change = await db.DutyChanges.FirstAsync(c => c.Id == changeId, cancellationToken);
            change.HandedOverTasks = handedOver;
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.DutyChangeDecided(change.Id, change.Kind, change.DutyCode, change.Status, change.HandedOverTasks);
        return ToView(change, duty.Name);
    }

    public async Task<IReadOnlyList<DutyChangeView>> ChangesAsync(StaffPrincipal user, DutyChangeStatus? status, CancellationToken cancellationToken)
    {
        var changes = db.DutyChanges.AsNoTracking();
        if (status is { } wanted)
        {
            changes = changes.Where(c => c.Status == wanted);
        }

        var rows = await (from c in changes
                          join d in db.DutyKinds on c.DutyCode equals d.Code
                          orderby c.RequestedAt descending
                          select new { c, d.Name }).Take(500).ToListAsync(cancellationToken);

        // A change is visible to users whose scope covers its region and to users inside that region,
        // so a grid worker can look up why a city-wide duty left their grid.
        return rows.Where(r => user.CanSee(r.c.RegionPath) || user.ScopePath.StartsWith(r.c.RegionPath, StringComparison.Ordinal))
            .Select(r => ToView(r.c, r.Name)).ToList();
    }

    private async Task<Error?> CheckApplicableAsync(string dutyCode, DutyChangeKind kind, string regionPath, CancellationToken cancellationToken)
    {
        var active = await db.GridDuties.AsNoTracking().Where(g => g.DutyCode == dutyCode && g.WithdrawnAt == null)
            .Select(g => g.RegionPath).ToListAsync(cancellationToken);
        var coveredFromAbove = active.Any(p => regionPath.StartsWith(p, StringComparison.Ordinal));
        if (kind == DutyChangeKind.Admit)
        {
            return coveredFromAbove ? GridErrors.DutyAlreadyAdmitted : null;
        }

        if (active.Any(p => regionPath.StartsWith(p, StringComparison.Ordinal) && p != regionPath))
        {
            return GridErrors.DutyAdmittedWider;
        }

        return active.Any(p => p.StartsWith(regionPath, StringComparison.Ordinal)) ? null : GridErrors.DutyNotAdmitted;
    }

    /// <summary>
    /// Takes the duty's open tasks under the withdrawn region off the grid: reports, files and
    /// dispatches one handed-over case per task to the duty's responsible unit.
    /// </summary>
    private async Task<int> HandOverOpenTasksAsync(DutyChange change, DutyKind duty, CancellationToken cancellationToken)
    {
        var unitId = await db.Units.Where(u => u.Name == duty.ResponsibleUnitName).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(cancellationToken);
        var tasks = await db.PatrolTasks
            .Where(t => t.DutyCode == duty.Code && t.State == PatrolTaskState.Open && t.GridPath.StartsWith(change.RegionPath))
            .ToListAsync(cancellationToken);
        var grids = await db.Regions.AsNoTracking().Where(r => tasks.Select(t => t.GridCode).Contains(r.Code))
            .ToDictionaryAsync(r => r.Code, cancellationToken);
        var now = clock.GetUtcNow();
        var handedOver = 0;
        foreach (var task in tasks)
        {
            var grid = grids[task.GridCode];
            var (latitude, longitude) = PointIn(grid);
            var report = new ReportCaseRequest(
                $"网格事项退出移交：{duty.Name}（{grid.Name}）",
                $"事项“{duty.Name}”已退出网格，{task.Day:yyyy-MM-dd} 未完成的巡查走访任务移交{duty.ResponsibleUnitName}办理。",
                latitude,
                longitude,
                GridCatalogSeeder.HandedOverDutyCategory,
                Channel: CaseChannel.System,
                ExternalRef: "grid-task:" + task.Id.ToString("N"));
            var reported = await cases.ReportAsync(report, StaffPrincipal.System, cancellationToken);
            if (reported.Value is not { } @case)
            {
                // A grid without a boundary or centre cannot locate a case. The task is cancelled anyway, so no missed-visit alert follows.
                var untracked = await db.PatrolTasks.FirstAsync(t => t.Id == task.Id, cancellationToken);
                untracked.Cancel(now);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var filed = await cases.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), StaffPrincipal.System, cancellationToken);
            if (filed.IsSuccess && unitId is { } unit)
            {
                await cases.ActAsync(@case.Id, new CaseActionRequest(CaseAction.Dispatch, UnitId: unit), StaffPrincipal.System, cancellationToken);
            }

            var tracked = await db.PatrolTasks.FirstAsync(t => t.Id == task.Id, cancellationToken);
            tracked.HandOver(@case.Id, now);
            await db.SaveChangesAsync(cancellationToken);
            handedOver++;
        }

        return handedOver;
    }

    /// <summary>The grid's centre, or a point inside its boundary when no centre is stored.</summary>
    private static (double Latitude, double Longitude) PointIn(Region grid)
    {
        if (grid is { CenterLatitude: { } latitude, CenterLongitude: { } longitude })
        {
            return (latitude, longitude);
        }

        if (grid.Boundary is null)
        {
            return (double.NaN, double.NaN);
        }

        var inside = new NetTopologySuite.IO.WKBReader().Read(grid.Boundary).InteriorPoint;
        return (inside.Y, inside.X);
    }

    private static DutyChangeView ToView(DutyChange c, string dutyName) => new(c.Id, c.DutyCode, dutyName, c.Kind, KindName(c.Kind), c.RegionPath,
        c.Reason, c.RequestedBy, c.RequestedAt, c.Status, StatusName(c.Status), c.DecidedBy, c.DecidedAt, c.DecisionNote, c.HandedOverTasks);
}
