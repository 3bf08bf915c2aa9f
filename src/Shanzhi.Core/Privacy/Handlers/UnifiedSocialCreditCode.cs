namespace Shanzhi.Privacy.Handlers;

/// <summary>
/// The 18-character unified social credit code of an organisation (统一社会信用代码, GB 32100-2015):
/// registration authority, organisation type, 6-digit region, 9-character organisation code and a
/// check character computed from the first 17 characters.
/// </summary>
public static class UnifiedSocialCreditCode
{
    public const int Length = 18;

    /// <summary>The 31 code characters in value order; I, O, Z, S and V are not used.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Upper case without surrounding spaces, the form stored and compared.</summary>
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    /// <summary>The check character for the first 17 characters, or null when one of them is not a code character.</summary>
    public static char? CheckCharacter(ReadOnlySpan<char> first17)
    {
        if (first17.Length != Length - 1)
        {
            return null;
        }

        var sum = 0;
        for (var i = 0; i < first17.Length; i++)
        {
            var value = Alphabet.IndexOf(first17[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return null;
            }

            sum += value * Weights[i];
        }

        // GB 32100-2015: C18 = 31 - MOD(Σ Ci × Wi, 31), where 31 is written as 0.
        return Alphabet[(31 - (sum % 31)) % 31];
    }

    public static bool IsValid(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var code = Normalize(value);
        return code.Length == Length && CheckCharacter(code.AsSpan(0, Length - 1)) == code[^1];
    }
}
