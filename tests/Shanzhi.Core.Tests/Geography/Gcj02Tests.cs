using NetTopologySuite.Geometries;
using Shanzhi.Geography;

namespace Shanzhi.Tests.Geography;

public sealed class Gcj02Tests
{
    // 1e-6 degree is about 0.1 m: well inside the "under 1 m" the conversion promises.
    private const double Tolerance = 1e-6;

    /// <summary>WGS84 → GCJ-02 pairs published with the eviltransform and coordtransform libraries.</summary>
    public static TheoryData<double, double, double, double> KnownPairs => new()
    {
        { 31.1774276, 121.5272106, 31.17530398364597, 121.531541859215 },
        { 22.543847, 113.912316, 22.540796131694766, 113.9171764808363 },
        { 39.911954, 116.377817, 39.91334545536069, 116.38404722455657 },
        { 39.915, 116.404, 39.91640428150164, 116.41024449916938 },
    };

    [Theory]
    [MemberData(nameof(KnownPairs))]
    public void FromWgs84_matches_published_pairs(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var (lat, lon) = Gcj02.FromWgs84(wgsLat, wgsLon);

        Assert.Equal(gcjLat, lat, Tolerance);
        Assert.Equal(gcjLon, lon, Tolerance);
    }

    [Theory]
    [MemberData(nameof(KnownPairs))]
    public void ToWgs84_inverts_published_pairs(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var (lat, lon) = Gcj02.ToWgs84(gcjLat, gcjLon);

        Assert.Equal(wgsLat, lat, Tolerance);
        Assert.Equal(wgsLon, lon, Tolerance);
    }

    [Fact]
    public void ToWgs84_round_trips_within_a_millimetre()
    {
        for (var lat = 28.8; lat <= 30.6; lat += 0.05)
        {
            for (var lon = 120.8; lon <= 122.4; lon += 0.05)
            {
                var (gcjLat, gcjLon) = Gcj02.FromWgs84(lat, lon);
                var (backLat, backLon) = Gcj02.ToWgs84(gcjLat, gcjLon);

                Assert.Equal(lat, backLat, 1e-8);
                Assert.Equal(lon, backLon, 1e-8);
            }
        }
    }

    [Fact]
    public void FromWgs84_offset_is_hundreds_of_metres()
    {
        var (lat, lon) = Gcj02.FromWgs84(29.87, 121.55);

        // About 111 km per degree of latitude and 96 km per degree of longitude at 30 °N.
        var metres = Math.Sqrt(Math.Pow((lat - 29.87) * 111_000, 2) + Math.Pow((lon - 121.55) * 96_000, 2));
        Assert.InRange(metres, 300, 700);
    }

    [Theory]
    [InlineData(48.8566, 2.3522)]
    [InlineData(-33.8688, 151.2093)]
    [InlineData(40.7128, -74.0060)]
    public void Conversion_outside_China_is_identity(double latitude, double longitude)
    {
        Assert.Equal((latitude, longitude), Gcj02.FromWgs84(latitude, longitude));
        Assert.Equal((latitude, longitude), Gcj02.ToWgs84(latitude, longitude));
    }

    [Fact]
    public void ToWgs84_geometry_converts_a_copy()
    {
        var factory = new GeometryFactory();
        var polygon = factory.CreatePolygon([new(121.5, 29.8), new(121.6, 29.8), new(121.6, 29.9), new(121.5, 29.8)]);

        var converted = Gcj02.ToWgs84(polygon);

        Assert.Equal(121.5, polygon.Coordinates[0].X);
        for (var i = 0; i < polygon.Coordinates.Length; i++)
        {
            var (lat, lon) = Gcj02.ToWgs84(polygon.Coordinates[i].Y, polygon.Coordinates[i].X);
            Assert.Equal(lon, converted.Coordinates[i].X);
            Assert.Equal(lat, converted.Coordinates[i].Y);
        }
    }
}
