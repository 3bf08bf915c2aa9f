using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>Proof of a visit as the worker's phone sends it. <paramref name="PhotoRef"/> is an uploaded attachment's id or key.</summary>
public sealed record VisitProof(double Latitude, double Longitude, string? Notes = null, string? PhotoRef = null);

public sealed record CreatePatrolPlanRequest(
    string GridCode,
    string DutyCode,
    string Title,
    PatrolFrequency Frequency,
    DateOnly StartsOn,
    int IntervalDays = 1,
    DateOnly? EndsOn = null,
    Guid? AssigneeId = null,
    Guid? KeyPersonId = null);

/// <summary>A task as the worker's task list shows it.</summary>
public sealed record PatrolTaskView(
    Guid Id,
    Guid PlanId,
    string Title,
    string GridCode,
    string GridName,
    string DutyCode,
    string DutyName,
    DateOnly Day,
    DateTimeOffset DueAt,
    PatrolTaskState State,
    string StateName,
    Guid? AssigneeId,
    Guid? KeyPersonId);

public sealed record PatrolAlertView(Guid Id, PatrolAlertKind Kind, Guid TaskId, string GridCode, string GridName, string DutyCode, string DutyName,
    Guid? AssigneeId, string? AssigneeName, DateOnly Day, DateTimeOffset RaisedAt, DateTimeOffset? AcknowledgedAt);

