using System.Text.RegularExpressions;

namespace Shanzhi.Privacy;

/// <summary>
/// Finds direct identifiers typed into free text: resident ID numbers with a valid check digit and
/// mainland mobile numbers, each standing alone rather than inside a longer run of digits. Fields
/// that explain a purpose or a reason need neither, since a person is named by their person key.
/// </summary>
/// <remarks>
/// A number may be written in groups joined by single spaces or dashes ("138 0013 8000",
/// "990101-19900101-0019"), and a mobile number may carry an 86, +86 or 0086 prefix. Names are not
/// detected, because no pattern distinguishes a name from other Chinese words.
/// </remarks>
public static partial class IdentifiersInText
{
    private const int IdLength = 18;
    private const int MobileLength = 11;

    /// <summary>
    /// Returns the validation failure for a free-text <paramref name="field"/> that contains an ID number
    /// or a mobile number, under the calling module's <paramref name="code"/>, or null when it contains none.
    /// </summary>
    public static Error? Check(string? text, string code, string field) =>
        Contains(text) ? Error.Invalid(code, field, Message) : null;

    /// <summary>The Chinese text shown for every rejected field, so the wording is reviewed in one place.</summary>
    public const string Message =
        "此处不能填写身份证号或手机号（带空格、横线或 +86 的写法同样不行）：涉及人员时请写人员编号，或描述其身份特征（如“外地送货司机”），不要写证件号码或电话号码。";

    public static bool Contains(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (Match match in GroupedDigitRun().Matches(text))
        {
            if (ContainsIdentifier(match.Value.Split([' ', '-'])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Checks every span of whole groups, so a date or a case number written next to a phone number
    /// does not hide it, while a group is never cut: a 15-digit grid code contains no 11-digit number.
    /// </summary>
    private static bool ContainsIdentifier(string[] groups)
    {
        for (var first = 0; first < groups.Length; first++)
        {
            var digits = "";
            for (var last = first; last < groups.Length && digits.Length <= IdLength; last++)
            {
                digits += groups[last];
                if (IsIdentifier(digits))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsIdentifier(string digits) => digits.Length switch
    {
        IdLength => ChineseIdNumber.IsValid(digits),
        MobileLength => MobileNumber.IsValid(digits),

        // Country code 86 glued to the number, written as 86 or 0086 (the "+" is not part of the run).
        MobileLength + 2 => digits.StartsWith("86", StringComparison.Ordinal) && MobileNumber.IsValid(digits[2..]),
        MobileLength + 4 => digits.StartsWith("0086", StringComparison.Ordinal) && MobileNumber.IsValid(digits[4..]),
        _ => false,
    };

    /// <summary>Groups of digits joined by single spaces or dashes, with an X allowed at the very end (the ID check character).</summary>
    [GeneratedRegex("(?<![0-9])[0-9]+(?:[ -][0-9]+)*[Xx]?(?![0-9Xx])")]
    private static partial Regex GroupedDigitRun();
}
