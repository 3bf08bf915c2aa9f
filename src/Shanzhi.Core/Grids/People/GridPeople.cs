using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

public sealed record AssignWorkerRequest(string GridCode, Guid UserId, bool IsResponsible, Employment Employment = Employment.FullTime);

public sealed record AssignmentView(Guid Id, string GridCode, Guid UserId, string UserName, bool IsResponsible, Employment Employment,
    DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);

public sealed record CreateMicroGridRequest(string GridCode, string Name, MicroGridKind Kind, int Households = 0);

public sealed record MicroGridView(Guid Id, string GridCode, string Name, MicroGridKind Kind, int Households,
    IReadOnlyList<MicroGridMemberView> Members);

public sealed record MicroGridMemberView(Guid Id, Guid UserId, string UserName, bool IsLeader, DateTimeOffset ValidFrom, DateTimeOffset? ValidTo);

/// <summary>
/// Who works in which grid: grid workers' assignments and micro-grids with their volunteers.
/// Command-centre operators and system administrators maintain them inside their region scope.
/// </summary>
public sealed class GridPeople(ShanzhiDbContext db, TimeProvider clock, ILogger<GridPeople> logger)
{
    public static bool MayManage(StaffPrincipal user) => user.IsInAnyRole(Roles.SystemAdmin, Roles.CommandOperator);

    /// <summary>
    /// Assigns a grid worker. A responsible assignment ends the grid's current responsible one in
    /// the same transaction; the partial unique index turns a concurrent second one into a conflict.
    /// </summary>
    public async Task<Result<AssignmentView>> AssignAsync(AssignWorkerRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GridErrors.Forbidden;
        }

        if (await GridRegions.FindAsync(db, request.GridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var worker = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        if (worker is null)
        {
            return GridErrors.UserNotFound;
        }

        if (!await GridRegions.HasRoleAsync(db, request.UserId, Roles.GridWorker, cancellationToken))
        {
            return GridErrors.NotGridWorker;
        }

        var current = await db.GridAssignments
            .Where(a => a.GridCode == grid.Code && a.ValidTo == null)
            .ToListAsync(cancellationToken);
        var own = current.FirstOrDefault(a => a.UserId == request.UserId);
        if (own is not null && (own.IsResponsible || !request.IsResponsible))
        {
            return GridErrors.AlreadyAssigned;
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ended = 0;
        foreach (var previous in current.Where(a => request.IsResponsible && a.IsResponsible || a.UserId == request.UserId))
        {
            previous.End(now);
            ended++;
        }

        // Ending the old rows first, in their own statement batch, keeps the unique index satisfied at every step.
        await db.SaveChangesAsync(cancellationToken);
        var assignment = new GridAssignment
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            UserId = request.UserId,
            IsResponsible = request.IsResponsible,
            Employment = request.Employment,
            ValidFrom = now,
            AssignedBy = user.UserId,
        };
        db.GridAssignments.Add(assignment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return GridErrors.ResponsibleConflict;
        }

        logger.WorkerAssigned(grid.Code, request.UserId, request.IsResponsible, ended);
        return ToView(assignment, worker.DisplayName);
    }

    public async Task<Result<AssignmentView>> EndAssignmentAsync(Guid assignmentId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GridErrors.Forbidden;
        }

        var assignment = await db.GridAssignments.FirstOrDefaultAsync(a => a.Id == assignmentId && a.ValidTo == null, cancellationToken);
        if (assignment is null || !user.CanSee(assignment.GridPath))
        {
            return GridErrors.AssignmentNotFound;
        }

        assignment.End(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        var name = await db.Users.Where(u => u.Id == assignment.UserId).Select(u => u.DisplayName).FirstAsync(cancellationToken);
        return ToView(assignment, name);
    }

    /// <summary>Every assignment of the grid, current and ended, newest first.</summary>
    public async Task<Result<IReadOnlyList<AssignmentView>>> HistoryAsync(string gridCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await GridRegions.FindAsync(db, gridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var rows = await (from a in db.GridAssignments.AsNoTracking()
                          join u in db.Users on a.UserId equals u.Id
                          where a.GridCode == grid.Code
                          orderby a.ValidFrom descending
                          select new { a, u.DisplayName }).ToListAsync(cancellationToken);
        return rows.Select(r => ToView(r.a, r.DisplayName)).ToList();
    }

    public async Task<Result<MicroGridView>> CreateMicroGridAsync(CreateMicroGridRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GridErrors.Forbidden;
        }

        if (await GridRegions.FindAsync(db, request.GridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MicroGrid.NameMaxLength)
        {
            return GridErrors.MicroGridNameRequired;
        }

        if (await db.MicroGrids.AnyAsync(m => m.GridCode == grid.Code && m.Name == name, cancellationToken))
        {
            return GridErrors.MicroGridNameTaken;
        }

        var microGrid = new MicroGrid
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            Name = name,
            Kind = request.Kind,
            Households = Math.Max(0, request.Households),
            CreatedAt = clock.GetUtcNow(),
        };
        db.MicroGrids.Add(microGrid);
        await db.SaveChangesAsync(cancellationToken);
        return new MicroGridView(microGrid.Id, microGrid.GridCode, microGrid.Name, microGrid.Kind, microGrid.Households, []);
    }

    /// <summary>Adds a volunteer; a new leader replaces the current leader, who stays a member.</summary>
    public async Task<Result<MicroGridView>> AddMemberAsync(Guid microGridId, Guid userId, bool isLeader, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GridErrors.Forbidden;
        }

        var microGrid = await db.MicroGrids.AsNoTracking().FirstOrDefaultAsync(m => m.Id == microGridId, cancellationToken);
        if (microGrid is null || !user.CanSee(microGrid.GridPath))
        {
            return GridErrors.MicroGridNotFound;
        }

        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return GridErrors.UserNotFound;
        }

