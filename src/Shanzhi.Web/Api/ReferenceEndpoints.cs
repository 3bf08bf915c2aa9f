using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Api;

/// <summary>Catalogue and units: <c>/api/v1/categories</c>, <c>/units</c>. Staff accounts are in <see cref="UserEndpoints"/>.</summary>
public static class ReferenceEndpoints
{
    public sealed record CategoryDto(string Code, string GroupCode, string GroupName, CaseKind Kind, string Name,
        string FilingCriterion, string ClosingCriterion, int HandlingLimitValue, TimeLimitUnit HandlingLimitUnit, string HandlingLimitText, Guid? DefaultUnitId);

    public sealed record UnitDto(Guid Id, string Name, UnitKind Kind, string RegionCode, bool IsActive);

    public sealed record CreateUnitBody(string? Name, UnitKind? Kind, string? RegionCode);

    public static void MapReferenceEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        api.MapGet("/categories", ListCategoriesAsync).WithTags("事件分类").WithName("ListCategories").WithSummary("事件分类（大类/小类）及时限");
        api.MapGet("/units", ListUnitsAsync).WithTags("单位").WithName("ListUnits").WithSummary("单位列表");
        api.MapPost("/units", CreateUnitAsync).WithTags("单位").WithName("CreateUnit").WithSummary("新增单位（系统管理员）")
            .RequireAuthorization(p => p.RequireRole(Roles.SystemAdmin));
    }

    private static async Task<Ok<List<CategoryDto>>> ListCategoriesAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.CategoryGroups.AsNoTracking().ToDictionaryAsync(g => g.Code, cancellationToken);
        var categories = await db.Categories.AsNoTracking().Where(c => c.IsActive).OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(categories.Select(c =>
        {
            var group = groups[c.GroupCode];
            return new CategoryDto(c.Code, c.GroupCode, group.Name, group.Kind, c.Name, c.FilingCriterion, c.ClosingCriterion,
                c.HandlingLimit.Value, c.HandlingLimit.Unit, c.HandlingLimit.ToChinese(), c.DefaultUnitId);
        }).ToList());
    }

    private static async Task<Ok<List<UnitDto>>> ListUnitsAsync(ShanzhiDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name)
            .Select(u => new UnitDto(u.Id, u.Name, u.Kind, u.RegionCode, u.IsActive)).ToListAsync(cancellationToken));

    private static async Task<Results<Created<UnitDto>, ProblemHttpResult>> CreateUnitAsync(
        CreateUnitBody body, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            return Problems.Invalid("unit.invalid_name", "name", "单位名称必填，且不超过 100 个字符。");
        }

        if (body.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return Problems.Invalid("unit.invalid_kind", "kind", "单位类型无效：可选 CommandCentre、Department、Street、Community、Operator、DistrictGovernment。");
        }

        if (body.RegionCode is null || !await db.Regions.AnyAsync(r => r.Code == body.RegionCode, cancellationToken))
        {
            return Problems.Invalid("unit.unknown_region", "regionCode", $"区划代码“{body.RegionCode}”不存在。");
        }

        var name = body.Name.Trim();
        if (await db.Units.AnyAsync(u => u.Name == name, cancellationToken))
        {
            return Problems.From(Error.Conflict("unit.duplicate_name", "单位已存在", $"已有名为“{name}”的单位。"));
        }

        var unit = new Unit { Name = name, Kind = kind, RegionCode = body.RegionCode };
        db.Units.Add(unit);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/units/{unit.Id}", new UnitDto(unit.Id, unit.Name, unit.Kind, unit.RegionCode, unit.IsActive));
    }
}
