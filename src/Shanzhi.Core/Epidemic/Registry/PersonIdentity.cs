using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Epidemic.Registry;

/// <summary>A person's identity in clear text, only inside the registry and in an audited reveal.</summary>
public sealed record PersonIdentityView(long PersonKey, string Name, string IdNumber, string? Phone);

/// <summary>
/// Seals and opens a person's identity fields. Each column is encrypted with its own associated
/// data (<c>persons.name_cipher</c> …), so a ciphertext copied into another column does not
/// decrypt; the ID number also gets the keyed blind index the gate check and duplicate detection use.
/// </summary>
public sealed class PersonIdentity(FieldCipher cipher, BlindIndex blindIndex)
{
    /// <summary>Column of <see cref="Person.Key"/>, for key rotation.</summary>
    public const string KeyColumn = "key";

    public static readonly EncryptedField NameField = EncryptedField.For(Person.Table, Person.NameColumn, KeyColumn);

    public static readonly EncryptedField IdNumberField = EncryptedField.For(Person.Table, Person.IdNumberColumn, KeyColumn);

    public static readonly EncryptedField PhoneField = EncryptedField.For(Person.Table, Person.PhoneColumn, KeyColumn);

    /// <summary>The blind index of an ID number (normalised first, so a lower-case x matches).</summary>
    public byte[] IndexOf(string idNumber) => blindIndex.Compute(BlindIndexKind.IdNumber, idNumber);

    public Person Seal(ValidPerson person, DateTimeOffset now) => new()
    {
        NameCipher = cipher.Encrypt(person.Name, NameField.Context),
        IdNumberCipher = cipher.Encrypt(person.IdNumber, IdNumberField.Context),
        IdNumberIndex = IndexOf(person.IdNumber),
        PhoneCipher = person.Phone is null ? null : cipher.Encrypt(person.Phone, PhoneField.Context),
        Residency = person.Residency,
        HomeGridCode = person.HomeGridCode,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public PersonIdentityView Open(Person person) => new(
        person.Key,
        cipher.Decrypt(person.NameCipher, NameField.Context),
        cipher.Decrypt(person.IdNumberCipher, IdNumberField.Context),
        person.PhoneCipher is null ? null : cipher.Decrypt(person.PhoneCipher, PhoneField.Context));

    /// <summary>The identity masked for display: "张*", "3302**********1234", "138****5678".</summary>
    public PersonIdentityView Masked(Person person)
    {
        var clear = Open(person);
        return new(person.Key, Masking.Name(clear.Name), Masking.IdNumber(clear.IdNumber), clear.Phone is null ? null : Masking.Phone(clear.Phone));
    }
}
