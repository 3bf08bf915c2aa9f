using Microsoft.EntityFrameworkCore;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// What the gate check needs from the population registry. The registry's own lookup (with its
/// cache) can replace <see cref="StorePersonDirectory"/> behind this interface.
/// </summary>
public interface IPersonDirectory
{
    /// <summary>The person key registered under this ID number, found through the blind index; null when unknown.</summary>
    Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken);

    /// <summary>The person's current health status; null when the person is unknown.</summary>
    Task<HealthStatus?> StatusAsync(long personKey, CancellationToken cancellationToken);
}

/// <summary>Reads <see cref="Person.IdNumberIndex"/> and <see cref="Person.Status"/> straight from the store.</summary>
public sealed class StorePersonDirectory(ShanzhiDbContext db, BlindIndex blindIndex) : IPersonDirectory
{
    public async Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken)
    {
        var index = blindIndex.Compute(BlindIndexKind.IdNumber, idNumber);
        return await db.Persons.AsNoTracking().Where(p => p.IdNumberIndex == index).Select(p => (long?)p.Key).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<HealthStatus?> StatusAsync(long personKey, CancellationToken cancellationToken) =>
        await db.Persons.AsNoTracking().Where(p => p.Key == personKey).Select(p => (HealthStatus?)p.Status).FirstOrDefaultAsync(cancellationToken);
}
