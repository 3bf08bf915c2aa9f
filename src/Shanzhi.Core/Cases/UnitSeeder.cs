using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>Names of the city-level units the seeders create and the catalogue refers to.</summary>
// NOTE: the department names follow the usual Ningbo municipal bodies. Confirm them against the
// city's organisation list before production (administrators can rename units).
public static class CityUnits
{
    public const string CityCode = "330200";

    public const string CommandCentre = "宁波市数字城管指挥中心";
    public const string Sanitation = "宁波市市容环境卫生管理中心";
    public const string Greening = "宁波市园林绿化管理中心";
    public const string MunicipalFacilities = "宁波市市政设施管理中心";
    public const string Enforcement = "宁波市综合行政执法局";
    public const string WaterResources = "宁波市水利局";
    public const string Housing = "宁波市住房和城乡建设局";
    public const string CivilAffairs = "宁波市民政局";
    public const string TrafficPolice = "宁波市公安局交通警察局";
    public const string Transport = "宁波市交通运输局";

    public static IReadOnlyList<string> Departments { get; } =
        [Sanitation, Greening, MunicipalFacilities, Enforcement, WaterResources, Housing, CivilAffairs, TrafficPolice, Transport];

    /// <summary>The county-level divisions of Ningbo (GB/T 2260) and their governments.</summary>
    public static IReadOnlyList<(string RegionCode, string Name)> DistrictGovernments { get; } =
    [
        ("330203", "海曙区人民政府"),
        ("330205", "江北区人民政府"),
        ("330206", "北仑区人民政府"),
        ("330211", "镇海区人民政府"),
        ("330212", "鄞州区人民政府"),
        ("330213", "奉化区人民政府"),
        ("330225", "象山县人民政府"),
        ("330226", "宁海县人民政府"),
        ("330281", "余姚市人民政府"),
        ("330282", "慈溪市人民政府"),
    ];
}

/// <summary>
/// Seeds the units cases are sent to: the command centre, the district governments, the city
/// departments, and one government office per street or town already in the region tree (so the
/// territorial fallback can reach the street). Runs after geography, before the catalogue.
/// </summary>
public sealed class UnitSeeder : IStoreSeeder
{
    public int Order => 150;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var existing = (await db.Units.Select(u => u.Name).ToListAsync(cancellationToken)).ToHashSet();
        var units = new List<Unit>
        {
            new() { Name = CityUnits.CommandCentre, Kind = UnitKind.CommandCentre, RegionCode = CityUnits.CityCode },
        };
        units.AddRange(CityUnits.DistrictGovernments.Select(d =>
            new Unit { Name = d.Name, Kind = UnitKind.DistrictGovernment, RegionCode = d.RegionCode }));
        units.AddRange(CityUnits.Departments.Select(name =>
            new Unit { Name = name, Kind = UnitKind.Department, RegionCode = CityUnits.CityCode }));
        units.AddRange(await StreetOfficesAsync(db, cancellationToken));

        foreach (var unit in units)
        {
            if (existing.Add(unit.Name))
            {
                db.Units.Add(unit);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>A 街道办事处 or 乡镇人民政府 per street-level region that has no street unit yet.</summary>
    private static async Task<IEnumerable<Unit>> StreetOfficesAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var covered = (await db.Units.Where(u => u.Kind == UnitKind.Street).Select(u => u.RegionCode)
            .ToListAsync(cancellationToken)).ToHashSet();
        var districts = await db.Regions.Where(r => r.Level == RegionLevel.District)
            .ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        var streets = await db.Regions.Where(r => r.Level == RegionLevel.Street).ToListAsync(cancellationToken);

        // Street names repeat across districts, and unit names are unique: prefix the district
        // unless the name already starts with it (generated streets do).
        return streets
            .Where(s => !covered.Contains(s.Code))
            .Select(s => new Unit
            {
                Name = DistrictPrefix(s, districts) + s.Name + (s.Name.EndsWith('镇') || s.Name.EndsWith('乡') ? "人民政府" : "办事处"),
                Kind = UnitKind.Street,
                RegionCode = s.Code,
            });
    }

    private static string DistrictPrefix(Region street, Dictionary<string, string> districts) =>
        street.ParentCode is { } parent && districts.TryGetValue(parent, out var district) && !street.Name.StartsWith(district, StringComparison.Ordinal)
            ? district
            : "";
}
