using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Components.Pages.Epidemic;

/// <summary>A manual health-status override waiting for a second officer, with the person's current status.</summary>
public sealed record PendingOverrideRow(Guid Id, long PersonKey, HealthStatus? From, HealthStatus To, string Reason, string RequestedBy, DateTimeOffset RequestedAt);

/// <summary>
/// Pending overrides of every person the officer may handle, oldest first, so a second officer
/// finds the requests to decide. <see cref="HealthStatusService"/> lists them per person only.
/// Scope follows the registry: the person's home grid inside the officer's scope, and persons
/// without a known home grid for city-wide officers only.
/// </summary>
public sealed class PendingOverrides(ShanzhiDbContext db)
{
    /// <summary>Maximum number of rows the page shows. The oldest requests come first, since they wait longest.</summary>
    public const int MaxRows = 200;

    public async Task<Result<IReadOnlyList<PendingOverrideRow>>> ListAsync(StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var rows = await (
                from r in db.HealthOverrideRequests.AsNoTracking()
                join p in db.Persons on r.PersonKey equals p.Key
                where r.State == OverrideState.Pending
                orderby r.RequestedAt
                select new { Request = r, p.Status, p.HomeGridCode })
            .ToListAsync(cancellationToken);
        var codes = rows.Select(r => r.HomeGridCode).OfType<string>().Distinct().ToList();
        var paths = await db.Regions.AsNoTracking()
            .Where(r => codes.Contains(r.Code))
            .ToDictionaryAsync(r => r.Code, r => r.Path, StringComparer.Ordinal, cancellationToken);
        return rows
            .Where(r => PersonRules.InScope(user, r.HomeGridCode is { } grid ? paths.GetValueOrDefault(grid) : null))
            .Take(MaxRows)
            .Select(r => new PendingOverrideRow(r.Request.Id, r.Request.PersonKey, r.Status, r.Request.To, r.Request.Reason, r.Request.RequestedBy, r.Request.RequestedAt))
            .ToList();
    }
}
