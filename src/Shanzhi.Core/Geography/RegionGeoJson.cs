using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Shanzhi.Geography;

/// <summary>
/// Writes region boundaries as a GeoJSON FeatureCollection for the map: WGS84 longitude/latitude
/// rounded to a fixed number of decimals (6 decimals is about 0.1 m, and keeps the 10,000 generated
/// grids near 2 MB), with the properties <c>code</c>, <c>name</c>, <c>level</c> and <c>generated</c>.
/// </summary>
public static class RegionGeoJson
{
    public const int DefaultDecimals = 6;

    // Flush to the stream every so many features, so a large layer never sits whole in the buffer.
    private const int FeaturesPerFlush = 256;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the collection asynchronously; use this on ASP.NET Core response bodies, which forbid synchronous writes.</summary>
    public static async Task WriteFeatureCollectionAsync(
        Stream stream, IEnumerable<Region> regions, int decimals = DefaultDecimals, CancellationToken cancellationToken = default)
    {
        await using var writer = new Utf8JsonWriter(stream, WriterOptions);
        var reader = new WKBReader();
        WriteStart(writer);
        var count = 0;
        foreach (var region in regions)
        {
            WriteFeature(writer, reader, region, decimals);
            if (++count % FeaturesPerFlush == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        WriteEnd(writer);
        await writer.FlushAsync(cancellationToken);
    }

    public static void WriteFeatureCollection(Stream stream, IEnumerable<Region> regions, int decimals = DefaultDecimals)
    {
        using var writer = new Utf8JsonWriter(stream, WriterOptions);
        var reader = new WKBReader();
        WriteStart(writer);
        foreach (var region in regions)
        {
            WriteFeature(writer, reader, region, decimals);
        }

        WriteEnd(writer);
        writer.Flush();
    }

    /// <summary>The <c>level</c> property value: city, district, street, community, grid, micro_grid or external.</summary>
    public static string LevelName(RegionLevel level) => level switch
    {
        RegionLevel.City => "city",
        RegionLevel.District => "district",
        RegionLevel.Street => "street",
        RegionLevel.Community => "community",
        RegionLevel.Grid => "grid",
        RegionLevel.MicroGrid => "micro_grid",
        RegionLevel.External => "external",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown region level."),
    };

    private static void WriteStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
    }

    private static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFeature(Utf8JsonWriter writer, WKBReader reader, Region region, int decimals)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteStartObject("properties");
        writer.WriteString("code", region.Code);
        writer.WriteString("name", region.Name);
        writer.WriteString("level", LevelName(region.Level));
        writer.WriteBoolean("generated", region.IsGenerated);
        writer.WriteEndObject();

        writer.WritePropertyName("geometry");
        var polygons = region.Boundary is null ? [] : PolygonsOf(reader.Read(region.Boundary));
        if (polygons.Count == 0)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteString("type", polygons.Count == 1 ? "Polygon" : "MultiPolygon");
            writer.WriteStartArray("coordinates");
            foreach (var polygon in polygons)
            {
                WritePolygon(writer, polygon, decimals, nested: polygons.Count > 1);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static List<Polygon> PolygonsOf(Geometry geometry)
    {
        var polygons = new List<Polygon>();
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            if (geometry.GetGeometryN(i) is Polygon { IsEmpty: false } polygon)
            {
                polygons.Add(polygon);
            }
        }

        return polygons;
    }

    /// <summary>Writes a polygon's rings (inside its own array when part of a MultiPolygon).</summary>
    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon, int decimals, bool nested)
    {
        if (nested)
        {
            writer.WriteStartArray();
        }

        WriteRing(writer, polygon.Shell, decimals);
        foreach (var hole in polygon.Holes)
        {
            WriteRing(writer, hole, decimals);
        }

        if (nested)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>Writes a ring with rounded coordinates, dropping vertices that rounding made equal to the previous one.</summary>
    private static void WriteRing(Utf8JsonWriter writer, LinearRing ring, int decimals)
    {
        writer.WriteStartArray();
        var sequence = ring.CoordinateSequence;
        double? previousX = null;
        double? previousY = null;
        for (var i = 0; i < sequence.Count; i++)
        {
            var x = Math.Round(sequence.GetX(i), decimals);
            var y = Math.Round(sequence.GetY(i), decimals);
            if (x == previousX && y == previousY)
            {
                continue;
            }

            writer.WriteStartArray();
            writer.WriteNumberValue(x);
            writer.WriteNumberValue(y);
            writer.WriteEndArray();
            (previousX, previousY) = (x, y);
        }

        writer.WriteEndArray();
    }
}
