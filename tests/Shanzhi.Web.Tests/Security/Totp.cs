using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Shanzhi.Web.Tests.Security;

/// <summary>RFC 6238 codes (HMAC-SHA1, 30-second steps, 6 digits), as an authenticator app computes them.</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset time)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, time.ToUnixTimeSeconds() / 30);
        var hash = HMACSHA1.HashData(Base32Decode(base32Key), counter);

        // RFC 4226 §5.3 dynamic truncation.
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    public static string Now(string base32Key) => Code(base32Key, DateTimeOffset.UtcNow);

    /// <summary>The code of the next 30-second step, which the app shows once the current code was used.</summary>
    public static string Next(string base32Key) => Code(base32Key, DateTimeOffset.UtcNow.AddSeconds(30));

    /// <summary>A code that is wrong now: the current one with its last digit changed.</summary>
    public static string WrongNow(string base32Key)
    {
        var code = Now(base32Key);
        return code[..5] + (char)('0' + ((code[5] - '0' + 5) % 10));
    }

    private static byte[] Base32Decode(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Trim().TrimEnd('=').ToUpperInvariant())
        {
            if (c == ' ')
            {
                continue;
            }

            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return [.. output];
    }
}
