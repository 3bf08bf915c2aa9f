using System.Data;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// Staff accounts under <c>/api/v1/users</c> for the system administrator: list, create, read,
/// change roles, unit and region scope, disable and enable, and reset a lost authenticator.
/// Password reset and unlock are in <see cref="PasswordEndpoints"/>.
/// </summary>
public static partial class UserEndpoints
{
    public sealed record UserDto(Guid Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, Guid? UnitId, string ScopeRegionCode,
        bool LockedOut, bool Disabled);

    public sealed record CreateUserBody(string? UserName, string? DisplayName, string? Password, IReadOnlyList<string>? Roles, Guid? UnitId, string? ScopeRegionCode);

    /// <summary>The new roles, unit and scope of an account; each replaces the old value, so a missing <c>unitId</c> removes the unit.</summary>
    public sealed record ChangeAccessBody(IReadOnlyList<string>? Roles, Guid? UnitId, string? ScopeRegionCode);

    /// <summary>Roles, unit and region scope that passed <see cref="ValidateAccessAsync"/>.</summary>
    private sealed record AccountAccess(IReadOnlyList<string> Roles, Guid? UnitId, Region Scope);

    public static void MapUserEndpoints(this WebApplication app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("账户")
            .RequireAuthorization(p => p.RequireRole(Roles.SystemAdmin)).DisableAntiforgery()
            .RejectUnexpectedInput();
        users.MapGet("", ListUsersAsync).WithName("ListUsers").WithSummary("账户列表，含已停用账户（系统管理员）");
        users.MapPost("", CreateUserAsync).WithName("CreateUser").WithSummary("新增账户（系统管理员）");
        users.MapGet("/{id:guid}", GetUserAsync).WithName("GetUser").WithSummary("查看单个账户（系统管理员）");
        users.MapPut("/{id:guid}/access", ChangeAccessAsync).WithName("ChangeUserAccess")
            .WithSummary("修改账户的角色、所属单位和管辖区划，立即生效（系统管理员）");
        users.MapPost("/{id:guid}/disable", DisableAsync).WithName("DisableUser").WithSummary("停用账户并结束其登录会话（系统管理员）");
        users.MapPost("/{id:guid}/enable", EnableAsync).WithName("EnableUser").WithSummary("重新启用已停用的账户（系统管理员）");
        users.MapPost("/{id:guid}/authenticator/reset", ResetAuthenticatorAsync).WithName("ResetUserAuthenticator")
            .WithSummary("重置丢失的身份验证器：下次登录时重新绑定（系统管理员）");
    }

    private static async Task<Ok<List<UserDto>>> ListUsersAsync(UserManager<StaffUser> users, TimeProvider clock, CancellationToken cancellationToken)
    {
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var result = new List<UserDto>(all.Count);
        foreach (var user in all)
        {
            result.Add(ToDto(user, await users.GetRolesAsync(user), clock));
        }

        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> GetUserAsync(
        Guid id, UserManager<StaffUser> users, TimeProvider clock)
    {
        if (await users.FindByIdAsync(id.ToString()) is not { } user)
        {
            return Problems.From(UserErrors.NotFound);
        }

        return TypedResults.Ok(ToDto(user, await users.GetRolesAsync(user), clock));
    }

    private static async Task<Results<Created<UserDto>, ProblemHttpResult>> CreateUserAsync(
        CreateUserBody body, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.UserName) || body.UserName.Length > 50)
        {
            return Problems.Invalid("user.invalid_name", "userName", "用户名必填，且不超过 50 个字符。");
        }

        if (string.IsNullOrWhiteSpace(body.DisplayName) || body.DisplayName.Length > 100)
        {
            return Problems.Invalid("user.invalid_display_name", "displayName", "姓名必填，且不超过 100 个字符。");
        }

        var validated = await ValidateAccessAsync(body.Roles, body.UnitId, body.ScopeRegionCode, db, cancellationToken);
        if (validated.Value is not { } access)
        {
            return Problems.From(validated.Error!);
        }

        var user = new StaffUser
        {
            UserName = body.UserName.Trim(),
            DisplayName = body.DisplayName.Trim(),
            UnitId = access.UnitId,
            ScopeRegionCode = access.Scope.Code,
            ScopePath = access.Scope.Path,
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

        await users.AddToRolesAsync(user, access.Roles);
        await AppendChangeAsync(audit, principal, user, $"created with roles {string.Join(",", access.Roles)}, scope {access.Scope.Code}");
        return TypedResults.Created($"/api/v1/users/{user.Id}", ToDto(user, access.Roles, clock));
    }

