using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>The region tree, boundaries for maps, and point → grid lookup: <c>/api/v1/regions</c>, <c>/api/v1/geo</c>.</summary>
public static class GeographyEndpoints
{
    public sealed record RegionDto(string Code, string? ParentCode, RegionLevel Level, string LevelName, string Name,
        bool IsGenerated, double? CenterLatitude, double? CenterLongitude, DateOnly ValidFrom, DateOnly? ValidTo);

    public sealed record LocationDto(string RegionCode, string Name, RegionLevel Level, string LevelName);

    public static void MapGeographyEndpoints(this WebApplication app)
    {
        var regions = app.MapGroup("/api/v1/regions").WithTags("区划与网格").RequireAuthorization()
            .RejectUnexpectedInput();
        regions.MapGet("/", ListAsync).WithName("ListRegions").WithSummary("下级区划列表；不带 parent 时返回本人管辖的最高一级");
        regions.MapGet("/boundaries", BoundariesAsync).WithName("RegionBoundaries")
            .WithSummary("某一层级区划边界（GeoJSON，WGS84），level 可选 city、district、street、community、grid");
        regions.MapGet("/{code}", GetAsync).WithName("GetRegion").WithSummary("区划详情");
        app.MapGet("/api/v1/geo/locate", Locate).WithTags("区划与网格").WithName("LocatePoint")
            .WithSummary("坐标（WGS84）所在网格").RequireAuthorization()
            .RejectUnexpectedInput();
    }

    private static async Task<Results<Ok<List<RegionDto>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ShanzhiDbContext db, TimeProvider clock, CancellationToken cancellationToken, string? parent = null)
    {
        var user = http.User.ToStaffPrincipal()!;
        var today = ShanghaiTime.Today(clock);
        List<Region> rows;
        if (parent is null)
        {
            var scopeCode = user.ScopePath == StaffPrincipal.RootScope ? null : ScopeCode(user.ScopePath);
            rows = scopeCode is null
                ? await db.Regions.AsNoTracking().Where(r => r.ParentCode == null).ToListAsync(cancellationToken)
                : await db.Regions.AsNoTracking().Where(r => r.Code == scopeCode).ToListAsync(cancellationToken);
        }
        else
        {
            var parentPath = await db.Regions.AsNoTracking().Where(r => r.Code == parent).Select(r => r.Path).FirstOrDefaultAsync(cancellationToken);
            if (parentPath is null || !user.CanSee(parentPath))
            {
                return Problems.From(RegionNotFound(parent));
            }

            rows = await db.Regions.AsNoTracking().Where(r => r.ParentCode == parent).OrderBy(r => r.Code).ToListAsync(cancellationToken);
        }

        return TypedResults.Ok(rows.Where(r => r.IsCurrentOn(today)).Select(ToDto).ToList());
    }

    private static async Task<Results<Ok<RegionDto>, ProblemHttpResult>> GetAsync(
        string code, HttpContext http, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var user = http.User.ToStaffPrincipal()!;
        var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == code, cancellationToken);
        return region is null || !IsVisible(region, user) ? Problems.From(RegionNotFound(code)) : TypedResults.Ok(ToDto(region));
    }

    private static async Task<IResult> BoundariesAsync(
        HttpContext http, ShanzhiDbContext db, TimeProvider clock, CancellationToken cancellationToken, string level = "district")
    {
        if (!Enum.TryParse<RegionLevel>(level, ignoreCase: true, out var regionLevel) || regionLevel is RegionLevel.External or RegionLevel.MicroGrid
            || !Enum.IsDefined(regionLevel))
        {
            return Problems.Invalid("region.invalid_level", "level", "level 可选 city、district、street、community、grid。");
        }

        var user = http.User.ToStaffPrincipal()!;
        var today = ShanghaiTime.Today(clock);
        var regions = (await db.Regions.AsNoTracking().Where(r => r.Level == regionLevel && r.Boundary != null).ToListAsync(cancellationToken))
            .Where(r => r.IsCurrentOn(today) && IsVisible(r, user))
            .ToList();

        http.Response.ContentType = "application/geo+json; charset=utf-8";
        await RegionGeoJson.WriteFeatureCollectionAsync(http.Response.Body, regions, cancellationToken: cancellationToken);
        return Results.Empty;
    }

    private static Results<Ok<LocationDto>, ProblemHttpResult> Locate(GridLocator locator, string? lat = null, string? lng = null)
    {
        if (!TryParse(lat, -90, 90, out var latitude))
        {
            return Problems.Invalid("geo.invalid_coordinates", "lat", "lat 必须是 -90 到 90 之间的十进制纬度（WGS84）。");
        }

        if (!TryParse(lng, -180, 180, out var longitude))
        {
            return Problems.Invalid("geo.invalid_coordinates", "lng", "lng 必须是 -180 到 180 之间的十进制经度（WGS84）。");
        }

        return locator.Locate(latitude, longitude) is { } location
            ? TypedResults.Ok(new LocationDto(location.RegionCode, location.Name, location.Level, RegionGeoJson.LevelName(location.Level)))
            : Problems.Invalid("geo.outside_city", "lat", "该位置不在宁波市范围内，请在市域内选点。");
    }

    /// <summary>A user sees regions inside their scope and the ancestors of their scope region (for context on maps).</summary>
    private static bool IsVisible(Region region, StaffPrincipal user) =>
        user.CanSee(region.Path) || user.ScopePath.StartsWith(region.Path, StringComparison.Ordinal);

    private static string ScopeCode(string scopePath) => scopePath.TrimEnd('/').Split('/')[^1];

    private static bool TryParse(string? text, double min, double max, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value >= min && value <= max;

    private static Error RegionNotFound(string code) => Error.NotFound("region.not_found", $"区划“{code}”不存在，或不在您的管辖范围内。");

    private static RegionDto ToDto(Region r) => new(r.Code, r.ParentCode, r.Level, RegionGeoJson.LevelName(r.Level), r.Name, r.IsGenerated,
        r.CenterLatitude, r.CenterLongitude, r.ValidFrom, r.ValidTo);
}