/// <summary>
/// Patrol plans, the tasks generated from them, visit proof and missed-visit alerts. A visit is
/// accepted only from the task's assignee (or, for an unassigned task, a worker of the grid), on
/// the task's day, at a position inside the grid boundary or within <see cref="GridOptions.VisitToleranceMeters"/> of it.
/// </summary>
public sealed class PatrolService(
    ShanzhiDbContext db,
    TimeProvider clock,
    IncentiveLedger ledger,
    IOptions<GridOptions> options,
    ILogger<PatrolService> logger)
{
    public static string StateName(PatrolTaskState state) => state switch
    {
        PatrolTaskState.Open => "待走访",
        PatrolTaskState.Done => "已完成",
        PatrolTaskState.Missed => "漏访",
        PatrolTaskState.Cancelled => "已取消",
        PatrolTaskState.HandedOver => "已移交部门",
        _ => state.ToString(),
    };

    public static string FrequencyName(PatrolFrequency frequency, int intervalDays) => frequency switch
    {
        PatrolFrequency.Daily => "每天",
        PatrolFrequency.Weekly => "每周",
        _ => $"每 {intervalDays} 天",
    };

    /// <summary>Creates a plan; the duty must be in effect in the grid. Managers of the grid's region create plans.</summary>
    public async Task<Result<PatrolPlan>> CreatePlanAsync(CreatePatrolPlanRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!GridPeople.MayManage(user))
        {
            return GridErrors.Forbidden;
        }

        if (await GridRegions.FindAsync(db, request.GridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var duty = await db.DutyKinds.AsNoTracking().FirstOrDefaultAsync(d => d.Code == request.DutyCode, cancellationToken);
        if (duty is null)
        {
            return GridErrors.DutyNotFound;
        }

        if (!await DutyService.IsInEffectAsync(db, duty.Code, grid.Path, cancellationToken))
        {
            return GridErrors.DutyNotInEffect;
        }

        var title = request.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            return GridErrors.PlanTitleRequired;
        }

        if (title.Length > PatrolPlan.TitleMaxLength)
        {
            return GridErrors.PlanTitleTooLong(title.Length);
        }

        if (request.EndsOn is { } endsOn && endsOn < request.StartsOn)
        {
            return GridErrors.InvalidPlanPeriod;
        }

        if (request.Frequency == PatrolFrequency.EveryNDays && request.IntervalDays is < 1 or > 366)
        {
            return GridErrors.InvalidFrequency;
        }

        if (request.AssigneeId is { } assignee && !(await GridRegions.CurrentGridsOfAsync(db, assignee, cancellationToken)).Contains(grid.Code))
        {
            return GridErrors.AssigneeNotInGrid;
        }

        if (duty.IsKeyPersonVisit && request.KeyPersonId is null)
        {
            return GridErrors.KeyPersonRequired;
        }

        if (request.KeyPersonId is { } keyPersonId
            && !await db.KeyPersons.AnyAsync(k => k.Id == keyPersonId && k.GridCode == grid.Code && k.RemovedAt == null, cancellationToken))
        {
            return GridErrors.KeyPersonNotFound;
        }

        var plan = new PatrolPlan
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            DutyCode = duty.Code,
            Title = title,
            Frequency = request.Frequency,
            IntervalDays = request.Frequency switch
            {
                PatrolFrequency.Daily => 1,
                PatrolFrequency.Weekly => 7,
                _ => request.IntervalDays,
            },
            StartsOn = request.StartsOn,
            EndsOn = request.EndsOn,
            AssigneeId = request.AssigneeId,
            KeyPersonId = request.KeyPersonId,
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = user.UserId,
        };
        db.PatrolPlans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    /// <summary>The worker's tasks of <paramref name="day"/>: assigned to them, or unassigned in a grid they work in.</summary>
    public async Task<IReadOnlyList<PatrolTaskView>> TasksForAsync(StaffPrincipal worker, DateOnly day, CancellationToken cancellationToken)
    {
        if (worker.UserId is not { } userId)
        {
            return [];
        }

        var grids = await GridRegions.CurrentGridsOfAsync(db, userId, cancellationToken);
        var tasks = db.PatrolTasks.AsNoTracking()
            .Where(t => t.Day == day && (t.AssigneeId == userId || (t.AssigneeId == null && grids.Contains(t.GridCode))));
        return await ViewsAsync(tasks, cancellationToken);
    }

    /// <summary>Tasks of the grids under a region (default: the viewer's scope) in a period, for community and street staff.</summary>
    public async Task<IReadOnlyList<PatrolTaskView>> TasksInAsync(string? regionCode, DateOnly from, DateOnly to, StaffPrincipal viewer,
        CancellationToken cancellationToken)
    {
        var path = string.IsNullOrWhiteSpace(regionCode)
            ? viewer.ScopePath
            : await db.Regions.Where(r => r.Code == regionCode.Trim()).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
        if (path is null || !viewer.CanSee(path))
        {
            return [];
        }

        var tasks = db.PatrolTasks.AsNoTracking().Where(t => t.GridPath.StartsWith(path) && t.Day >= from && t.Day <= to);
        return await ViewsAsync(tasks, cancellationToken);
    }

    /// <summary>
    /// Records proof of a visit and completes the task. Outside the boundary beyond the tolerance
    /// the visit is rejected with <c>visit.outside_grid</c> and nothing is stored.
    /// </summary>
    public async Task<Result<Visit>> RecordVisitAsync(Guid taskId, VisitProof proof, StaffPrincipal worker, CancellationToken cancellationToken)
    {
        if (worker.UserId is not { } userId || !worker.IsInAnyRole(Roles.GridWorker, Roles.MicroGridMember))
        {
            return GridErrors.Forbidden;
        }

        var task = await db.PatrolTasks.FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null || !await MayWorkOnAsync(task, userId, cancellationToken))
        {
            return GridErrors.TaskNotFound;
        }

        if (task.State != PatrolTaskState.Open)
        {
            return GridErrors.TaskNotOpen;
        }

        var now = clock.GetUtcNow();
        if (now < GridClock.StartOf(task.Day) || now > task.DueAt)
        {
            return GridErrors.TaskNotToday;
        }

        if (Validate(proof) is { } invalid)
        {
            return invalid;
        }

        var boundary = await db.Regions.AsNoTracking().Where(r => r.Code == task.GridCode).Select(r => r.Boundary).FirstOrDefaultAsync(cancellationToken);
        var outside = boundary is null ? 0 : GridBoundary.MetersOutside(boundary, proof.Latitude, proof.Longitude);
        var tolerance = options.Value.VisitToleranceMeters;
        if (outside > tolerance)
        {
            logger.VisitOutsideGrid(task.Id, outside);
            return GridErrors.OutsideGrid(outside, tolerance);
        }

        var visit = new Visit
        {
            TaskId = task.Id,
            UserId = userId,
            VisitedAt = now,
            Latitude = proof.Latitude,
            Longitude = proof.Longitude,
            MetersOutside = Math.Round(outside, 1),
            Notes = proof.Notes?.Trim() ?? "",
            PhotoRef = string.IsNullOrWhiteSpace(proof.PhotoRef) ? null : proof.PhotoRef.Trim(),
            RecordedAt = now,
        };
        task.Complete(now);
        db.Visits.Add(visit);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique visit-per-task index: another device recorded the visit first.
            db.ChangeTracker.Clear();
            return GridErrors.TaskNotOpen;
        }

        logger.VisitRecorded(task.Id, userId, outside);
        await ledger.CreditTaskSubsidyAsync(task, userId, cancellationToken);
        return visit;
    }

    /// <summary>Missed-visit alerts of the grids in the viewer's scope, newest first.</summary>
    public async Task<IReadOnlyList<PatrolAlertView>> AlertsAsync(StaffPrincipal viewer, bool openOnly, CancellationToken cancellationToken)
    {
        var alerts = db.PatrolAlerts.AsNoTracking().Where(a => a.GridPath.StartsWith(viewer.ScopePath));
        if (openOnly)
        {
            alerts = alerts.Where(a => a.AcknowledgedAt == null);
        }

        var rows = await (from a in alerts
                          join r in db.Regions on a.GridCode equals r.Code
                          join d in db.DutyKinds on a.DutyCode equals d.Code
                          join u in db.Users on a.AssigneeId equals u.Id into assignees
                          from u in assignees.DefaultIfEmpty()
                          orderby a.RaisedAt descending
                          select new PatrolAlertView(a.Id, a.Kind, a.TaskId, a.GridCode, r.Name, a.DutyCode, d.Name, a.AssigneeId,
                              u == null ? null : u.DisplayName, a.Day, a.RaisedAt, a.AcknowledgedAt))
            .Take(500).ToListAsync(cancellationToken);
        return rows;
    }

    public async Task<Result<PatrolAlertView>> AcknowledgeAlertAsync(Guid alertId, StaffPrincipal viewer, CancellationToken cancellationToken)
    {
        if (!viewer.IsInAnyRole(Roles.CommandOperator, Roles.Leader, Roles.SystemAdmin))
        {
            return GridErrors.Forbidden;
        }

        var alert = await db.PatrolAlerts.FirstOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null || !viewer.CanSee(alert.GridPath))
        {
            return GridErrors.AlertNotFound;
        }

        alert.Acknowledge(viewer.UserId, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return (await AlertsAsync(viewer, openOnly: false, cancellationToken)).First(a => a.Id == alertId);
    }

    private async Task<bool> MayWorkOnAsync(PatrolTask task, Guid userId, CancellationToken cancellationToken) =>
        task.AssigneeId == userId
        || (task.AssigneeId is null
            && await db.GridAssignments.AnyAsync(a => a.UserId == userId && a.GridCode == task.GridCode && a.ValidTo == null, cancellationToken));

    private static Error? Validate(VisitProof proof)
    {
        if (!Wgs84.IsLatitude(proof.Latitude) || !Wgs84.IsLongitude(proof.Longitude))
        {
            return GridErrors.InvalidPosition;
        }

        if (proof.Notes?.Trim() is { Length: > Visit.NotesMaxLength })
        {
            return GridErrors.NotesTooLong;
        }

        return proof.PhotoRef?.Trim() is { Length: > Visit.PhotoRefMaxLength } ? GridErrors.PhotoRefTooLong : null;
    }

    private async Task<IReadOnlyList<PatrolTaskView>> ViewsAsync(IQueryable<PatrolTask> tasks, CancellationToken cancellationToken)
    {
        var rows = await (from t in tasks
                          join p in db.PatrolPlans on t.PlanId equals p.Id
                          join r in db.Regions on t.GridCode equals r.Code
                          join d in db.DutyKinds on t.DutyCode equals d.Code
                          orderby t.Day, t.State, p.Title
                          select new { t, p.Title, GridName = r.Name, DutyName = d.Name })
            .Take(1000)
            .ToListAsync(cancellationToken);
        return rows.Select(x => new PatrolTaskView(x.t.Id, x.t.PlanId, x.Title, x.t.GridCode, x.GridName, x.t.DutyCode, x.DutyName, x.t.Day,
            x.t.DueAt, x.t.State, StateName(x.t.State), x.t.AssigneeId, x.t.KeyPersonId)).ToList();
    }
}