    /// <summary>
    /// Replaces the roles, unit and scope of another account and changes its security stamp, so its
    /// sessions end at their next request. A new administrator role takes effect at the next
    /// sign-in, which then requires the second factor as for any administrator.
    /// </summary>
    private static async Task<Results<Ok<UserDto>, ProblemHttpResult>> ChangeAccessAsync(
        Guid id, ChangeAccessBody body, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (IsOwnAccount(principal, id))
        {
            return Problems.From(UserErrors.OwnAccount("修改本人的角色、所属单位和管辖区划"));
        }

        var validated = await ValidateAccessAsync(body.Roles, body.UnitId, body.ScopeRegionCode, db, cancellationToken);
        if (validated.Value is not { } access)
        {
            return Problems.From(validated.Error!);
        }

        IList<string> oldRoles = [];
        string? detail = null;
        var changed = await ChangeAccountAsync(id, db, users, loggers, async user =>
        {
            oldRoles = await users.GetRolesAsync(user);
            if (oldRoles.Contains(Roles.SystemAdmin) && !access.Roles.Contains(Roles.SystemAdmin) && await IsLastActiveSystemAdminAsync(user, users, db, cancellationToken))
            {
                return UserErrors.LastSystemAdmin;
            }

            detail = AccessChange(user, oldRoles, access);
            if (detail is null)
            {
                return null;
            }

            var removed = await users.RemoveFromRolesAsync(user, oldRoles.Except(access.Roles));
            var added = removed.Succeeded ? await users.AddToRolesAsync(user, access.Roles.Except(oldRoles)) : removed;
            if (!added.Succeeded)
            {
                return ToError(added);
            }

            user.UnitId = access.UnitId;
            user.ScopeRegionCode = access.Scope.Code;
            user.ScopePath = access.Scope.Path;
            return ToError(await users.UpdateSecurityStampAsync(user));
        }, cancellationToken);
        if (changed.Value is not { } user)
        {
            return Problems.From(changed.Error!);
        }

        if (detail is not null)
        {
            await AppendChangeAsync(audit, principal, user, detail);
        }

        return TypedResults.Ok(ToDto(user, detail is null ? oldRoles : access.Roles, clock));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DisableAsync(
        Guid id, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (IsOwnAccount(principal, id))
        {
            return Problems.From(UserErrors.OwnAccount("停用本人的账户"));
        }

        var wasDisabled = false;
        var changed = await ChangeAccountAsync(id, db, users, loggers, async user =>
        {
            wasDisabled = user.IsDisabled;
            if (wasDisabled)
            {
                return null;
            }

            if (await IsLastActiveSystemAdminAsync(user, users, db, cancellationToken))
            {
                return UserErrors.LastSystemAdmin;
            }

            user.IsDisabled = true;
            return ToError(await users.UpdateSecurityStampAsync(user));
        }, cancellationToken);

        return await StateChangeResultAsync(changed, !wasDisabled, "account disabled", audit, principal);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EnableAsync(
        Guid id, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var wasDisabled = false;
        var changed = await ChangeAccountAsync(id, db, users, loggers, async user =>
        {
            wasDisabled = user.IsDisabled;
            if (!wasDisabled)
            {
                return null;
            }

            user.IsDisabled = false;
            return ToError(await users.UpdateAsync(user));
        }, cancellationToken);

        return await StateChangeResultAsync(changed, wasDisabled, "account enabled", audit, principal);
    }

    /// <summary>
    /// Switches two-factor sign-in off and replaces the authenticator key with a new one that was
    /// never shown, so the next sign-in of an administrator goes to enrolment, which shows the new key.
    /// </summary>
    /// <remarks>
    /// Identity's <see cref="UserManager{TUser}"/> can replace the key but not delete it. The last
    /// accepted time step is deleted too, because codes of the new key from that step or an earlier
    /// one would otherwise be rejected as replays.
    /// </remarks>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetAuthenticatorAsync(
        Guid id, UserManager<StaffUser> users, ShanzhiDbContext db, IAuditLog audit, ClaimsPrincipal principal, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (IsOwnAccount(principal, id))
        {
            return Problems.From(UserErrors.OwnAccount("重置本人的身份验证器"));
        }

        var changed = await ChangeAccountAsync(id, db, users, loggers, async user =>
        {
            var removed = await users.RemoveAuthenticationTokenAsync(user,
                OneTimeAuthenticatorTokenProvider.TokenLoginProvider, OneTimeAuthenticatorTokenProvider.LastStepTokenName);
            var reset = removed.Succeeded ? await users.ResetAuthenticatorKeyAsync(user) : removed;
            return ToError(reset.Succeeded ? await users.SetTwoFactorEnabledAsync(user, false) : reset);
        }, cancellationToken);

        return await StateChangeResultAsync(changed, true, "authenticator reset", audit, principal);
    }

    /// <summary>
    /// Checks the roles, unit and region scope given for an account, on creation and on change:
    /// known roles with at most one administrator role (三员分立), a known scope, a known unit, and a
    /// unit for a unit handler. Repeated roles are merged.
    /// </summary>
    private static async Task<Result<AccountAccess>> ValidateAccessAsync(
        IReadOnlyList<string>? requestedRoles, Guid? unitId, string? scopeRegionCode, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var roles = requestedRoles ?? [];
        if (roles.Count == 0 || roles.Any(r => r is null || !Roles.All.Contains(r)))
        {
            return Error.Invalid("user.invalid_roles", "roles", $"请至少选择一个有效角色：{string.Join("、", Roles.All)}。");
        }

        if (Roles.ConflictingAdministratorRoles(roles) is { Count: > 0 } conflict)
        {
            return Error.Invalid("user.admin_roles_conflict", "roles",
                $"系统管理员、安全管理员、审计管理员须由不同账户担任，一个账户不能同时拥有：{string.Join("、", conflict.Select(Roles.ChineseName))}。");
        }

        if (string.IsNullOrWhiteSpace(scopeRegionCode))
        {
            return Error.Invalid("user.scope_required", "scopeRegionCode", "请填写管辖区划代码，例如区县 330203 或街道代码。");
        }

        var scope = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == scopeRegionCode, cancellationToken);
        if (scope is null)
        {
            return Error.Invalid("user.unknown_scope", "scopeRegionCode", $"管辖区划“{scopeRegionCode}”不存在。");
        }

        if (unitId is { } id && !await db.Units.AnyAsync(u => u.Id == id, cancellationToken))
        {
            return Error.Invalid("user.unknown_unit", "unitId", "所属单位不存在。");
        }

        if (roles.Contains(Roles.UnitHandler) && unitId is null)
        {
            return Error.Invalid("user.unit_required", "unitId", "处置单位人员必须指定所属单位。");
        }

        return new AccountAccess(roles.Distinct().ToList(), unitId, scope);
    }

