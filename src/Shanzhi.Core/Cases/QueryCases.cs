using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;

namespace Shanzhi.Cases;

public sealed partial class CaseService
{
    public const int MaxPageSize = 200;

    /// <summary>Lists cases inside the user's region scope, newest report first. The scope and every filter run in SQL.</summary>
    public async Task<PagedResult<Case>> QueryAsync(CaseQuery query, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var cases = db.Cases.AsNoTracking().Where(c => c.RegionPath.StartsWith(user.ScopePath));

        if (query.State is { } state)
        {
            cases = cases.Where(c => c.State == state);
        }

        if (!string.IsNullOrWhiteSpace(query.CategoryCode))
        {
            var category = query.CategoryCode.Trim();
            cases = cases.Where(c => c.CategoryCode == category);
        }

        if (query.UnitId is { } unitId)
        {
            cases = cases.Where(c => c.UnitId == unitId);
        }

        if (!string.IsNullOrWhiteSpace(query.RegionCode))
        {
            var code = query.RegionCode.Trim();
            var path = await db.Regions.Where(r => r.Code == code).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
            cases = path is null ? cases.Where(c => c.RegionCode == code) : cases.Where(c => c.RegionPath.StartsWith(path));
        }

        if (query.Overdue is { } overdue)
        {
            // The same rule as Case.IsOverdue: past the deadline, still open and not in the hang-up list.
            var now = clock.GetUtcNow();
            cases = overdue
                ? cases.Where(c => c.Deadline != null && c.Deadline < now && c.State != CaseState.Closed && c.State != CaseState.Rejected
                    && c.State != CaseState.Merged && c.State != CaseState.Suspended)
                : cases.Where(c => c.Deadline == null || c.Deadline >= now || c.State == CaseState.Closed || c.State == CaseState.Rejected
                    || c.State == CaseState.Merged || c.State == CaseState.Suspended);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            cases = cases.Where(c => c.CaseNo.Contains(text) || c.Title.Contains(text) || c.Description.Contains(text));
        }

        var total = await cases.CountAsync(cancellationToken);
        var items = await cases
            .OrderByDescending(c => c.ReportedAt)
            .ThenByDescending(c => c.CaseNo)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new PagedResult<Case>(items, total, page, pageSize);
    }

    /// <summary>Open cases of the same category near the case, reported within the duplicate window, nearest first.</summary>
    public async Task<Result<IReadOnlyList<Case>>> ProposeDuplicatesAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await GetAsync(id, user, cancellationToken);
        if (found.Value is not { } @case)
        {
            return found.Error!;
        }

        if (@case.CategoryCode is not { } category)
        {
            return Array.Empty<Case>();
        }

        var settings = options.Value.Duplicates;
        var earliest = @case.ReportedAt - settings.Window;
        var latest = @case.ReportedAt + settings.Window;

        // A bounding box in SQL, then the exact great-circle distance in memory.
        var latitudeDelta = settings.RadiusMeters / MetersPerDegreeLatitude;
        var longitudeDelta = settings.RadiusMeters / (MetersPerDegreeLatitude * Math.Max(Math.Cos(@case.Latitude * Math.PI / 180), 0.01));
        var nearby = await db.Cases.AsNoTracking()
            .Where(c => c.Id != @case.Id
                && c.CategoryCode == category
                && c.State != CaseState.Closed && c.State != CaseState.Rejected && c.State != CaseState.Merged
                && c.ReportedAt >= earliest && c.ReportedAt <= latest
                && c.Latitude >= @case.Latitude - latitudeDelta && c.Latitude <= @case.Latitude + latitudeDelta
                && c.Longitude >= @case.Longitude - longitudeDelta && c.Longitude <= @case.Longitude + longitudeDelta
                && c.RegionPath.StartsWith(user.ScopePath))
            .ToListAsync(cancellationToken);

        return nearby
            .Select(c => (Case: c, Distance: DistanceMeters(@case.Latitude, @case.Longitude, c.Latitude, c.Longitude)))
            .Where(c => c.Distance <= settings.RadiusMeters)
            .OrderBy(c => c.Distance)
            .Take(settings.MaxResults)
            .Select(c => c.Case)
            .ToList();
    }

    private const double EarthRadiusMeters = 6_371_008.8;

    private const double MetersPerDegreeLatitude = EarthRadiusMeters * Math.PI / 180;

    /// <summary>Returns the haversine distance on a sphere of the mean Earth radius, within 0.5 % of the WGS84 ellipsoid.</summary>
    internal static double DistanceMeters(double latitude1, double longitude1, double latitude2, double longitude2)
    {
        const double toRadians = Math.PI / 180;
        var dLat = (latitude2 - latitude1) * toRadians;
        var dLon = (longitude2 - longitude1) * toRadians;
        var h = Math.Pow(Math.Sin(dLat / 2), 2) +
            Math.Cos(latitude1 * toRadians) * Math.Cos(latitude2 * toRadians) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
