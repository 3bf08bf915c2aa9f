using Microsoft.Extensions.Time.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO;
using Shanzhi.Geography;

namespace Shanzhi.Tests.Geography;

public sealed class GridLocatorTests
{
    private static readonly GeometryFactory Factory = new();
    private static readonly DateOnly Today = new(2026, 3, 2);

    private static readonly Lazy<(GridLocator Locator, List<Region> Regions)> Ningbo = new(() =>
    {
        var regions = NingboRegions.Create(Today.AddDays(-30));
        var locator = NewLocator();
        locator.Load(regions);
        return (locator, regions);
    });

    [Fact]
    public void Locate_matches_NTS_on_random_points()
    {
        var (locator, regions) = Ningbo.Value;
        var reader = new WKBReader();
        var tree = new STRtree<(Region Region, IPreparedGeometry Boundary)>();
        foreach (var region in regions.Where(r => r.Boundary is not null))
        {
            var boundary = reader.Read(region.Boundary);
            tree.Insert(boundary.EnvelopeInternal, (region, PreparedGeometryFactory.Prepare(boundary)));
        }

        var extent = reader.Read(regions.Single(r => r.Code == "330200").Boundary).EnvelopeInternal;
        var random = new Random(7);
        var inGrids = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var point = new Point(extent.MinX + (random.NextDouble() * extent.Width), extent.MinY + (random.NextDouble() * extent.Height));
            var covering = tree.Query(point.EnvelopeInternal).Where(x => x.Boundary.Covers(point)).Select(x => x.Region).ToList();
            RegionLevel? deepest = covering.Count == 0 ? null : covering.Max(r => r.Level);

            var located = locator.Locate(point.Y, point.X);

            if (deepest is null)
            {
                Assert.Null(located);
                continue;
            }

            Assert.NotNull(located);
            Assert.Contains(located.RegionCode, covering.Where(r => r.Level == deepest).Select(r => r.Code));
            inGrids += located.Level == RegionLevel.Grid ? 1 : 0;
        }

