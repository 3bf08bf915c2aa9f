using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>
/// Turns patrol plans into the day's tasks and closes tasks that passed their due time without a
/// visit. Both steps are idempotent: (plan, day) is unique, and a task is marked missed once, with
/// one alert.
/// </summary>
public sealed class PatrolTaskGenerator(ShanzhiDbContext db, TimeProvider clock, ILogger<PatrolTaskGenerator> logger)
{
    /// <summary>Creates the missing tasks of <paramref name="day"/> for plans due that day whose duty is in effect in the grid.</summary>
    public async Task<int> GenerateAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var plans = await db.PatrolPlans.AsNoTracking()
            .Where(p => p.StartsOn <= day && (p.EndsOn == null || p.EndsOn >= day))
            .ToListAsync(cancellationToken);
        var due = plans.Where(p => p.IsDueOn(day)).ToList();
        if (due.Count == 0)
        {
            return 0;
        }

        var dueIds = due.Select(p => p.Id).ToList();
        var existing = (await db.PatrolTasks.Where(t => t.Day == day && dueIds.Contains(t.PlanId)).Select(t => t.PlanId)
            .ToListAsync(cancellationToken)).ToHashSet();
        var duties = await db.GridDuties.AsNoTracking().Where(d => d.WithdrawnAt == null).ToListAsync(cancellationToken);
        var responsible = await db.GridAssignments.AsNoTracking()
            .Where(a => a.ValidTo == null && a.IsResponsible)
            .ToDictionaryAsync(a => a.GridCode, a => a.UserId, cancellationToken);

        var created = 0;
        foreach (var plan in due.Where(p => !existing.Contains(p.Id)))
        {
            if (!duties.Any(d => d.DutyCode == plan.DutyCode && plan.GridPath.StartsWith(d.RegionPath, StringComparison.Ordinal)))
            {
                continue;
            }

            Guid? assignee = plan.AssigneeId ?? (responsible.TryGetValue(plan.GridCode, out var worker) ? worker : null);
            db.PatrolTasks.Add(PatrolTask.For(plan, day, assignee));
            created++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance generated the same day at the same time; its tasks stand.
            db.ChangeTracker.Clear();
            created = 0;
        }

        logger.TasksGenerated(day, created, due.Count);
        return created;
    }

    /// <summary>Marks open tasks past their due time as missed and raises one alert for each.</summary>
    public async Task<int> MarkMissedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Oldest first, so that a backlog above the batch size is worked off in due order on the next runs.
        var overdue = await db.PatrolTasks.Where(t => t.State == PatrolTaskState.Open && t.DueAt < now)
            .OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(5000).ToListAsync(cancellationToken);
        foreach (var task in overdue)
        {
            task.MarkMissed(now);
            db.PatrolAlerts.Add(new PatrolAlert
            {
                Kind = PatrolAlertKind.MissedVisit,
                TaskId = task.Id,
                GridCode = task.GridCode,
                GridPath = task.GridPath,
                DutyCode = task.DutyCode,
                AssigneeId = task.AssigneeId,
                Day = task.Day,
                RaisedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        if (overdue.Count > 0)
        {
            logger.VisitsMissed(overdue.Count);
        }

        return overdue.Count;
    }

    /// <summary>One run of the job: today's tasks, then missed visits.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await GenerateAsync(GridClock.Today(clock), cancellationToken);
        await MarkMissedAsync(cancellationToken);
    }
}
