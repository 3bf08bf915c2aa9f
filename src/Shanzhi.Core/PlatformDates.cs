using System.Globalization;

namespace Shanzhi;

/// <summary>
/// Dates the platform accepts as input: 2000-01-01 to 2099-12-31. Business dates outside that
/// range are typing mistakes, and at the extremes of <see cref="DateOnly"/> adding a day throws.
/// </summary>
public static class PlatformDates
{
    public static readonly DateOnly First = new(2000, 1, 1);

    public static readonly DateOnly Last = new(2099, 12, 31);

    public static bool IsSupported(DateOnly day) => day >= First && day <= Last;

    public static bool IsSupported(DateTimeOffset instant) => instant.Year is >= 2000 and <= 2099;

    /// <summary>Tells whether an ISO 8601 time names its UTC offset (<c>Z</c> or <c>±hh:mm</c>) rather than leaving the reader to guess.</summary>
    public static bool HasOffset(string text)
    {
        var time = text.IndexOf('T', StringComparison.Ordinal);
        if (time < 0)
        {
            return false;
        }

        return text.EndsWith('Z') || text.EndsWith('z') || text.AsSpan(time).IndexOfAny('+', '-') > 0;
    }

    /// <summary>The Chinese text that follows a field name whose date is outside the supported range, naming the range.</summary>
    public static readonly string OutOfRangeText = string.Create(CultureInfo.InvariantCulture,
        $"超出支持范围，请使用 {First:yyyy-MM-dd} 至 {Last:yyyy-MM-dd} 之间的日期。");

    public static Error OutOfRange(string field) => Error.Invalid("request.date_out_of_range", field, $"日期 {field} {OutOfRangeText}");

    /// <summary>Returns the first argument outside the supported range as an error, or null when all are supported.</summary>
    public static Error? Check(params (string Field, DateOnly? Day)[] days) =>
        days.FirstOrDefault(d => d.Day is { } day && !IsSupported(day)) is { Field: not null } bad ? OutOfRange(bad.Field) : null;
}
