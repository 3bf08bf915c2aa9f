using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Shanzhi.Geography;

/// <summary>A county-level unit of Ningbo with its boundary in WGS84 (X = longitude, Y = latitude).</summary>
internal sealed record District(string Code, string Name, Geometry Boundary, double CenterLatitude, double CenterLongitude);

/// <summary>
/// Reads the bundled Ningbo district layer (DataV GeoAtlas format, GCJ-02) and converts it to WGS84.
/// </summary>
internal static class NingboDistricts
{
    public const string CityCode = "330200";
    public const string CityName = "宁波市";

    private const string ResourceName = "Shanzhi.Geography.ningbo-330200-districts.json";

    private static readonly Lazy<IReadOnlyList<District>> Cached = new(Read);

    /// <summary>The ten districts in code order; parsed and converted once per process.</summary>
    public static IReadOnlyList<District> All => Cached.Value;

    private static List<District> Read()
    {
        using var stream = typeof(NingboDistricts).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from Shanzhi.Core.");
        var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } };
        var collection = JsonSerializer.Deserialize<FeatureCollection>(stream, options)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is not a GeoJSON FeatureCollection.");

        var districts = new List<District>(collection.Count);
        foreach (var feature in collection)
        {
            var code = GeoJsonProperties.ReadString(feature.Attributes, "adcode")
                ?? throw new InvalidOperationException($"A feature of {ResourceName} has no adcode.");
            var name = GeoJsonProperties.ReadString(feature.Attributes, "name")
                ?? throw new InvalidOperationException($"Feature {code} of {ResourceName} has no name.");
            var boundary = Gcj02.ToWgs84(feature.Geometry);

            // DataV "center" is the seat of the district government, in GCJ-02 like the boundary.
            var (centerLat, centerLon) = ReadCenter(feature.Attributes) is { } center
                ? Gcj02.ToWgs84(center.Latitude, center.Longitude)
                : (boundary.InteriorPoint.Y, boundary.InteriorPoint.X);
            districts.Add(new District(code, name, boundary, centerLat, centerLon));
        }

        return [.. districts.OrderBy(d => d.Code, StringComparer.Ordinal)];
    }

    private static (double Latitude, double Longitude)? ReadCenter(IAttributesTable attributes)
    {
        if (!attributes.Exists("center") || attributes["center"] is not JsonElement { ValueKind: JsonValueKind.Array } center
            || center.GetArrayLength() != 2)
        {
            return null;
        }

        return (center[1].GetDouble(), center[0].GetDouble());
    }
}

/// <summary>Reads feature properties that GeoJSON files give as strings in one file and numbers in another.</summary>
internal static class GeoJsonProperties
{
    public static string? ReadString(IAttributesTable? attributes, string name)
    {
        if (attributes is null || !attributes.Exists(name))
        {
            return null;
        }

        var text = attributes[name] switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
            JsonElement => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
