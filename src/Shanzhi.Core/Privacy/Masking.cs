namespace Shanzhi.Privacy;

/// <summary>
/// Masked display of personal data, the default wherever staff see a record. Showing the clear
/// value is a separate, audited reveal.
/// </summary>
public static class Masking
{
    // Administrative levels an address keeps, widest first. After the last level found, one road
    // name (…路/街/巷/弄/道) is kept too. Everything after it (number, building, room) is hidden.
    private static readonly string[] AreaSuffixes = ["省", "自治区", "市", "自治州", "区", "县", "街道", "镇", "乡"];
    private static readonly char[] RoadSuffixes = ['路', '街', '巷', '弄', '道'];
    private const string Hidden = "****";

    /// <summary>First 4 and last 4 characters: "330203199001011234" becomes "3302**********1234".</summary>
    public static string IdNumber(string value)
    {
        var id = ChineseIdNumber.Normalize(value);
        return id.Length <= 8 ? new string('*', id.Length) : id[..4] + new string('*', id.Length - 8) + id[^4..];
    }

    /// <summary>First 3 and last 4 digits of a mobile number: "13812345678" becomes "138****5678"; other numbers keep the last 4.</summary>
    public static string Phone(string value)
    {
        var number = MobileNumber.Normalize(value);
        if (number.Length == 11)
        {
            return number[..3] + "****" + number[^4..];
        }

        return number.Length <= 4 ? new string('*', number.Length) : new string('*', number.Length - 4) + number[^4..];
    }

    /// <summary>
    /// Keeps the first character (the surname) and replaces each other character with *: "张三"
    /// becomes "张*". Two-character surnames (欧阳, 司马) show only their first character, which
    /// hides more rather than less; a one-character name becomes "*".
    /// </summary>
    public static string Name(string value)
    {
        var name = value.Trim();
        var chars = System.Globalization.StringInfo.ParseCombiningCharacters(name);
        if (chars.Length <= 1)
        {
            return new string('*', chars.Length);
        }

        var second = chars[1];
        return name[..second] + new string('*', chars.Length - 1);
    }

    /// <summary>
    /// Keeps the administrative part and the road: "浙江省宁波市海曙区鼓楼街道中山西路138号3幢501室"
    /// becomes "浙江省宁波市海曙区鼓楼街道中山西路****". An address with no recognisable area is hidden whole.
    /// </summary>
    public static string Address(string value)
    {
        var address = value.Trim();
        var keep = 0;
        foreach (var suffix in AreaSuffixes)
        {
            var at = address.IndexOf(suffix, keep, StringComparison.Ordinal);
            if (at >= 0)
            {
                keep = at + suffix.Length;
            }
        }

        if (keep == 0)
        {
            return Hidden;
        }

        var road = address.IndexOfAny(RoadSuffixes, keep);
        if (road >= 0)
        {
            keep = road + 1;
        }

        return keep >= address.Length ? address : address[..keep] + Hidden;
    }
}
