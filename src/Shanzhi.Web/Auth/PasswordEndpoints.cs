using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Web.Api;

namespace Shanzhi.Web.Auth;

/// <summary>Changing one's own password, and the administrator's reset and unlock of an account.</summary>
public static class PasswordEndpoints
{
    public sealed record ChangePasswordBody(string? CurrentPassword, string? NewPassword);

    public sealed record ResetPasswordBody(string? NewPassword);

    public static void MapPasswordEndpoints(this WebApplication app)
    {
        app.MapPost("/api/v1/auth/password", ChangeAsync).WithTags("账户").WithName("ChangePassword")
            .WithSummary("修改本人密码").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();

        var users = app.MapGroup("/api/v1/users/{id:guid}").WithTags("账户")
            .RequireAuthorization(p => p.RequireRole(Roles.SystemAdmin)).DisableAntiforgery()
            .RejectUnexpectedInput();
        users.MapPost("/password", ResetAsync).WithName("ResetPassword").WithSummary("重置账户密码并解除锁定（系统管理员）");
        users.MapPost("/unlock", UnlockAsync).WithName("UnlockUser").WithSummary("解除账户锁定（系统管理员）");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangeAsync(
        ChangePasswordBody body, HttpContext http, UserManager<StaffUser> users, SignInManager<StaffUser> signIn,
        IAuditLog audit, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.CurrentPassword) || string.IsNullOrEmpty(body.NewPassword))
        {
            return Problems.Invalid("auth.missing_password", "newPassword", "请填写当前密码和新密码。");
        }

        var user = await users.GetUserAsync(http.User);
        if (user is null)
        {
            return Problems.From(new Error("auth.required", "需要登录", "请先登录后再修改密码。", 401));
        }

        var result = await users.ChangePasswordAsync(user, body.CurrentPassword, body.NewPassword);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? Problems.Invalid("auth.wrong_password", "currentPassword", "当前密码不正确。")
                : WeakPassword();
        }

        // Other sessions of this account end: the security stamp changed with the password.
        await signIn.RefreshSignInAsync(user);
        await audit.AppendAsync(new AuditEntry(AuditAction.PermissionChanged, user.Id, user.DisplayName, "user", user.Id.ToString(),
            Detail: "password changed by the user"), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetAsync(
        Guid id, ResetPasswordBody body, HttpContext http, UserManager<StaffUser> users, IAuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return Problems.From(UserErrors.NotFound);
        }

        if (string.IsNullOrEmpty(body.NewPassword))
        {
            return Problems.Invalid("auth.missing_password", "newPassword", "请填写新密码。");
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, token, body.NewPassword);
        if (!result.Succeeded)
        {
            return WeakPassword();
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AppendAdminActionAsync(audit, http, user, "password reset and account unlocked by an administrator", cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlockAsync(
        Guid id, HttpContext http, UserManager<StaffUser> users, IAuditLog audit, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return Problems.From(UserErrors.NotFound);
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await AppendAdminActionAsync(audit, http, user, "account unlocked by an administrator", cancellationToken);
        return TypedResults.NoContent();
    }

    private static Task AppendAdminActionAsync(IAuditLog audit, HttpContext http, StaffUser subject, string detail, CancellationToken cancellationToken)
    {
        var admin = http.User.ToStaffPrincipal()!;
        return audit.AppendAsync(new AuditEntry(AuditAction.PermissionChanged, admin.UserId, admin.DisplayName, "user", subject.Id.ToString(),
            Detail: detail), cancellationToken);
    }

    private static ProblemHttpResult WeakPassword() =>
        Problems.Invalid("user.weak_password", "newPassword", "新密码不符合要求：至少 10 位，且包含大写字母、小写字母和数字。");
}
