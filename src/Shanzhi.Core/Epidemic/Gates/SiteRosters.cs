using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Identity;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

public sealed record AddRosterEntryRequest(long? EmployerId, long? PersonKey, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record RosterEntryView(long Id, long SiteId, long EmployerId, string EmployerName, long PersonKey, DateOnly ValidFrom, DateOnly ValidTo, bool Ended);

public sealed record EmployerView(long Id, string Name, string CreditCode);

/// <summary>
/// Real-name rosters of construction sites: employers, and workers (by person key) on a site's
/// roster for a period of days. Epidemic officers manage the rosters of sites inside their scope.
/// Committed changes go to the gate's <see cref="SiteRosterDirectory"/> at once.
/// </summary>
public sealed class SiteRosters(ShanzhiDbContext db, TimeProvider clock, ILogger<SiteRosters> logger, SiteRosterDirectory? directory = null)
{
    /// <summary>
    /// The maximum number of attempts at adding an entry while PostgreSQL aborts it for concurrent changes. The second attempt
    /// normally finds the other request's entry and returns the overlap.
    /// </summary>
    private const int MaxInsertAttempts = 3;

    public async Task<Result<EmployerView>> AddEmployerAsync(string? name, string? creditCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PlaceRegistry.MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return GateErrors.NameRequired;
        }

        if (name.Length > Employer.NameMaxLength)
        {
            return GateErrors.NameTooLong;
        }

        if (!UnifiedSocialCreditCode.IsValid(creditCode))
        {
            return GateErrors.InvalidCreditCode;
        }

        var code = UnifiedSocialCreditCode.Normalize(creditCode!);
        if (await db.Employers.AnyAsync(e => e.CreditCode == code, cancellationToken))
        {
            return GateErrors.DuplicateCreditCode;
        }

        var employer = new Employer { Name = name, CreditCode = code, CreatedAt = clock.GetUtcNow() };
        db.Employers.Add(employer);
        await db.SaveChangesAsync(cancellationToken);
        return new EmployerView(employer.Id, employer.Name, employer.CreditCode);
    }

    public async Task<Result<EmployerView>> GetEmployerAsync(long employerId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PlaceRegistry.MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        var employer = await db.Employers.AsNoTracking().FirstOrDefaultAsync(e => e.Id == employerId, cancellationToken);
        return employer is null ? GateErrors.EmployerUnknown : new EmployerView(employer.Id, employer.Name, employer.CreditCode);
    }

    public async Task<Result<RosterEntryView>> AddEntryAsync(long siteId, AddRosterEntryRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await SiteAsync(siteId, user, cancellationToken) is { Error: { } siteError })
        {
            return siteError;
        }

        var employer = request.EmployerId is { } employerId ? await db.Employers.AsNoTracking().FirstOrDefaultAsync(e => e.Id == employerId, cancellationToken) : null;
        if (employer is null)
        {
            return GateErrors.EmployerNotFound;
        }

        if (request.PersonKey is not { } personKey || !await db.Persons.AnyAsync(p => p.Key == personKey, cancellationToken))
        {
            return GateErrors.WorkerUnknown;
        }

        if (request.ValidFrom is not { } from || request.ValidTo is not { } to || to < from)
        {
            return GateErrors.RosterDatesInvalid;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InsertUnlessOverlappingAsync(siteId, employer, personKey, from, to, cancellationToken);
            }
            catch (Exception e) when (StoreExceptions.IsSerializationFailure(e))
            {
                if (attempt == MaxInsertAttempts)
                {
                    logger.RosterEntryConflict(e, siteId, MaxInsertAttempts);
                    return GateErrors.RosterConcurrentChange;
                }
            }
        }
    }

    /// <summary>
    /// Checks that the worker has no overlapping entry of the employer at the site and inserts the new one, in one
    /// serializable transaction so that two identical requests cannot both pass the check. SQLite begins such a
    /// transaction with BEGIN IMMEDIATE, so the second request waits for the first to commit and then finds its entry.
    /// PostgreSQL lets both run and aborts one with a serialization failure when both read the range the other wrote.
    /// </summary>
    private async Task<Result<RosterEntryView>> InsertUnlessOverlappingAsync(long siteId, Employer employer, long personKey, DateOnly from, DateOnly to,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);

        // A voided entry ends the day before it starts, so it overlaps nothing.
        var overlapping = await db.RosterEntries.AsNoTracking()
            .Where(r => r.SiteId == siteId && r.PersonKey == personKey && r.EmployerId == employer.Id
                && r.ValidTo >= r.ValidFrom && r.ValidFrom <= to && r.ValidTo >= from)
            .OrderBy(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (overlapping is not null)
        {
            return GateErrors.RosterEntryOverlaps(overlapping.Id, overlapping.ValidFrom, overlapping.ValidTo);
        }

        var entry = RosterEntry.Create(siteId, employer.Id, personKey, from, to, clock.GetUtcNow());
        db.RosterEntries.Add(entry);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // The entry must not be inserted again by the next attempt or a later save on this context.
            db.Entry(entry).State = EntityState.Detached;
            throw;
        }

        directory?.Apply([RosterSpan.Of(entry)]);
        return View(entry, employer.Name);
    }

    /// <summary>Ends an entry after <paramref name="lastDay"/> (the worker leaves the site); the day before its start voids it.</summary>
    public Task<Result<RosterEntryView>> EndEntryAsync(long siteId, long entryId, DateOnly lastDay, StaffPrincipal user, CancellationToken cancellationToken) =>
        ChangeEntryAsync(siteId, entryId, (entry, at) => entry.End(lastDay, at), user, cancellationToken);

    /// <summary>Voids an entry (entered by mistake) whatever its first day, as <see cref="RosterEntry.Void"/> does.</summary>
    public Task<Result<RosterEntryView>> VoidEntryAsync(long siteId, long entryId, StaffPrincipal user, CancellationToken cancellationToken) =>
        ChangeEntryAsync(siteId, entryId, (entry, at) =>
        {
            entry.Void(at);
            return null;
        }, user, cancellationToken);

    /// <summary>Applies <paramref name="change"/> to an entry of the site, saves it and updates the roster directory.</summary>
    private async Task<Result<RosterEntryView>> ChangeEntryAsync(long siteId, long entryId, Func<RosterEntry, DateTimeOffset, Error?> change,
        StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await SiteAsync(siteId, user, cancellationToken) is { Error: { } siteError })
        {
            return siteError;
        }

        var entry = await db.RosterEntries.FirstOrDefaultAsync(r => r.Id == entryId && r.SiteId == siteId, cancellationToken);
        if (entry is null)
        {
            return GateErrors.RosterEntryNotFound;
        }

        if (change(entry, clock.GetUtcNow()) is { } error)
        {
            return error;
        }

        await db.SaveChangesAsync(cancellationToken);
        directory?.Apply([RosterSpan.Of(entry)]);
        var employer = await db.Employers.Where(e => e.Id == entry.EmployerId).Select(e => e.Name).FirstAsync(cancellationToken);
        return View(entry, employer);
    }

    public async Task<Result<IReadOnlyList<RosterEntryView>>> ListAsync(long siteId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await SiteAsync(siteId, user, cancellationToken) is { Error: { } siteError })
        {
            return siteError;
        }

        var rows = await Entries(siteId).ToListAsync(cancellationToken);
        return rows.Select(r => View(r.Entry, r.EmployerName)).ToList();
    }

    /// <summary>One roster entry, in the same form as the list; an entry of another site is not found.</summary>
    public async Task<Result<RosterEntryView>> GetEntryAsync(long siteId, long entryId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await SiteAsync(siteId, user, cancellationToken) is { Error: { } siteError })
        {
            return siteError;
        }

        var row = await Entries(siteId).FirstOrDefaultAsync(r => r.Entry.Id == entryId, cancellationToken);
        return row is null ? GateErrors.RosterEntryNotFound : View(row.Entry, row.EmployerName);
    }

    private IQueryable<EntryRow> Entries(long siteId) =>
        from r in db.RosterEntries.AsNoTracking()
        join e in db.Employers on r.EmployerId equals e.Id
        where r.SiteId == siteId
        orderby r.Id
        select new EntryRow { Entry = r, EmployerName = e.Name };

    /// <summary>A roster entry with its employer's name. Member-initialised, so EF Core can filter on it after the projection.</summary>
    private sealed class EntryRow
    {
        public required RosterEntry Entry { get; init; }

        public required string EmployerName { get; init; }
    }

    private async Task<Result<Place>> SiteAsync(long siteId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PlaceRegistry.MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        var place = await db.Places.AsNoTracking().FirstOrDefaultAsync(p => p.Id == siteId, cancellationToken);
        if (place is null || !user.CanSee(place.RegionPath))
        {
            return GateErrors.PlaceNotFound;
        }

        return place.Kind == PlaceKind.ConstructionSite ? place : GateErrors.NotASite;
    }

    private static RosterEntryView View(RosterEntry r, string employer) =>
        new(r.Id, r.SiteId, r.EmployerId, employer, r.PersonKey, r.ValidFrom, r.ValidTo, r.EndedAt is not null);
}
