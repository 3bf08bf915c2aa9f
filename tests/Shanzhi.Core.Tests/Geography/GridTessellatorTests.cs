using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Shanzhi.Geography;

namespace Shanzhi.Tests.Geography;

public sealed class GridTessellatorTests
{
    private static readonly GeometryFactory Factory = new();

    // Unit cells, 2 × 2 communities, 4 × 4 streets; no street merging so the small cases keep their blocks.
    private static readonly TessellationLayout UnitLayout = new(1, 1, 2, 4, 0.2, 0);

    [Fact]
    public void Ningbo_tree_has_about_ten_thousand_grids()
    {
        var regions = NingboRegions.Create(new DateOnly(2026, 1, 1));

        Assert.InRange(regions.Count(r => r.Level == RegionLevel.Grid), 9_500, 10_500);
        Assert.InRange(regions.Count(r => r.Level == RegionLevel.Street), 120, 180);
        Assert.InRange(regions.Count(r => r.Level == RegionLevel.Community), 2_000, 3_500);
    }

    [Fact]
    public void Ningbo_tree_has_city_districts_and_external_region()
    {
        var regions = NingboRegions.Create(new DateOnly(2026, 1, 1)).ToDictionary(r => r.Code);

        Assert.Equal("/330200/", regions["330200"].Path);
        Assert.Equal(RegionLevel.City, regions["330200"].Level);
        Assert.Equal(10, regions.Values.Count(r => r.Level == RegionLevel.District && r.ParentCode == "330200"));
        Assert.Equal("/330200/330203/", regions["330203"].Path);
        Assert.Equal("海曙区", regions["330203"].Name);
        Assert.Equal("/EXTERNAL/", regions[Region.ExternalCode].Path);
        Assert.Equal(RegionLevel.External, regions[Region.ExternalCode].Level);
        Assert.Null(regions[Region.ExternalCode].Boundary);
    }

    [Fact]
    public void Ningbo_grid_codes_extend_their_parents_codes()
    {
        var regions = NingboRegions.Create(new DateOnly(2026, 1, 1)).ToDictionary(r => r.Code);

        foreach (var grid in regions.Values.Where(r => r.Level == RegionLevel.Grid))
        {
            Assert.Matches("^[0-9]{15}$", grid.Code);
            var community = regions[grid.ParentCode!];
            var street = regions[community.ParentCode!];
            var district = regions[street.ParentCode!];
            Assert.Equal(RegionLevel.Community, community.Level);
            Assert.Equal(community.Code, grid.Code[..12]);
            Assert.Equal(street.Code, grid.Code[..9]);
            Assert.Equal(district.Code, grid.Code[..6]);
            Assert.Equal($"/330200/{district.Code}/{street.Code}/{community.Code}/{grid.Code}/", grid.Path);
            Assert.True(grid.IsGenerated);
        }
    }

    [Fact]
    public void Ningbo_grids_tile_each_district()
    {
        var reader = new WKBReader();
        var regions = NingboRegions.Create(new DateOnly(2026, 1, 1));

        foreach (var district in regions.Where(r => r.Level == RegionLevel.District))
        {
            var districtArea = reader.Read(district.Boundary).Area;
            var grids = regions.Where(r => r.Level == RegionLevel.Grid && r.Code.StartsWith(district.Code, StringComparison.Ordinal))
                .Select(r => reader.Read(r.Boundary))
                .ToList();
            var union = Factory.BuildGeometry(grids).Union();

            Assert.Equal(districtArea, grids.Sum(g => g.Area), districtArea * 1e-9);
            Assert.Equal(districtArea, union.Area, districtArea * 1e-9);
        }
    }

    [Fact]
    public void Ningbo_generated_names_are_Chinese()
    {
        var regions = NingboRegions.Create(new DateOnly(2026, 1, 1)).ToDictionary(r => r.Code);

        Assert.Equal("海曙区生成街道001", regions["330203001"].Name);
        Assert.Equal("海曙区生成街道001第001社区", regions["330203001001"].Name);
        Assert.Equal("海曙区第0001网格", regions["330203001001001"].Name);
    }

