using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

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

        // The scope is part of the query, so the store returns only the requests this officer may
        // decide. A home grid missing from the region tree counts as no home grid, as in PersonRules.InScope.
        var scope = user.ScopePath;
        var cityScope = PersonRules.HasCityScope(user);
        return await (
                from r in db.HealthOverrideRequests.AsNoTracking()
                join p in db.Persons on r.PersonKey equals p.Key
                join g in db.Regions on p.HomeGridCode equals g.Code into grids
                from g in grids.DefaultIfEmpty()
                where r.State == OverrideState.Pending
                    && ((g == null && cityScope) || (g != null && g.Path.StartsWith(scope)))
                orderby r.RequestedAt
                select new PendingOverrideRow(r.Id, r.PersonKey, p.Status, r.To, r.Reason, r.RequestedBy, r.RequestedAt))
            .Take(MaxRows)
            .ToListAsync(cancellationToken);
    }
}
