using System.Text.RegularExpressions;

namespace Shanzhi.Privacy;

/// <summary>
/// Finds direct identifiers typed into free text: resident ID numbers with a valid check digit and
/// mainland mobile numbers, each standing alone rather than inside a longer run of digits. Fields
/// that explain a purpose or a reason need neither, since a person is named by their person key.
/// </summary>
/// <remarks>NOTE: numbers written with spaces or dashes ("138 1234 5678") are not found.</remarks>
public static partial class IdentifiersInText
{
    public static bool Contains(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (Match match in DigitRun().Matches(text))
        {
            if ((match.Length == 18 && ChineseIdNumber.IsValid(match.Value)) || (match.Length == 11 && MobileNumber.IsValid(match.Value)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A run of digits, with an X allowed as the last of 18 (the ID check character).</summary>
    [GeneratedRegex("(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]+)(?![0-9Xx])")]
    private static partial Regex DigitRun();
}