        if (!await GridRegions.HasRoleAsync(db, userId, Roles.MicroGridMember, cancellationToken)
            && !await GridRegions.HasRoleAsync(db, userId, Roles.GridWorker, cancellationToken))
        {
            return GridErrors.NotMicroGridMember;
        }

        var now = clock.GetUtcNow();
        var current = await db.MicroGridMembers.Where(m => m.MicroGridId == microGridId && m.ValidTo == null).ToListAsync(cancellationToken);
        var replaced = current.Where(m => m.UserId == userId || (isLeader && m.IsLeader)).ToList();
        foreach (var member in replaced)
        {
            member.End(now);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.MicroGridMembers.Add(new MicroGridMember { MicroGridId = microGridId, UserId = userId, IsLeader = isLeader, ValidFrom = now });
        foreach (var formerLeader in replaced.Where(m => m.IsLeader && m.UserId != userId))
        {
            db.MicroGridMembers.Add(new MicroGridMember { MicroGridId = microGridId, UserId = formerLeader.UserId, ValidFrom = now });
        }

        await db.SaveChangesAsync(cancellationToken);
        return await MicroGridViewAsync(microGrid, cancellationToken);
    }

    public async Task<Result<IReadOnlyList<MicroGridView>>> MicroGridsAsync(string gridCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await GridRegions.FindAsync(db, gridCode, user, cancellationToken) is not { } grid)
        {
            return GridErrors.GridNotFound;
        }

        var views = new List<MicroGridView>();
        foreach (var microGrid in await db.MicroGrids.AsNoTracking().Where(m => m.GridCode == grid.Code).OrderBy(m => m.Name).ToListAsync(cancellationToken))
        {
            views.Add(await MicroGridViewAsync(microGrid, cancellationToken));
        }

        return views;
    }

    private async Task<MicroGridView> MicroGridViewAsync(MicroGrid microGrid, CancellationToken cancellationToken)
    {
        var members = await (from m in db.MicroGridMembers.AsNoTracking()
                             join u in db.Users on m.UserId equals u.Id
                             where m.MicroGridId == microGrid.Id && m.ValidTo == null
                             orderby m.IsLeader descending, u.DisplayName
                             select new MicroGridMemberView(m.Id, m.UserId, u.DisplayName, m.IsLeader, m.ValidFrom, m.ValidTo))
            .ToListAsync(cancellationToken);
        return new MicroGridView(microGrid.Id, microGrid.GridCode, microGrid.Name, microGrid.Kind, microGrid.Households, members);
    }

    private static AssignmentView ToView(GridAssignment a, string userName) =>
        new(a.Id, a.GridCode, a.UserId, userName, a.IsResponsible, a.Employment, a.ValidFrom, a.ValidTo);
}

/// <summary>Lookups of grids and grid staff the grid services share.</summary>
internal static class GridRegions
{
    /// <summary>The current grid with this code inside the user's scope, or null.</summary>
    public static async Task<Region?> FindAsync(ShanzhiDbContext db, string? gridCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var code = gridCode?.Trim() ?? "";
        var grid = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code && r.Level == RegionLevel.Grid, cancellationToken);
        return grid is not null && user.CanSee(grid.Path) ? grid : null;
    }

    public static Task<bool> HasRoleAsync(ShanzhiDbContext db, Guid userId, string role, CancellationToken cancellationToken) =>
        (from ur in db.UserRoles
         join r in db.Roles on ur.RoleId equals r.Id
         where ur.UserId == userId && r.Name == role
         select ur).AnyAsync(cancellationToken);

    /// <summary>Codes of the grids the user is currently assigned to.</summary>
    public static async Task<List<string>> CurrentGridsOfAsync(ShanzhiDbContext db, Guid? userId, CancellationToken cancellationToken) =>
        userId is { } id
            ? await db.GridAssignments.AsNoTracking().Where(a => a.UserId == id && a.ValidTo == null).Select(a => a.GridCode).ToListAsync(cancellationToken)
            : [];
}
