using System.Globalization;

namespace Shanzhi.Privacy;

/// <summary>
/// Resident identity card numbers (GB 11643): 6-digit region code, birth date yyyyMMdd, 3-digit
/// sequence (odd for men), and a check digit.
/// </summary>
public static class ChineseIdNumber
{
    // GB 11643 check digit: ISO 7064 MOD 11-2. Weights are 2^(17-i) mod 11 for positions 0..16;
    // the weighted sum mod 11 indexes CheckCharacters.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Trims, drops inner spaces and upper-cases the check character x.</summary>
    public static string Normalize(string value) =>
        value.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>
    /// True for an 18-character number with a calendar birth date from 1900-01-01 and a matching check digit
    /// (after <see cref="Normalize"/>). Registration also rejects birth dates after today, through <see cref="Validate(string, string, DateOnly)"/>.
    /// </summary>
    public static bool IsValid(string value)
    {
        var id = Normalize(value);
        if (id.Length != 18 || id.AsSpan(0, 17).ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900)
        {
            return false;
        }

        return id[17] == CheckCharacter(id.AsSpan(0, 17));
    }

    /// <summary>The check character for the first 17 digits.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>The validation failure for a form field, or null when <paramref name="value"/> is valid.</summary>
    public static Error? Validate(string value, string field) => IsValid(value)
        ? null
        : Error.Invalid(InvalidCode, field, "身份证号码无效：应为 18 位，含有效的出生日期，末位校验码须正确（X 可大小写）。请核对后重新输入。");

    /// <summary>
    /// The validation failure for a number being registered, which also needs a birth date no later than
    /// <paramref name="today"/> (the Beijing date); null when <paramref name="value"/> passes both.
    /// </summary>
    /// <remarks>Searches and lookups use the other overload: a number born in the future was never registered, so it finds no one.</remarks>
    public static Error? Validate(string value, string field, DateOnly today)
    {
        if (Validate(value, field) is { } invalid)
        {
            return invalid;
        }

        var birth = DateOnly.ParseExact(Normalize(value).AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);
        return birth <= today
            ? null
            : Error.Invalid(InvalidCode, field, "身份证号码无效：其中的出生日期晚于今天，不是真实的出生日期。请核对证件后重新输入。");
    }

    private const string InvalidCode = "privacy.id_number_invalid";
}
