using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>
/// Workload of one grid for a period. <see cref="OverloadScore"/> is estimated hours over the
/// hours its assigned workers have in the period. It is null when no worker is assigned, and such a
/// grid with work ranks first.
/// </summary>
public sealed record GridWorkload(
    string GridCode,
    string GridName,
    string GridPath,
    int Workers,
    int OpenTasks,
    int OpenCases,
    int VisitsDone,
    int VisitsMissed,
    double EstimatedHours,
    double AvailableHours,
    double? OverloadScore);

/// <summary>Workload of one worker for a period, over the tasks assigned to them and the open cases of their current grids.</summary>
public sealed record WorkerWorkload(
    Guid UserId,
    string UserName,
    IReadOnlyList<string> GridCodes,
    int OpenTasks,
    int OpenCases,
    int VisitsDone,
    int VisitsMissed,
    double EstimatedHours,
    double AvailableHours,
    double? OverloadScore);

/// <summary>
/// Workload figures per grid and per worker. Estimated hours = Σ tasks of the period (open, done or
/// missed) × the duty's minutes per task / 60 + open cases in the grid × <see cref="WorkloadOptions.HoursPerOpenCase"/>.
/// Available hours = Σ over assignments overlapping the period of weekly hours (full-time or
/// part-time) × overlapping days / 7. Open cases are counted now, not as of the period.
/// </summary>
public sealed class WorkloadService(ShanzhiDbContext db, IOptions<GridOptions> options)
{
    public const int MaxPeriodDays = 366;

    public static bool MayView(StaffPrincipal viewer) =>
        viewer.IsInAnyRole(Roles.Leader, Roles.CommandOperator, Roles.SystemAdmin);

    /// <summary>Grids under <paramref name="scopePath"/>, most overloaded first.</summary>
    public async Task<Result<IReadOnlyList<GridWorkload>>> RankGridsAsync(StaffPrincipal viewer, string scopePath, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        if (!MayView(viewer))
        {
            return GridErrors.Forbidden;
        }

        if (from > to || to.DayNumber - from.DayNumber >= MaxPeriodDays)
        {
            return GridErrors.InvalidPeriod;
        }

        var scope = string.IsNullOrWhiteSpace(scopePath) ? viewer.ScopePath : scopePath.Trim();
        if (!viewer.CanSee(scope))
        {
            return GridErrors.RegionNotFound(scope.TrimEnd('/').Split('/')[^1]);
        }

        var grids = await db.Regions.AsNoTracking()
            .Where(r => r.Level == RegionLevel.Grid && r.Path.StartsWith(scope))
            .Select(r => new { r.Code, r.Name, r.Path })
            .ToListAsync(cancellationToken);
        var figures = await FiguresAsync(scope, from, to, cancellationToken);
        var ranked = grids
            .Select(g => ToWorkload(g.Code, g.Name, g.Path, figures))
            .OrderByDescending(w => w.OverloadScore is null && w.EstimatedHours > 0)
            .ThenByDescending(w => w.OverloadScore ?? 0)
            .ThenByDescending(w => w.EstimatedHours)
            .ThenBy(w => w.GridCode, StringComparer.Ordinal)
            .ToList();
        return ranked;
    }

    /// <summary>
    /// Grids under the region with <paramref name="regionCode"/>, most overloaded first; a null or
    /// blank code means the viewer's own scope. An unknown code and a region outside the viewer's
    /// scope are both <c>region.not_found</c>, so the response does not reveal which regions exist.
    /// </summary>
    public async Task<Result<IReadOnlyList<GridWorkload>>> RankGridsInRegionAsync(StaffPrincipal viewer, string? regionCode, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        if (!MayView(viewer))
        {
            return GridErrors.Forbidden;
        }

        if (string.IsNullOrWhiteSpace(regionCode))
        {
            return await RankGridsAsync(viewer, viewer.ScopePath, from, to, cancellationToken);
        }

        var code = regionCode.Trim();
        var path = await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
        return path is null
            ? GridErrors.RegionNotFound(code)
            : await RankGridsAsync(viewer, path, from, to, cancellationToken);
    }

