using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary>Registers a person straight in the store, for tests that need only a valid person key.</summary>
internal static class StorePersons
{
    /// <summary>The identity ciphers are placeholders; the blind index is random, so it never collides.</summary>
    public static async Task<long> RegisterAsync(TestStore store)
    {
        await using var db = store.NewContext();
        var person = new Person
        {
            NameCipher = [1],
            IdNumberCipher = [2],
            IdNumberIndex = Guid.NewGuid().ToByteArray(),
            Residency = ResidencyClass.Permanent,
        };
        db.Persons.Add(person);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return person.Key;
    }
}