        // The city covers about 40 % of its bounding box; a locator that found nothing would pass the loop.
        Assert.InRange(inGrids, 15_000, 30_000);
    }

    [Fact]
    public void Locate_central_Haishu_returns_Haishu_grid()
    {
        var (locator, _) = Ningbo.Value;

        // Near Tianyi Square, central Haishu District, in WGS84.
        var located = locator.Locate(29.8695, 121.5480);

        Assert.NotNull(located);
        Assert.Equal(RegionLevel.Grid, located.Level);
        Assert.StartsWith("330203", located.RegionCode, StringComparison.Ordinal);
        Assert.StartsWith("/330200/330203/", located.RegionPath, StringComparison.Ordinal);
        Assert.EndsWith("网格", located.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31.2304, 121.4737)]
    [InlineData(30.2741, 120.1551)]
    [InlineData(29.5, 123.5)]
    [InlineData(double.NaN, 121.5)]
    public void Locate_outside_Ningbo_returns_null(double latitude, double longitude)
    {
        var (locator, _) = Ningbo.Value;

        Assert.Null(locator.Locate(latitude, longitude));
    }

    [Fact]
    public void Load_indexes_every_generated_grid()
    {
        var (locator, regions) = Ningbo.Value;

        Assert.Equal(regions.Count(r => r.Level == RegionLevel.Grid), locator.Count);
    }

    [Fact]
    public void Locate_before_load_returns_null()
    {
        Assert.Null(new GridLocator().Locate(29.87, 121.55));
    }

    [Fact]
    public void Locate_prefers_deeper_level()
    {
        var locator = NewLocator();
        locator.Load([
            NewRegion("330299", RegionLevel.District, Square(0, 0, 10, 10)),
            NewRegion("330299001001001", RegionLevel.Grid, Square(2, 2, 3, 3), generated: true),
        ]);

        Assert.Equal("330299001001001", locator.Locate(2.5, 2.5)?.RegionCode);
        Assert.Equal("330299", locator.Locate(5.5, 5.5)?.RegionCode);
        Assert.Equal(RegionLevel.District, locator.Locate(5.5, 5.5)?.Level);
    }

    [Fact]
    public void Locate_prefers_real_over_generated()
    {
        var locator = NewLocator();
        locator.Load([
            NewRegion("330299001001001", RegionLevel.Grid, Square(0, 0, 2, 2), generated: true),
            NewRegion("330299901001001", RegionLevel.Grid, Square(1, 1, 3, 3)),
        ]);

        Assert.Equal("330299901001001", locator.Locate(1.5, 1.5)?.RegionCode);
        Assert.Equal("330299001001001", locator.Locate(0.5, 0.5)?.RegionCode);
    }

    [Fact]
    public void Load_skips_retired_and_future_regions()
    {
        var locator = NewLocator();
        var retired = NewRegion("330299001001001", RegionLevel.Grid, Square(0, 0, 1, 1));
        retired.ValidTo = Today;
        var future = NewRegion("330299001001002", RegionLevel.Grid, Square(1, 0, 2, 1));
        future.ValidFrom = Today.AddDays(1);
        var current = NewRegion("330299001001003", RegionLevel.Grid, Square(2, 0, 3, 1));
        current.ValidTo = Today.AddDays(1);

        locator.Load([retired, future, current]);

        Assert.Null(locator.Locate(0.5, 0.5));
        Assert.Null(locator.Locate(0.5, 1.5));
        Assert.Equal("330299001001003", locator.Locate(0.5, 2.5)?.RegionCode);
        Assert.Equal(1, locator.Count);
    }

    [Fact]
    public void Locate_on_shared_edge_returns_eastern_region()
    {
        var locator = NewLocator();
        locator.Load([
            NewRegion("330299001001001", RegionLevel.Grid, Square(0, 0, 1, 1)),
            NewRegion("330299001001002", RegionLevel.Grid, Square(1, 0, 2, 1)),
        ]);

        Assert.Equal("330299001001002", locator.Locate(0.5, 1.0)?.RegionCode);
    }

    [Fact]
    public void Locate_handles_holes_and_multipolygons()
    {
        var shell = Square(0, 0, 4, 4);
        var withHole = Factory.CreatePolygon(shell.Shell, [Square(1, 1, 3, 3).Shell]);
        var islands = Factory.CreateMultiPolygon([withHole, Square(6, 0, 7, 1)]);
        var locator = NewLocator();
        locator.Load([NewRegion("330299001001001", RegionLevel.Grid, islands)]);

        Assert.NotNull(locator.Locate(0.5, 0.5));
        Assert.Null(locator.Locate(2, 2));
        Assert.NotNull(locator.Locate(0.5, 6.5));
        Assert.Null(locator.Locate(0.5, 5));
    }

    [Fact]
    public void Load_replaces_previous_index()
    {
        var locator = NewLocator();
        locator.Load([NewRegion("330299001001001", RegionLevel.Grid, Square(0, 0, 1, 1))]);

        locator.Load([NewRegion("330299001001002", RegionLevel.Grid, Square(5, 5, 6, 6))]);

        Assert.Null(locator.Locate(0.5, 0.5));
        Assert.Equal("330299001001002", locator.Locate(5.5, 5.5)?.RegionCode);
    }

    private static GridLocator NewLocator() =>
        new(new FakeTimeProvider(new DateTimeOffset(Today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8))));

    private static Region NewRegion(string code, RegionLevel level, Geometry boundary, bool generated = false) => new()
    {
        Code = code,
        Level = level,
        Name = code,
        Path = $"/{code}/",
        Boundary = new WKBWriter().Write(boundary),
        IsGenerated = generated,
        ValidFrom = Today.AddDays(-1),
    };

    private static Polygon Square(double minX, double minY, double maxX, double maxY) =>
        (Polygon)Factory.ToGeometry(new Envelope(minX, maxX, minY, maxY));
}
