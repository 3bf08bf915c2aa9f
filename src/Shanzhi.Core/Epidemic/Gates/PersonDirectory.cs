using Microsoft.EntityFrameworkCore;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>A registered person's health status; <see cref="Status"/> is null while the person has no health code.</summary>
public readonly record struct PersonStatus(HealthStatus? Status);

/// <summary>
/// What the gate check needs from the population registry. The platform serves it with the
/// registry's <see cref="Registry.PersonLookup"/> over the in-memory population directory; <see cref="StorePersonDirectory"/> reads
/// the store directly for hosts and tests without the registry's services.
/// </summary>
public interface IPersonDirectory
{
    /// <summary>The person key registered under this ID number, found through the blind index; null when unknown.</summary>
    Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken);

    /// <summary>The person's current health status; null when the person is unknown.</summary>
    Task<PersonStatus?> StatusAsync(long personKey, CancellationToken cancellationToken);

    /// <summary>The person's residency class if it is held in memory; null sends the caller to its cache or the store.</summary>
    ResidencyClass? KnownResidency(long personKey) => null;
}

/// <summary>
/// Reads <see cref="Person.IdNumberIndex"/> and <see cref="Person.Status"/> straight from the store.
/// Scoped to one request: the status read with a person found by ID number is kept, so a gate
/// check by ID number costs one query instead of two.
/// </summary>
public sealed class StorePersonDirectory(ShanzhiDbContext db, BlindIndex blindIndex) : IPersonDirectory
{
    private (long Key, HealthStatus? Status)? _found;

    public async Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken)
    {
        var index = blindIndex.Compute(BlindIndexKind.IdNumber, idNumber);
        var found = await db.Persons.AsNoTracking().Where(p => p.IdNumberIndex == index)
            .Select(p => new { p.Key, p.Status }).FirstOrDefaultAsync(cancellationToken);
        _found = found is null ? null : (found.Key, found.Status);
        return found?.Key;
    }

    public async Task<PersonStatus?> StatusAsync(long personKey, CancellationToken cancellationToken)
    {
        if (_found is { } found && found.Key == personKey)
        {
            return new PersonStatus(found.Status);
        }

        var person = await db.Persons.AsNoTracking().Where(p => p.Key == personKey).Select(p => new { p.Status }).FirstOrDefaultAsync(cancellationToken);
        return person is null ? null : new PersonStatus(person.Status);
    }
}
