using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>Catalogue, units and staff accounts: <c>/api/v1/categories</c>, <c>/units</c>, <c>/users</c>.</summary>
public static class ReferenceEndpoints
{
    public sealed record CategoryDto(string Code, string GroupCode, string GroupName, CaseKind Kind, string Name,
        string FilingCriterion, string ClosingCriterion, int HandlingLimitValue, TimeLimitUnit HandlingLimitUnit, string HandlingLimitText, Guid? DefaultUnitId);

    public sealed record UnitDto(Guid Id, string Name, UnitKind Kind, string RegionCode, bool IsActive);

    public sealed record CreateUnitBody(string? Name, UnitKind? Kind, string? RegionCode);

    public sealed record UserDto(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, Guid? UnitId, string ScopeRegionCode, bool LockedOut);

    public sealed record CreateUserBody(string? UserName, string? DisplayName, string? Password, IReadOnlyList<string>? Roles, Guid? UnitId, string? ScopeRegionCode);

    public static void MapReferenceEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        api.MapGet("/categories", ListCategoriesAsync).WithTags("事件分类").WithName("ListCategories").WithSummary("事件分类（大类/小类）及时限");
        api.MapGet("/units", ListUnitsAsync).WithTags("单位").WithName("ListUnits").WithSummary("单位列表");
        api.MapPost("/units", CreateUnitAsync).WithTags("单位").WithName("CreateUnit").WithSummary("新增单位（系统管理员）")
            .RequireAuthorization(p => p.RequireRole(Roles.SystemAdmin));
        api.MapGet("/users", ListUsersAsync).WithTags("账户").WithName("ListUsers").WithSummary("账户列表（系统管理员）")
            .RequireAuthorization(p => p.RequireRole(Roles.SystemAdmin));
        api.MapPost("/users", CreateUserAsync).WithTags("账户").WithName("CreateUser").WithSummary("新增账户（系统管理员）")
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

    private static async Task<Ok<List<UserDto>>> ListUsersAsync(UserManager<StaffUser> users, TimeProvider clock, CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var result = new List<UserDto>(all.Count);
        foreach (var user in all)
        {
            var roles = await users.GetRolesAsync(user);
            result.Add(new UserDto(user.Id, user.UserName!, user.DisplayName, roles.ToList(), user.UnitId, user.ScopeRegionCode,
                user.LockoutEnd > clock.GetUtcNow()));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUserAsync(
        CreateUserBody body, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || body.UserName.Length > 50)
        {
            return Problems.Invalid("user.invalid_name", "userName", "用户名必填，且不超过 50 个字符。");
        }

        if (string.IsNullOrWhiteSpace(body.DisplayName) || body.DisplayName.Length > 100)
        {
            return Problems.Invalid("user.invalid_display_name", "displayName", "姓名必填，且不超过 100 个字符。");
        }

        var roles = body.Roles ?? [];
        if (roles.Count == 0 || roles.Any(r => r is null || !Roles.All.Contains(r)))
        {
            return Problems.Invalid("user.invalid_roles", "roles", $"请至少选择一个有效角色：{string.Join("、", Roles.All)}。");
        }

        if (Roles.ConflictingAdministratorRoles(roles) is { Count: > 0 } conflict)
        {
            return Problems.Invalid("user.admin_roles_conflict", "roles",
                $"系统管理员、安全管理员、审计管理员须由不同账户担任，一个账户不能同时拥有：{string.Join("、", conflict.Select(Roles.ChineseName))}。");
        }

        if (string.IsNullOrWhiteSpace(body.ScopeRegionCode))
        {
            return Problems.Invalid("user.scope_required", "scopeRegionCode", "请填写管辖区划代码，例如区县 330203 或街道代码。");
        }

        var scope = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == body.ScopeRegionCode, cancellationToken);
        if (scope is null)
        {
            return Problems.Invalid("user.unknown_scope", "scopeRegionCode", $"管辖区划“{body.ScopeRegionCode}”不存在。");
        }

        if (body.UnitId is { } unitId && !await db.Units.AnyAsync(u => u.Id == unitId, cancellationToken))
        {
            return Problems.Invalid("user.unknown_unit", "unitId", "所属单位不存在。");
        }

        if (roles.Contains(Roles.UnitHandler) && body.UnitId is null)
        {
            return Problems.Invalid("user.unit_required", "unitId", "处置单位人员必须指定所属单位。");
        }

        var user = new StaffUser
        {
            UserName = body.UserName.Trim(),
            DisplayName = body.DisplayName.Trim(),
            UnitId = body.UnitId,
            ScopeRegionCode = scope.Code,
            ScopePath = scope.Path,
        };
        var created = await users.CreateAsync(user, body.Password ?? "");
        if (!created.Succeeded)
        {
            if (created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                return Problems.From(Error.Conflict("user.duplicate_name", "用户名已存在", $"用户名“{user.UserName}”已被使用。"));
            }

            return created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidUserName))
                ? Problems.Invalid("user.invalid_name", "userName", "用户名只能包含英文字母、数字和 -._@+ 字符。")
                : Problems.Invalid("user.weak_password", "password", "密码不符合要求：至少 10 位，且包含大写字母、小写字母和数字。");
        }

        await users.AddToRolesAsync(user, roles);
        var admin = principal.ToStaffPrincipal()!;
        await audit.AppendAsync(new AuditEntry(AuditAction.PermissionChanged, admin.UserId, admin.DisplayName, "user", user.Id.ToString(),
            Detail: $"created with roles {string.Join(",", roles)}, scope {scope.Code}"), CancellationToken.None);
        return TypedResults.Created($"/api/v1/users/{user.Id}",
            new UserDto(user.Id, user.UserName, user.DisplayName, roles.ToList(), user.UnitId, user.ScopeRegionCode, false));
    }
}