    public async Task<Result<GridWorkload>> GridAsync(StaffPrincipal viewer, string gridCode, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (from > to || to.DayNumber - from.DayNumber >= MaxPeriodDays)
        {
            return GridErrors.InvalidPeriod;
        }

        if (await GridRegions.FindAsync(db, gridCode, viewer, cancellationToken) is not { } grid
            || (!MayView(viewer) && !(await GridRegions.CurrentGridsOfAsync(db, viewer.UserId, cancellationToken)).Contains(grid.Code)))
        {
            return GridErrors.GridNotFound;
        }

        return ToWorkload(grid.Code, grid.Name, grid.Path, await FiguresAsync(grid.Path, from, to, cancellationToken));
    }

    /// <summary>A worker's own figures; the worker themself or a viewer whose scope covers one of the worker's grids.</summary>
    public async Task<Result<WorkerWorkload>> WorkerAsync(StaffPrincipal viewer, Guid userId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (from > to || to.DayNumber - from.DayNumber >= MaxPeriodDays)
        {
            return GridErrors.InvalidPeriod;
        }

        var self = viewer.UserId == userId;
        if (!self && !MayView(viewer))
        {
            return GridErrors.Forbidden;
        }

        // A worker outside the viewer's scope gets the error of a missing one, so that user ids cannot be probed.
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return GridErrors.WorkerNotFound;
        }

        var assignments = await db.GridAssignments.AsNoTracking().Where(a => a.UserId == userId).ToListAsync(cancellationToken);
        var current = assignments.Where(a => a.IsCurrent).ToList();
        if (!self && !current.Any(a => viewer.CanSee(a.GridPath)))
        {
            return GridErrors.WorkerNotFound;
        }

        var periodStart = GridClock.StartOf(from);
        var periodEnd = GridClock.StartOf(to.AddDays(1));
        var tasks = await (from t in db.PatrolTasks.AsNoTracking()
                           join d in db.DutyKinds on t.DutyCode equals d.Code
                           where t.AssigneeId == userId && t.Day >= @from && t.Day <= to
                               && t.State != PatrolTaskState.Cancelled && t.State != PatrolTaskState.HandedOver
                           select new { t.State, d.MinutesPerTask }).ToListAsync(cancellationToken);
        var gridPaths = current.Select(a => a.GridPath).ToList();
        var openCases = 0;
        foreach (var path in gridPaths)
        {
            openCases += await OpenCases(path).CountAsync(cancellationToken);
        }

