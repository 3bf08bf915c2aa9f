using Shanzhi.Privacy.Classification;

namespace Shanzhi.Geography;

/// <summary>Level of a node in the region tree, from the city down to a micro-grid.</summary>
public enum RegionLevel
{
    City = 1,
    District = 2,
    Street = 3,
    Community = 4,
    Grid = 5,
    MicroGrid = 6,

    /// <summary>Holds records located outside every configured region, so they are never dropped.</summary>
    External = 9,
}

/// <summary>
/// A node of the region tree. <see cref="Path"/> lists the codes from the root down to this node
/// (<c>/330200/330203/330203001/</c>), so "is inside my scope" is a prefix test that works for any
/// code scheme, whether GB/T 2260, a 15-digit unit-grid code or an imported layer.
/// </summary>
[Classify(DataClass.Public, "区划与网格", Activity = "区划与网格")]
public sealed class Region
{
    /// <summary>Code of the region that contains records located outside every configured region.</summary>
    public const string ExternalCode = "EXTERNAL";

    public required string Code { get; init; }

    public string? ParentCode { get; init; }

    public RegionLevel Level { get; init; }

    [Classify(DataClass.Public, "区划名称")]
    public required string Name { get; set; }

    public required string Path { get; init; }

    /// <summary>Boundary as WKB in WGS84 longitude/latitude; null for the external region.</summary>
    public byte[]? Boundary { get; set; }

    [Classify(DataClass.Public, "区划中心点（地理位置，不是个人）")]
    public double? CenterLatitude { get; set; }

    [Classify(DataClass.Public, "区划中心点（地理位置，不是个人）")]
    public double? CenterLongitude { get; set; }

    private bool _isGenerated;

    /// <summary>True for streets, communities and grids produced by tessellation until a city imports real layers.</summary>
    public bool IsGenerated { get => _isGenerated; init => _isGenerated = value; }

    public DateOnly ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public static string ChildPath(string parentPath, string code) => $"{parentPath}{code}/";

    /// <summary>True from <see cref="ValidFrom"/> up to, but not including, <see cref="ValidTo"/>.</summary>
    public bool IsCurrentOn(DateOnly day) => ValidFrom <= day && (ValidTo is null || day < ValidTo);

    /// <summary>
    /// Applies an imported feature with this code. A generated region becomes a real one (the code is
    /// the key, so a real layer that reuses a generated code takes over that row), and a generated or
    /// retired region starts a new validity on <paramref name="day"/>.
    /// </summary>
    public void ApplyImport(string name, byte[] boundary, double centerLatitude, double centerLongitude, DateOnly day)
    {
        if (_isGenerated || !IsCurrentOn(day))
        {
            ValidFrom = day;
        }

        _isGenerated = false;
        ValidTo = null;
        Name = name;
        Boundary = boundary;
        CenterLatitude = centerLatitude;
        CenterLongitude = centerLongitude;
    }
}

/// <summary>Calendar date in China Standard Time, UTC+8 all year (no daylight saving since 1991).</summary>
internal static class ChinaCalendar
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider timeProvider) =>
        DateOnly.FromDateTime(timeProvider.GetUtcNow().ToOffset(Offset).DateTime);
}
