using System.Globalization;
using Shanzhi.Privacy;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>
/// Check-digit-valid ID numbers that belong to no one: the region code 990101 is not assigned
/// by GB/T 2260, so no real card carries it.
/// </summary>
internal static class SyntheticIds
{
    public const string Region = "990101";

    /// <summary>The <paramref name="n"/>-th synthetic number (0–999), born 1990-01-01 plus n days.</summary>
    public static string Id(int n) => BornOn(new DateOnly(1990, 1, 1).AddDays(n), n);

    /// <summary>A synthetic number with the given birth date and sequence <paramref name="n"/> (0–999).</summary>
    public static string BornOn(DateOnly birth, int n = 0)
    {
        var first17 = Region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 1000).ToString("D3", CultureInfo.InvariantCulture);
        return first17 + ChineseIdNumber.CheckCharacter(first17);
    }

    /// <summary>The same number with its check character wrong.</summary>
    public static string WithBadCheckDigit(int n)
    {
        var id = Id(n);
        return id[..17] + (id[17] == '0' ? '1' : '0');
    }
}