    /// <summary>
    /// Loads account <paramref name="id"/> and applies <paramref name="change"/> to it in one
    /// serializable transaction, which commits unless the change returns an error.
    /// </summary>
    /// <remarks>
    /// Serializable, so that two administrators who disable or demote each other at the same time
    /// cannot both pass the check for another active system administrator. SQLite runs the two
    /// transactions one after the other, and PostgreSQL aborts one, which returns 409
    /// <c>user.concurrent_change</c>.
    /// </remarks>
    private static async Task<Result<StaffUser>> ChangeAccountAsync(
        Guid id, ShanzhiDbContext db, UserManager<StaffUser> users, ILoggerFactory loggers, Func<StaffUser, Task<Error?>> change,
        CancellationToken cancellationToken)
    {
        try
        {
            // The session check of this request loaded the caller's account before the transaction.
            // A tracked account keeps the values it was loaded with, so reads in the transaction
            // would return the caller's state from before a concurrent change.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            if (await users.FindByIdAsync(id.ToString()) is not { } user)
            {
                return UserErrors.NotFound;
            }

            if (await change(user) is { } error)
            {
                return error;
            }

            await transaction.CommitAsync(cancellationToken);
            return user;
        }
        catch (Exception e) when (StoreExceptions.IsSerializationFailure(e))
        {
            db.ChangeTracker.Clear();
            LogConcurrentChange(loggers.CreateLogger(typeof(UserEndpoints)), id);
            return UserErrors.ConcurrentChange;
        }
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Change of account {UserId} rolled back: a concurrent change of staff accounts made the transaction fail to serialize, so 409 user.concurrent_change was returned for a retry")]
    private static partial void LogConcurrentChange(ILogger logger, Guid userId);

    /// <summary>Whether <paramref name="user"/> is an active system administrator and no other active one exists.</summary>
    private static async Task<bool> IsLastActiveSystemAdminAsync(
        StaffUser user, UserManager<StaffUser> users, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (user.IsDisabled || !await users.IsInRoleAsync(user, Roles.SystemAdmin))
        {
            return false;
        }

        var otherActiveAdmins =
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            join other in db.Users on userRole.UserId equals other.Id
            where role.Name == Roles.SystemAdmin && other.Id != user.Id && !other.IsDisabled
            select other.Id;
        return !await otherActiveAdmins.AnyAsync(cancellationToken);
    }

    /// <summary>The audit detail of an access change (old → new of each changed part), or null when nothing changes.</summary>
    private static string? AccessChange(StaffUser user, IList<string> oldRoles, AccountAccess access)
    {
        var parts = new List<string>();
        if (!oldRoles.ToHashSet().SetEquals(access.Roles))
        {
            parts.Add($"roles {string.Join(",", oldRoles.Order(StringComparer.Ordinal))} -> {string.Join(",", access.Roles.Order(StringComparer.Ordinal))}");
        }

        if (user.UnitId != access.UnitId)
        {
            parts.Add($"unit {user.UnitId?.ToString() ?? "none"} -> {access.UnitId?.ToString() ?? "none"}");
        }

        if (user.ScopeRegionCode != access.Scope.Code)
        {
            parts.Add($"scope {user.ScopeRegionCode} -> {access.Scope.Code}");
        }

        return parts.Count == 0 ? null : "access changed: " + string.Join("; ", parts);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> StateChangeResultAsync(
        Result<StaffUser> changed, bool didChange, string detail, IAuditLog audit, ClaimsPrincipal principal)
    {
        if (changed.Value is not { } user)
        {
            return Problems.From(changed.Error!);
        }

        if (didChange)
        {
            await AppendChangeAsync(audit, principal, user, detail);
        }

        return TypedResults.NoContent();
    }

    // A change that was made is recorded even when the client has gone away meanwhile.
    private static Task AppendChangeAsync(IAuditLog audit, ClaimsPrincipal principal, StaffUser subject, string detail)
    {
        var admin = principal.ToStaffPrincipal()!;
        return audit.AppendAsync(new AuditEntry(AuditAction.PermissionChanged, admin.UserId, admin.DisplayName, "user", subject.Id.ToString(),
            Detail: detail), CancellationToken.None);
    }

    private static bool IsOwnAccount(ClaimsPrincipal principal, Guid id) => principal.ToStaffPrincipal()?.UserId == id;

    // Identity reports a concurrent update of the same account as ConcurrencyFailure; any other failure is a bug.
    private static Error? ToError(IdentityResult result) =>
        result.Succeeded ? null
        : result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)) ? UserErrors.ConcurrentChange
        : throw new InvalidOperationException($"Identity rejected an account change: {string.Join(", ", result.Errors.Select(e => e.Code))}");

    private static UserDto ToDto(StaffUser user, IEnumerable<string> roles, TimeProvider clock) =>
        new(user.Id, user.UserName!, user.DisplayName, roles.ToList(), user.UnitId, user.ScopeRegionCode, user.LockoutEnd > clock.GetUtcNow(), user.IsDisabled);
}

/// <summary>Failures of the account endpoints that more than one endpoint returns.</summary>
public static class UserErrors
{
    public static readonly Error NotFound = Error.NotFound("user.not_found", "账户不存在。");

    public static readonly Error LastSystemAdmin = Error.Conflict("user.last_system_admin", "不能移除最后一名系统管理员",
        "这是最后一个启用中的系统管理员账户，不能停用或取消其系统管理员角色。请先为另一个账户授予系统管理员角色。");

    public static readonly Error ConcurrentChange = Error.Conflict("user.concurrent_change", "账户正被同时修改",
        "该账户或其他系统管理员账户正被同时修改，本次修改未保存。请刷新后重试。");

    /// <summary>An administrator changes other people's accounts, never their own, so no one grants or removes rights of their own.</summary>
    public static Error OwnAccount(string action) =>
        Error.Forbidden("user.own_account", $"不能{action}，请由另一名系统管理员操作。");
}
