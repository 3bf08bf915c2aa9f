using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Components.Pages.Epidemic;

/// <summary>A roster entry with its worker's masked name and ID number.</summary>
public sealed record RosterRow(RosterEntryView Entry, string WorkerName, string WorkerIdNumber);

/// <summary>
/// Queries of the roster page that <see cref="SiteRosters"/> lacks: the employer list, and the roster
/// with each worker's identity masked. The roster comes from <see cref="SiteRosters"/>, so its role
/// and site-scope checks apply. A worker's home grid may lie outside the officer's scope, so only
/// masked identities leave this class, as in the registry's list.
/// </summary>
public sealed class RosterDirectory(ShanzhiDbContext db, SiteRosters rosters, PersonIdentity identity)
{
    /// <summary>Maximum number of employers loaded for the page's select, which is not paged.</summary>
    /// <remarks>NOTE: a city with more employers than this needs a search box instead of the full list.</remarks>
    public const int MaxEmployers = 1000;

    public async Task<Result<IReadOnlyList<EmployerView>>> EmployersAsync(StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PlaceRegistry.MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        return await db.Employers.AsNoTracking()
            .OrderBy(e => e.Id)
            .Take(MaxEmployers)
            .Select(e => new EmployerView(e.Id, e.Name, e.CreditCode))
            .ToListAsync(cancellationToken);
    }

    public async Task<Result<IReadOnlyList<RosterRow>>> RosterAsync(long siteId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var roster = await rosters.ListAsync(siteId, user, cancellationToken);
        if (roster.Error is { } error)
        {
            return error;
        }

        var keys = roster.Value!.Select(r => r.PersonKey).Distinct().ToList();
        var persons = await db.Persons.AsNoTracking().Where(p => keys.Contains(p.Key)).ToDictionaryAsync(p => p.Key, cancellationToken);
        return roster.Value!.Select(entry =>
            {
                var masked = identity.Masked(persons[entry.PersonKey]);
                return new RosterRow(entry, masked.Name, masked.IdNumber);
            })
            .ToList();
    }
}
