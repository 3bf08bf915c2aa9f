using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// The two registry lookups a gate check makes at high rate: which person an ID number belongs to, and
/// that person's health status (and, for hub channels, residency class). They are answered from the in-memory
/// <see cref="PopulationDirectory"/> once it is loaded; before that, without a directory, and for
/// the persons the directory cannot answer for, they read the store.
/// Staleness: a status change or registration committed in this process is seen at once (the
/// writer calls <see cref="Forget"/> or <see cref="Registered"/>). A status change committed by
/// another process is seen within <see cref="PopulationDirectoryLoader.PollInterval"/> (see the
/// loader for the conditions). An ID number the directory does not hold is looked up in the store
/// on every check, so a registration anywhere is found at once; unregistered cards cost a query.
/// </summary>
public sealed class PersonLookup(IServiceScopeFactory scopes, PersonIdentity identity, PopulationDirectory? directory = null)
    : Gates.IPersonDirectory
{
    /// <summary>The person key of a registered ID number; null when the number is invalid or unregistered.</summary>
    public async Task<long?> FindByIdNumberAsync(string idNumber, CancellationToken cancellationToken)
    {
        if (!ChineseIdNumber.IsValid(idNumber))
        {
            return null;
        }

        var index = identity.IndexOf(idNumber);
        if (directory?.FindByIndex(index, out var known) == DirectoryAnswer.Found)
        {
            return known;
        }

        // Numbers the directory does not hold are read from the store: a registration committed by another process
        // in a transaction longer than the poll's overlap would otherwise stay unknown here until the next start.
        var forgets = directory?.ForgetSequence ?? 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var person = await db.Persons.Where(p => p.IdNumberIndex == index)
            .Select(p => new { p.Key, p.Status, p.Residency })
            .FirstOrDefaultAsync(cancellationToken);
        if (person is not null && directory is { IsReady: true })
        {
            directory.Apply([new PopulationRow(person.Key, PopulationDirectory.Prefix(index), person.Status, person.Residency)], forgets);
        }

        return person?.Key;
    }

    /// <summary>The current health status of a person (<c>Status</c> null while they have none); null when the key is unknown.</summary>
    public async Task<Gates.PersonStatus?> StatusAsync(long personKey, CancellationToken cancellationToken)
    {
        if (directory?.FindStatus(personKey, out var status, out _) == DirectoryAnswer.Found)
        {
            return new Gates.PersonStatus(status);
        }

        var forgets = directory?.ForgetSequence ?? 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var person = await db.Persons.Where(p => p.Key == personKey)
            .Select(p => new { p.IdNumberIndex, p.Status, p.Residency })
            .FirstOrDefaultAsync(cancellationToken);
        if (person is null)
        {
            return null;
        }

        // Refill the directory, unless this person's status changed in this process while it was read.
        if (directory is { IsReady: true })
        {
            directory.Apply([new PopulationRow(personKey, PopulationDirectory.Prefix(person.IdNumberIndex), person.Status, person.Residency)], forgets);
        }

        return new Gates.PersonStatus(person.Status);
    }

    /// <summary>Returns the residency class from the directory, or null when the directory has no value for the person. Residency is set at registration and never changes.</summary>
    public ResidencyClass? KnownResidency(long personKey) =>
        directory?.FindStatus(personKey, out _, out var residency) == DirectoryAnswer.Found ? residency : null;

    /// <summary>Makes the next lookups of these persons read the store, after their status changed in this process (or a change failed).</summary>
    public void Forget(IEnumerable<long> personKeys) => directory?.Forget(personKeys);

    /// <summary>Adds persons whose registration this process just committed.</summary>
    public void Registered(IEnumerable<Person> persons)
    {
        if (directory is null)
        {
            return;
        }

        foreach (var person in persons)
        {
            directory.Add(new PopulationRow(person.Key, PopulationDirectory.Prefix(person.IdNumberIndex), person.Status, person.Residency));
        }
    }
}
