namespace Shanzhi.Privacy;

/// <summary>Mainland China mobile numbers: 11 digits starting 13–19, optionally written with +86.</summary>
public static class MobileNumber
{
    /// <summary>Digits only, without a leading 86 country code: "+86 138-1234-5678" becomes "13812345678".</summary>
    public static string Normalize(string value)
    {
        var digits = new string([.. value.Where(char.IsAsciiDigit)]);
        return digits.Length == 13 && digits.StartsWith("86", StringComparison.Ordinal) ? digits[2..] : digits;
    }

    public static bool IsValid(string value)
    {
        var number = Normalize(value);
        return number.Length == 11 && number[0] == '1' && number[1] is >= '3' and <= '9';
    }

    /// <summary>The validation failure for a form field, or null when <paramref name="value"/> is valid.</summary>
    public static Error? Validate(string value, string field) => IsValid(value)
        ? null
        : Error.Invalid("privacy.mobile_invalid", field, "手机号码无效：应为 11 位、以 13 至 19 开头的中国大陆手机号。请核对后重新输入。");
}