        var settings = options.Value.Workload;
        var estimated = tasks.Sum(t => t.MinutesPerTask) / 60.0 + openCases * settings.HoursPerOpenCase;
        var available = WorkerAvailableHours(assignments, periodStart, periodEnd);
        return new WorkerWorkload(userId, name, [.. current.Select(a => a.GridCode)],
            tasks.Count(t => t.State == PatrolTaskState.Open),
            openCases,
            tasks.Count(t => t.State == PatrolTaskState.Done),
            tasks.Count(t => t.State == PatrolTaskState.Missed),
            Math.Round(estimated, 2),
            Math.Round(available, 2),
            available > 0 ? Math.Round(estimated / available, 3) : null);
    }

    private sealed record Figures(
        Dictionary<(string Grid, PatrolTaskState State), (int Count, int Minutes)> Tasks,
        Dictionary<string, int> OpenCases,
        List<GridAssignment> Assignments,
        DateTimeOffset PeriodStart,
        DateTimeOffset PeriodEnd);

    private async Task<Figures> FiguresAsync(string scope, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var tasks = await (from t in db.PatrolTasks.AsNoTracking()
                           join d in db.DutyKinds on t.DutyCode equals d.Code
                           where t.GridPath.StartsWith(scope) && t.Day >= @from && t.Day <= to
                               && t.State != PatrolTaskState.Cancelled && t.State != PatrolTaskState.HandedOver
                           group d.MinutesPerTask by new { t.GridCode, t.State } into g
                           select new { g.Key.GridCode, g.Key.State, Count = g.Count(), Minutes = g.Sum() })
            .ToListAsync(cancellationToken);
        var cases = await OpenCases(scope)
            .GroupBy(c => c.RegionCode)
            .Select(g => new { Grid = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var periodStart = GridClock.StartOf(from);
        var periodEnd = GridClock.StartOf(to.AddDays(1));
        var assignments = await db.GridAssignments.AsNoTracking()
            .Where(a => a.GridPath.StartsWith(scope) && a.ValidFrom < periodEnd && (a.ValidTo == null || a.ValidTo > periodStart))
            .ToListAsync(cancellationToken);
        return new Figures(
            tasks.ToDictionary(t => (t.GridCode, t.State), t => (t.Count, t.Minutes)),
            cases.ToDictionary(c => c.Grid, c => c.Count),
            assignments,
            periodStart,
            periodEnd);
    }

    private IQueryable<Case> OpenCases(string scope) =>
        db.Cases.AsNoTracking().Where(c => c.RegionPath.StartsWith(scope)
            && c.State != CaseState.Closed && c.State != CaseState.Rejected && c.State != CaseState.Merged);

    private GridWorkload ToWorkload(string code, string name, string path, Figures figures)
    {
        (int Count, int Minutes) Tasks(PatrolTaskState state) => figures.Tasks.GetValueOrDefault((code, state));

        var settings = options.Value.Workload;
        var openCases = figures.OpenCases.GetValueOrDefault(code);
        var minutes = Tasks(PatrolTaskState.Open).Minutes + Tasks(PatrolTaskState.Done).Minutes + Tasks(PatrolTaskState.Missed).Minutes;
        var estimated = minutes / 60.0 + openCases * settings.HoursPerOpenCase;
        var assignments = figures.Assignments.Where(a => a.GridCode == code).ToList();
        var available = assignments.Sum(a => AvailableHours(a, figures.PeriodStart, figures.PeriodEnd));
        return new GridWorkload(code, name, path,
            assignments.Select(a => a.UserId).Distinct().Count(),
            Tasks(PatrolTaskState.Open).Count,
            openCases,
            Tasks(PatrolTaskState.Done).Count,
            Tasks(PatrolTaskState.Missed).Count,
            Math.Round(estimated, 2),
            Math.Round(available, 2),
            available > 0 ? Math.Round(estimated / available, 3) : null);
    }

    /// <summary>A worker's hours count once however many grids they serve: the union of their assignments' periods.</summary>
    private double WorkerAvailableHours(List<GridAssignment> assignments, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var covered = TimeSpan.Zero;
        var reached = periodStart;
        foreach (var a in assignments.OrderBy(a => a.ValidFrom))
        {
            var start = a.ValidFrom > reached ? a.ValidFrom : reached;
            var end = a.ValidTo is { } validTo && validTo < periodEnd ? validTo : periodEnd;
            if (end > start)
            {
                covered += end - start;
                reached = end;
            }
        }

        var settings = options.Value.Workload;
        var weekly = assignments.Any(a => a.Employment == Employment.FullTime) ? settings.FullTimeHoursPerWeek : settings.PartTimeHoursPerWeek;
        return weekly * covered.TotalDays / 7;
    }

    private double AvailableHours(GridAssignment assignment, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var start = assignment.ValidFrom > periodStart ? assignment.ValidFrom : periodStart;
        var end = assignment.ValidTo is { } validTo && validTo < periodEnd ? validTo : periodEnd;
        if (end <= start)
        {
            return 0;
        }

        var settings = options.Value.Workload;
        var weekly = assignment.Employment == Employment.FullTime ? settings.FullTimeHoursPerWeek : settings.PartTimeHoursPerWeek;
        return weekly * (end - start).TotalDays / 7;
    }
}
