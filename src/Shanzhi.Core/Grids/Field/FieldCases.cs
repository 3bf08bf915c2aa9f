using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>A case as the field page lists it, with the points it earned the reporter so far.</summary>
public sealed record FieldCaseView(
    Guid Id,
    string CaseNo,
    string Title,
    CaseState State,
    string StateName,
    string RegionCode,
    DateTimeOffset ReportedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? Deadline,
    int PointsEarned);

/// <summary>
/// Case queries of the grid-worker phone page. Reports go in through <see cref="CaseService.ReportAsync"/>
/// and are verified with the ordinary PassVerification and FailVerification actions; this class only reads.
/// </summary>
public sealed class FieldCases(ShanzhiDbContext db)
{
    public const int MaxItems = 200;

    /// <summary>The user's own reports, newest first, with their progress.</summary>
    public async Task<IReadOnlyList<FieldCaseView>> MyReportsAsync(StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId)
        {
            return [];
        }

        var cases = await db.Cases.AsNoTracking().Where(c => c.ReporterId == userId)
            .OrderByDescending(c => c.ReportedAt).Take(MaxItems).ToListAsync(cancellationToken);
        return await ViewsAsync(cases, userId, cancellationToken);
    }

    /// <summary>
    /// Cases waiting for this user's site check: verification requested, not yet passed, and either
    /// assigned to the user or unassigned in a grid the user works in. Cases the user handled are
    /// left out, because the handler may not verify their own work.
    /// </summary>
    public async Task<IReadOnlyList<FieldCaseView>> AwaitingMyVerificationAsync(StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (user.UserId is not { } userId || !CasePermissions.RolesFor(CaseAction.PassVerification).Any(user.IsInRole))
        {
            return [];
        }

        var grids = await GridRegions.CurrentGridsOfAsync(db, userId, cancellationToken);
        var cases = await db.Cases.AsNoTracking()
            .Where(c => c.State == CaseState.Verifying && !c.VerificationPassed && c.HandlerId != userId
                && c.RegionPath.StartsWith(user.ScopePath)
                && (c.VerifierId == userId || (c.VerifierId == null && grids.Contains(c.RegionCode))))
            .OrderBy(c => c.Deadline).Take(MaxItems).ToListAsync(cancellationToken);
        return await ViewsAsync(cases, userId, cancellationToken);
    }

    private async Task<IReadOnlyList<FieldCaseView>> ViewsAsync(List<Case> cases, Guid userId, CancellationToken cancellationToken)
    {
        var ids = cases.Select(c => c.Id).ToList();
        var points = await db.IncentiveEntries.AsNoTracking()
            .Where(e => e.UserId == userId && e.CaseId != null && ids.Contains(e.CaseId.Value))
            .GroupBy(e => e.CaseId!.Value)
            .Select(g => new { CaseId = g.Key, Points = g.Sum(e => e.Points) })
            .ToDictionaryAsync(x => x.CaseId, x => x.Points, cancellationToken);
        return cases.Select(c => new FieldCaseView(c.Id, c.CaseNo, c.Title, c.State, CaseStates.ChineseName(c.State), c.RegionCode, c.ReportedAt,
            c.ClosedAt, c.Deadline, points.GetValueOrDefault(c.Id))).ToList();
    }
}