    [Fact]
    public void Tessellate_numbers_grids_in_reading_order()
    {
        var district = Square(0, 0, 4, 4);

        var regions = GridTessellator.Tessellate("330299", "测试区", district, UnitLayout);

        Assert.Single(regions, r => r.Level == RegionLevel.Street);
        Assert.Equal(4, regions.Count(r => r.Level == RegionLevel.Community));
        Assert.Equal(16, regions.Count(r => r.Level == RegionLevel.Grid));
        var centers = regions.ToDictionary(r => r.Code, r => r.Boundary.Centroid.Coordinate);

        // Communities: north-west, north-east, south-west, south-east blocks.
        Assert.Equal(new Coordinate(1, 3), centers["330299001001"]);
        Assert.Equal(new Coordinate(3, 3), centers["330299001002"]);
        Assert.Equal(new Coordinate(1, 1), centers["330299001003"]);
        Assert.Equal(new Coordinate(3, 1), centers["330299001004"]);

        // Grids of the north-west community: top row west to east, then the row below.
        Assert.Equal(new Coordinate(0.5, 3.5), centers["330299001001001"]);
        Assert.Equal(new Coordinate(1.5, 3.5), centers["330299001001002"]);
        Assert.Equal(new Coordinate(0.5, 2.5), centers["330299001001003"]);
        Assert.Equal(new Coordinate(1.5, 2.5), centers["330299001001004"]);
    }

    [Fact]
    public void Tessellate_numbers_streets_in_reading_order()
    {
        var district = Square(0, 0, 8, 8);

        var streets = GridTessellator.Tessellate("330299", "测试区", district, UnitLayout)
            .Where(r => r.Level == RegionLevel.Street)
            .ToDictionary(r => r.Code, r => r.Boundary.Centroid.Coordinate);

        Assert.Equal(new Coordinate(2, 6), streets["330299001"]);
        Assert.Equal(new Coordinate(6, 6), streets["330299002"]);
        Assert.Equal(new Coordinate(2, 2), streets["330299003"]);
        Assert.Equal(new Coordinate(6, 2), streets["330299004"]);
    }

    [Fact]
    public void Tessellate_merges_sliver_into_neighbouring_grid()
    {
        var district = Square(0, 0, 2.1, 1);

        var grids = GridTessellator.Tessellate("330299", "测试区", district, UnitLayout)
            .Where(r => r.Level == RegionLevel.Grid)
            .OrderBy(r => r.Code)
            .ToList();

        Assert.Equal(2, grids.Count);
        Assert.Equal(1.0, grids[0].Boundary.Area, 1e-12);
        Assert.Equal(1.1, grids[1].Boundary.Area, 1e-12);
        Assert.IsType<Polygon>(grids[1].Boundary);
    }

    [Fact]
    public void Tessellate_keeps_lone_islet_as_its_own_grid()
    {
        var district = Factory.CreateMultiPolygon([Square(0, 0, 1, 1), Square(5.4, 0.4, 5.5, 0.5)]);

        var grids = GridTessellator.Tessellate("330299", "测试区", district, UnitLayout)
            .Where(r => r.Level == RegionLevel.Grid)
            .ToList();

        Assert.Equal(2, grids.Count);
        Assert.Equal(district.Area, grids.Sum(g => g.Boundary.Area), 1e-12);
    }

    [Fact]
    public void Tessellate_merges_small_street_block_into_nearest_street()
    {
        var layout = UnitLayout with { MinStreetShare = 0.3 };
        var district = Square(0, 0, 5, 4);

        var regions = GridTessellator.Tessellate("330299", "测试区", district, layout);

        var street = Assert.Single(regions, r => r.Level == RegionLevel.Street);
        Assert.Equal(20, street.Boundary.Area, 1e-12);
        Assert.Equal(20, regions.Count(r => r.Level == RegionLevel.Grid && r.ParentCode!.StartsWith(street.Code, StringComparison.Ordinal)));
    }

    private static Polygon Square(double minX, double minY, double maxX, double maxY) =>
        (Polygon)Factory.ToGeometry(new Envelope(minX, maxX, minY, maxY));
}
