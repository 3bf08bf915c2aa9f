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

    private static readonly string[] LocalTimeFormats =
        ["yyyy'-'MM'-'dd'T'HH':'mm", "yyyy'-'MM'-'dd'T'HH':'mm':'ss", "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'FFFFFFF"];

    /// <summary>
    /// Parses an ISO 8601 time with its UTC offset (<c>Z</c> or <c>±hh:mm</c>), such as
    /// <c>2026-03-02T09:00:00+08:00</c>, of any year. The range check is left to the caller, so that
    /// a well-formed time outside the platform's range can be rejected as too old or in the future
    /// rather than as invalid. A time whose UTC instant falls outside <see cref="DateTimeOffset"/>'s
    /// range (in year 1 east of UTC, or in year 9999 west of it) is read as that range's end.
    /// </summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        var offsetStart = text.EndsWith('Z') || text.EndsWith('z') ? text.Length - 1 : text.Length - "+08:00".Length;
        if (offsetStart < 0
            || !DateTime.TryParseExact(text[..offsetStart], LocalTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            || !TryParseOffset(text[offsetStart..], out var offset))
        {
            return false;
        }

        // DateTimeOffset's constructor throws when local time minus offset leaves its range.
        var utcTicks = local.Ticks - offset.Ticks;
        instant = utcTicks < DateTimeOffset.MinValue.UtcTicks ? DateTimeOffset.MinValue
            : utcTicks > DateTimeOffset.MaxValue.UtcTicks ? DateTimeOffset.MaxValue
            : new DateTimeOffset(local, offset);
        return true;
    }

    /// <summary>Parses <c>Z</c> or <c>±hh:mm</c> up to ±14:00, the range <see cref="DateTimeOffset"/> accepts.</summary>
    private static bool TryParseOffset(string text, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text is "Z" or "z")
        {
            return true;
        }

        if (text.Length != 6 || text[0] is not ('+' or '-')
            || !TimeSpan.TryParseExact(text[1..], "hh':'mm", CultureInfo.InvariantCulture, out var magnitude)
            || magnitude > TimeSpan.FromHours(14))
        {
            return false;
        }

        offset = text[0] == '-' ? -magnitude : magnitude;
        return true;
    }

    /// <summary>The Chinese text that follows a field name whose date is outside the supported range, naming the range.</summary>
    public static readonly string OutOfRangeText = string.Create(CultureInfo.InvariantCulture,
        $"超出支持范围，请使用 {First:yyyy-MM-dd} 至 {Last:yyyy-MM-dd} 之间的日期。");

    public static Error OutOfRange(string field) => Error.Invalid("request.date_out_of_range", field, $"日期 {field} {OutOfRangeText}");

    /// <summary>Returns the first argument outside the supported range as an error, or null when all are supported.</summary>
    public static Error? Check(params (string Field, DateOnly? Day)[] days) =>
        days.FirstOrDefault(d => d.Day is { } day && !IsSupported(day)) is { Field: not null } bad ? OutOfRange(bad.Field) : null;
}
