using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using Shanzhi.Geography;

namespace Shanzhi.Tests.Geography;

public sealed class RegionGeoJsonTests
{
    private static readonly List<Region> Regions = NingboRegions.Create(new DateOnly(2026, 1, 1));

    [Fact]
    public void WriteFeatureCollection_writes_properties_of_each_region()
    {
        var districts = Regions.Where(r => r.Level == RegionLevel.District).ToList();

        var collection = ReadBack(stream => RegionGeoJson.WriteFeatureCollection(stream, districts));

        Assert.Equal(10, collection.Count);
        var haishu = collection.Single(f => (string)f.Attributes["code"] == "330203");
        Assert.Equal("海曙区", haishu.Attributes["name"]);
        Assert.Equal("district", haishu.Attributes["level"]);
        Assert.Equal(false, haishu.Attributes["generated"]);
    }

    [Fact]
    public void WriteFeatureCollection_keeps_shapes_to_six_decimals()
    {
        var xiangshan = Regions.Single(r => r.Code == "330225");

        var collection = ReadBack(stream => RegionGeoJson.WriteFeatureCollection(stream, [xiangshan]));

        var original = new WKBReader().Read(xiangshan.Boundary);
        var written = collection[0].Geometry;
        Assert.Equal("MultiPolygon", written.GeometryType);
        Assert.Equal(original.NumGeometries, written.NumGeometries);
        Assert.All(written.Coordinates, c => Assert.Equal(Math.Round(c.X, 6), c.X));
        Assert.Equal(original.Area, written.Area, original.Area * 1e-5);
    }

    [Fact]
    public void External_region_gets_null_geometry()
    {
        var external = Regions.Single(r => r.Code == Region.ExternalCode);

        var collection = ReadBack(stream => RegionGeoJson.WriteFeatureCollection(stream, [external]));

        Assert.Null(collection[0].Geometry);
        Assert.Equal("external", collection[0].Attributes["level"]);
    }

    [Fact]
    public async Task All_grids_fit_in_a_few_megabytes()
    {
        var grids = Regions.Where(r => r.Level == RegionLevel.Grid).ToList();
        using var stream = new MemoryStream();

        await RegionGeoJson.WriteFeatureCollectionAsync(stream, grids, cancellationToken: TestContext.Current.CancellationToken);

        Assert.InRange(stream.Length, 1_000_000, 4_000_000);
        stream.Position = 0;
        var collection = Deserialize(stream);
        Assert.Equal(grids.Count, collection.Count);
        Assert.All(collection, f => Assert.Equal(true, f.Attributes["generated"]));
    }

    private static FeatureCollection ReadBack(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        stream.Position = 0;
        return Deserialize(stream);
    }

    private static FeatureCollection Deserialize(Stream stream) =>
        JsonSerializer.Deserialize<FeatureCollection>(stream, new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } })!;
}
