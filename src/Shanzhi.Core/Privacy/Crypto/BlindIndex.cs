using System.Security.Cryptography;
using System.Text;

namespace Shanzhi.Privacy.Crypto;

/// <summary>What a blind index is computed over; also separates the indexes of different kinds.</summary>
public enum BlindIndexKind
{
    IdNumber,
    Phone,
}

/// <summary>
/// Keyed HMAC-SHA256 of a normalised value, stored beside the ciphertext for exact search.
/// An unkeyed hash would not protect anything. An 18-digit ID number is a county code, a birth date,
/// a 3-digit sequence and a computed check digit: about 36 million candidates per county for a
/// century of birth dates. A mobile number has 11 digits. A laptop hashes either space in hours.
/// The key lives in the key ring, never in the database, so a stolen database cannot be matched
/// against candidates.
/// </summary>
public sealed class BlindIndex(IKeyStore keys)
{
    /// <summary>The 32-byte index of <paramref name="value"/>; equal inputs after normalisation give equal indexes.</summary>
    public byte[] Compute(BlindIndexKind kind, string value)
    {
        var key = keys.Current.Active(KeyPurpose.BlindIndex);
        var normalised = kind switch
        {
            BlindIndexKind.IdNumber => ChineseIdNumber.Normalize(value),
            BlindIndexKind.Phone => MobileNumber.Normalize(value),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        // The kind prefix keeps an ID-number index from ever equalling a phone index.
        return HMACSHA256.HashData(key.Material, Encoding.UTF8.GetBytes(kind.ToString() + "\0" + normalised));
    }
}
