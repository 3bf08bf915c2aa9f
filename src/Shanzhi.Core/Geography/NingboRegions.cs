using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.Operation.OverlayNG;

namespace Shanzhi.Geography;

/// <summary>
/// The region tree a new store starts with: Ningbo, its ten districts from the bundled layer, the
/// external region, and generated streets, communities and grids cut from each district.
/// </summary>
internal static class NingboRegions
{
    public const string ExternalName = "辖区外";

    // Tessellation is deterministic and takes about a second of CPU, so a process does it once.
    private static readonly Lazy<IReadOnlyList<Row>> Rows = new(Build);

    /// <summary>Creates fresh, untracked entities for the whole tree, valid from <paramref name="validFrom"/>.</summary>
    public static List<Region> Create(DateOnly validFrom) =>
        [.. Rows.Value.Select(row => row.ToRegion(validFrom))];

    private static List<Row> Build()
    {
        var districts = NingboDistricts.All;
        var cityPath = Region.ChildPath("/", NingboDistricts.CityCode);

        // One district per task: the districts are independent and this runs on a server's first start.
        var generated = districts
            .AsParallel()
            .AsOrdered()
            .Select(d => GridTessellator.Tessellate(d.Code, d.Name, d.Boundary, TessellationLayout.Ningbo))
            .ToList();

        var city = OverlayNGRobust.Union(new GeometryFactory(new PrecisionModel(), 4326).BuildGeometry(districts.Select(d => d.Boundary)));
        var cityCenter = city.InteriorPoint;
        var rows = new List<Row>
        {
            new(NingboDistricts.CityCode, null, RegionLevel.City, NingboDistricts.CityName, cityPath, city,
                cityCenter.Y, cityCenter.X, IsGenerated: false),
            new(Region.ExternalCode, null, RegionLevel.External, ExternalName, Region.ChildPath("/", Region.ExternalCode), null,
                null, null, IsGenerated: false),
        };

        var paths = new Dictionary<string, string> { [NingboDistricts.CityCode] = cityPath };
        for (var i = 0; i < districts.Count; i++)
        {
            var district = districts[i];
            var districtPath = Region.ChildPath(cityPath, district.Code);
            paths[district.Code] = districtPath;
            rows.Add(new Row(district.Code, NingboDistricts.CityCode, RegionLevel.District, district.Name, districtPath,
                district.Boundary, district.CenterLatitude, district.CenterLongitude, IsGenerated: false));

            // Parents come before their children in the tessellator's output.
            foreach (var region in generated[i])
            {
                var path = Region.ChildPath(paths[region.ParentCode], region.Code);
                if (region.Level != RegionLevel.Grid)
                {
                    paths[region.Code] = path;
                }

                var center = region.Boundary.InteriorPoint;
                rows.Add(new Row(region.Code, region.ParentCode, region.Level, region.Name, path, region.Boundary,
                    center.Y, center.X, IsGenerated: true));
            }
        }

        return rows;
    }

    private sealed record Row(
        string Code, string? ParentCode, RegionLevel Level, string Name, string Path, Geometry? Geometry,
        double? CenterLatitude, double? CenterLongitude, bool IsGenerated)
    {
        private readonly byte[]? _wkb = Geometry is null ? null : new WKBWriter().Write(Geometry);

        public Region ToRegion(DateOnly validFrom) => new()
        {
            Code = Code,
            ParentCode = ParentCode,
            Level = Level,
            Name = Name,
            Path = Path,
            Boundary = _wkb,
            CenterLatitude = CenterLatitude,
            CenterLongitude = CenterLongitude,
            IsGenerated = IsGenerated,
            ValidFrom = validFrom,
        };
    }
}
