using System.Text.Json.Serialization;

namespace Shanzhi.Privacy.Crypto;

/// <summary>What a key is for. Encryption keys and blind-index keys never share material.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyPurpose>))]
public enum KeyPurpose
{
    Encryption,
    BlindIndex,
}

/// <summary>
/// Cipher of an encryption key. SM4-GCM (GB/T 32907 block cipher) is offered for the commercial
/// cryptography assessment (密评); AES-256-GCM is the default. Blind-index keys use HMAC-SHA256.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyAlgorithm>))]
public enum KeyAlgorithm
{
    Aes256Gcm,
    Sm4Gcm,
    HmacSha256,
}

/// <summary>
/// One key of the ring. <see cref="Id"/> is written into every ciphertext, so a key is never
/// deleted while data under it may remain; rotation only clears <see cref="Active"/>.
/// </summary>
public sealed record KeyRecord(int Id, KeyPurpose Purpose, KeyAlgorithm Algorithm, DateTimeOffset CreatedAt, bool Active, byte[] Material)
{
    public static int MaterialLength(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Aes256Gcm => 32,
        KeyAlgorithm.Sm4Gcm => 16,
        KeyAlgorithm.HmacSha256 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public static KeyPurpose PurposeOf(KeyAlgorithm algorithm) =>
        algorithm == KeyAlgorithm.HmacSha256 ? KeyPurpose.BlindIndex : KeyPurpose.Encryption;
}

/// <summary>An immutable snapshot of all keys: exactly one active key per purpose.</summary>
public sealed class KeyRing
{
    private readonly Dictionary<int, KeyRecord> _byId;

    public KeyRing(IReadOnlyList<KeyRecord> keys)
    {
        Keys = keys;
        _byId = keys.ToDictionary(k => k.Id);
        foreach (var purpose in Enum.GetValues<KeyPurpose>())
        {
            var active = keys.Count(k => k.Purpose == purpose && k.Active);
            if (active != 1)
            {
                throw new InvalidOperationException($"The key ring has {active} active {purpose} keys; it needs exactly one.");
            }
        }

        if (keys.FirstOrDefault(k => k.Material.Length != KeyRecord.MaterialLength(k.Algorithm) || KeyRecord.PurposeOf(k.Algorithm) != k.Purpose) is { } bad)
        {
            throw new InvalidOperationException($"Key {bad.Id} has {bad.Material.Length} bytes of material or a purpose that does not fit {bad.Algorithm}.");
        }
    }

    public IReadOnlyList<KeyRecord> Keys { get; }

    public KeyRecord Active(KeyPurpose purpose) => Keys.Single(k => k.Purpose == purpose && k.Active);

    public KeyRecord? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>A ring with a new active key of <paramref name="algorithm"/>; the previous active key of that purpose stays, inactive.</summary>
    public KeyRing WithNewKey(KeyAlgorithm algorithm, DateTimeOffset at)
    {
        var purpose = KeyRecord.PurposeOf(algorithm);
        var id = Keys.Count == 0 ? 1 : Keys.Max(k => k.Id) + 1;
        var key = new KeyRecord(id, purpose, algorithm, at, true, System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyRecord.MaterialLength(algorithm)));
        return new KeyRing([.. Keys.Select(k => k.Purpose == purpose ? k with { Active = false } : k), key]);
    }

    /// <summary>A fresh ring: one encryption key of <paramref name="encryption"/> and one blind-index key.</summary>
    public static KeyRing CreateNew(KeyAlgorithm encryption, DateTimeOffset at)
    {
        static KeyRecord New(int id, KeyAlgorithm algorithm, DateTimeOffset at) =>
            new(id, KeyRecord.PurposeOf(algorithm), algorithm, at, true,
                System.Security.Cryptography.RandomNumberGenerator.GetBytes(KeyRecord.MaterialLength(algorithm)));

        return new KeyRing([New(1, encryption, at), New(2, KeyAlgorithm.HmacSha256, at)]);
    }
}

/// <summary>
/// Where the key ring lives: outside the database, so a copy of the database alone reveals no
/// encrypted field and allows no blind-index lookup. The file store is the default; a KMS-backed
/// store implements the same contract.
/// </summary>
public interface IKeyStore
{
    /// <summary>The current ring, created with random keys on first use. Reflects rotations by other processes.</summary>
    KeyRing Current { get; }

    /// <summary>Adds a new active key of <paramref name="algorithm"/> and persists the ring before returning it.</summary>
    KeyRecord Rotate(KeyAlgorithm algorithm);
}
