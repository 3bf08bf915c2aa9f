using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>Filters of the registry list; all optional. <paramref name="IdNumber"/> is matched exactly through the blind index.</summary>
/// <param name="WithoutStatus">Only persons without a health status (未赋码); combined with <paramref name="Status"/> nothing matches.</param>
public sealed record PersonQuery(
    string? IdNumber = null,
    ResidencyClass? Residency = null,
    string? HomeGridCode = null,
    HealthStatus? Status = null,
    int Page = 1,
    int PageSize = 20,
    bool WithoutStatus = false);

/// <summary>A registered person for display: name, ID number and phone masked.</summary>
public sealed record PersonView(
    long PersonKey,
    string Name,
    string IdNumber,
    string? Phone,
    ResidencyClass Residency,
    string ResidencyName,
    string? HomeGridCode,
    HealthStatus? Status,
    string StatusName,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The population registry (疫情防控人口登记) for epidemic officers (<see cref="Roles.EpidemicOfficer"/>).
/// Identity leaves the service masked, except through <see cref="RevealAsync"/>, which needs a
/// reason and is audited whether it succeeds or is refused. Scope: an officer handles the persons
/// whose home grid lies in their region scope; persons without a home grid only city-wide officers.
/// </summary>
public sealed partial class PersonRegistry(
    ShanzhiDbContext db,
    PersonIdentity identity,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<PersonRegistry> logger,
    PersonLookup? lookup = null)
{
    public const string SubjectType = "EpidemicPerson";

    public const int MaxPageSize = 100;

    public async Task<Result<PersonView>> RegisterAsync(RegisterPersonRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var (valid, errors) = PersonRules.Check(request, ShanghaiTime.Today(clock));
        if (valid is null)
        {
            return errors[0];
        }

        string? gridPath = null;
        if (valid.HomeGridCode is { } grid)
        {
            if (!(await GridPathsAsync(db, [grid], cancellationToken)).TryGetValue(grid, out gridPath))
            {
                return RegistryErrors.UnknownGrid;
            }
        }

        if (!PersonRules.InScope(user, gridPath))
        {
            return RegistryErrors.OutOfScope;
        }

        var index = identity.IndexOf(valid.IdNumber);
        if (await ExistingKeyAsync(index, cancellationToken) is { } existing)
        {
            return RegistryErrors.Duplicate(existing);
        }

        var person = identity.Seal(valid, clock.GetUtcNow());
        db.Persons.Add(person);
        try
        {
            using (ExpectedConflicts.Begin())
            {
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // Registered by someone else between the check and the insert: the unique blind index caught it.
            db.ChangeTracker.Clear();
            if (await ExistingKeyAsync(index, cancellationToken) is { } raced)
            {
                return RegistryErrors.Duplicate(raced);
            }

            throw;
        }

        // Inside a caller's transaction the row is not committed yet; the directory's poll finds it after the commit.
        if (db.Database.CurrentTransaction is null)
        {
            lookup?.Registered([person]);
        }

        logger.PersonRegistered(person.Key);
        return ToView(person);
    }

    public async Task<Result<PersonView>> GetAsync(long personKey, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            // A refused view is audited too, with the reason hidden from the caller, so probing for keys leaves a record.
            await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType,
                Subject(personKey), Detail: $"kind=detail-view; outcome=refused; reason={found.RefusalReason ?? "no such person"}"), cancellationToken);
            return error;
        }

        // The view is masked, but it is still a look at a person's record: the audit log records who looked.
        await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType,
            Subject(personKey), Detail: "detail view, identity masked"), cancellationToken);
        return ToView(found.Value!);
    }

    public async Task<Result<PagedResult<PersonView>>> ListAsync(PersonQuery query, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return RegistryErrors.Forbidden;
        }

        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var filtered = Filter(query, user);
        var total = await filtered.CountAsync(cancellationToken);
        var rows = await filtered.OrderBy(p => p.Key).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<PersonView>([.. rows.Select(ToView)], total, page, pageSize);
    }

    /// <summary>The clear identity. The reason becomes the audit entry's purpose; refusals are audited too.</summary>
    public async Task<Result<PersonIdentityView>> RevealAsync(long personKey, string? reason, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var trimmed = reason?.Trim() ?? "";
        var found = await FindInScopeAsync(personKey, user, cancellationToken);
        if (found.Error is { } error)
        {
            // The caller gets "not found" for a person out of scope too; only the audit log records the difference.
            if (found.RefusalReason is { } refusal)
            {
                await AuditRefusalAsync(personKey, IdentifiersInText.Contains(trimmed) ? null : trimmed, refusal, user, cancellationToken);
            }

            return error;
        }

        if (trimmed.Length == 0 || trimmed.Length > PersonRules.ReasonMaxLength)
        {
            await AuditRefusalAsync(personKey, null, trimmed.Length == 0 ? "no reason given" : "reason too long", user, cancellationToken);
            return trimmed.Length == 0 ? RegistryErrors.ReasonRequired : RegistryErrors.ReasonTooLong;
        }

        // The reason is stored as the purpose of an entry in the append-only, hash-chained audit log.
        if (IdentifiersInText.Check(trimmed, RegistryErrors.PersonIdentifierCode, "reason") is { } identified)
        {
            await AuditRefusalAsync(personKey, null, "identifier in reason", user, cancellationToken);
            return identified;
        }

        var clear = identity.Open(found.Value!);
        await audit.AppendAsync(new AuditEntry(AuditAction.Revealed, user.UserId, user.DisplayName, SubjectType, Subject(personKey),
            trimmed, "name, ID number and phone"), cancellationToken);
        logger.IdentityRevealed(personKey);
        return clear;
    }

    /// <summary>The person if it exists and <paramref name="user"/> may handle it.</summary>
    internal async Task<Lookup<Person>> FindInScopeAsync(long personKey, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!PersonRules.MayUse(user))
        {
            return Lookup<Person>.Refused(RegistryErrors.Forbidden, Lookup.RoleNotAllowed);
        }

        var person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.Key == personKey, cancellationToken);
        if (person is null)
        {
            return Lookup<Person>.Missing(RegistryErrors.NotFound);
        }

        string? gridPath = null;
        if (person.HomeGridCode is { } grid)
        {
            // A grid retired after registration keeps its row, so the path is still found.
            gridPath = await db.Regions.Where(r => r.Code == grid).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
        }

        // Person keys are sequential, so "out of scope" must look like "not found" or another
        // district could count this registry.
        return PersonRules.InScope(user, gridPath) ? person : Lookup<Person>.Refused(RegistryErrors.NotFound, Lookup.OutOfScope);
    }

    /// <summary>Region paths of the codes that name a grid or micro-grid; other codes are left out.</summary>
    internal static async Task<Dictionary<string, string>> GridPathsAsync(ShanzhiDbContext db, IReadOnlyCollection<string> codes, CancellationToken cancellationToken) =>
        await db.Regions.AsNoTracking()
            .Where(r => codes.Contains(r.Code) && (r.Level == RegionLevel.Grid || r.Level == RegionLevel.MicroGrid))
            .ToDictionaryAsync(r => r.Code, r => r.Path, StringComparer.Ordinal, cancellationToken);

    private async Task<long?> ExistingKeyAsync(byte[] index, CancellationToken cancellationToken) =>
        await db.Persons.Where(p => p.IdNumberIndex == index).Select(p => (long?)p.Key).FirstOrDefaultAsync(cancellationToken);

    private async Task AuditRefusalAsync(long personKey, string? reason, string detail, StaffPrincipal user, CancellationToken cancellationToken) =>
        await audit.AppendAsync(new AuditEntry(AuditAction.RevealRefused, user.UserId, user.DisplayName, SubjectType, Subject(personKey),
            string.IsNullOrEmpty(reason) ? null : reason, detail), cancellationToken);

    private IQueryable<Person> Filter(PersonQuery query, StaffPrincipal user)
    {
        var persons = db.Persons.AsNoTracking();
        if (!PersonRules.HasCityScope(user))
        {
            var scope = user.ScopePath;
            persons = from p in persons
                      join r in db.Regions on p.HomeGridCode equals r.Code
                      where r.Path.StartsWith(scope)
                      select p;
        }

        if (!string.IsNullOrWhiteSpace(query.IdNumber))
        {
            var index = identity.IndexOf(query.IdNumber);
            persons = persons.Where(p => p.IdNumberIndex == index);
        }

        if (query.Residency is { } residency)
        {
            persons = persons.Where(p => p.Residency == residency);
        }

        if (!string.IsNullOrWhiteSpace(query.HomeGridCode))
        {
            var grid = query.HomeGridCode.Trim();
            persons = persons.Where(p => p.HomeGridCode == grid);
        }

        if (query.Status is { } status)
        {
            persons = persons.Where(p => p.Status == status);
        }

        if (query.WithoutStatus)
        {
            persons = persons.Where(p => p.Status == null);
        }

        return persons;
    }

    private static string Subject(long personKey) => personKey.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private PersonView ToView(Person p)
    {
        var masked = identity.Masked(p);
        return new PersonView(p.Key, masked.Name, masked.IdNumber, masked.Phone, p.Residency, EpidemicNames.Chinese(p.Residency),
            p.HomeGridCode, p.Status, HealthStatusService.StatusName(p.Status), p.CreatedAt, p.UpdatedAt);
    }
}
