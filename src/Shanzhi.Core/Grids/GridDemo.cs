using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>What <see cref="GridDemo.PrepareWorkerAsync"/> created.</summary>
public sealed record GridDemoWorker(GridAssignment Assignment, PatrolPlan Plan, PatrolTask Task);

/// <summary>
/// Puts a grid worker to work in a grid for demonstrations and browser tests: a responsible
/// assignment (ending the previous one), a daily plan of a duty in effect there, and today's task.
/// It writes directly to the store without role checks, so only seeding and tests call it.
/// </summary>
public static class GridDemo
{
    /// <summary>Sanitation patrol (环境卫生巡查), an ordinary duty admitted city-wide by the seed list.</summary>
    public const string DefaultDuty = "D08";

    public static async Task<GridDemoWorker> PrepareWorkerAsync(ShanzhiDbContext db, TimeProvider clock, Guid userId, string gridCode,
        string dutyCode = DefaultDuty, CancellationToken cancellationToken = default)
    {
        var grid = await db.Regions.AsNoTracking().FirstAsync(r => r.Code == gridCode && r.Level == RegionLevel.Grid, cancellationToken);
        var now = clock.GetUtcNow();
        var today = GridClock.Today(clock);

        foreach (var previous in await db.GridAssignments.Where(a => a.GridCode == gridCode && a.ValidTo == null && (a.IsResponsible || a.UserId == userId))
                     .ToListAsync(cancellationToken))
        {
            previous.End(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        var assignment = new GridAssignment
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            UserId = userId,
            IsResponsible = true,
            Employment = Employment.FullTime,
            ValidFrom = now,
        };
        var duty = await db.DutyKinds.AsNoTracking().FirstAsync(d => d.Code == dutyCode, cancellationToken);
        var plan = new PatrolPlan
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            DutyCode = duty.Code,
            Title = duty.Name + "（每日）",
            Frequency = PatrolFrequency.Daily,
            StartsOn = today,
            AssigneeId = userId,
            CreatedAt = now,
        };
        var task = PatrolTask.For(plan, today, userId);
        db.GridAssignments.Add(assignment);
        db.PatrolPlans.Add(plan);
        db.PatrolTasks.Add(task);
        await db.SaveChangesAsync(cancellationToken);
        return new GridDemoWorker(assignment, plan, task);
    }
}
