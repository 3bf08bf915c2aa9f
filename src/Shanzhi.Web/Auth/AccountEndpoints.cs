using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Shanzhi.Identity;
using Shanzhi.Web.Api;

namespace Shanzhi.Web.Auth;

/// <summary>Sign-in and sign-out for the console (form posts) and for API clients (JSON).</summary>
public static class AccountEndpoints
{
    public sealed record LoginRequest(string UserName, string Password);

    public sealed record MeResponse(Guid? Id, string DisplayName, IReadOnlyCollection<string> Roles, Guid? UnitId, string ScopePath);

    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/login", LoginFormAsync).WithName("LoginForm").ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutFormAsync).WithName("LogoutForm").ExcludeFromDescription();

        var api = app.MapGroup("/api/v1/auth").WithTags("账户");
        api.MapPost("/login", LoginAsync).WithName("Login").WithSummary("登录（JSON），成功后返回登录 Cookie").DisableAntiforgery();
        api.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("退出登录").RequireAuthorization().DisableAntiforgery();
        api.MapGet("/me", GetMe).WithName("GetMe").WithSummary("当前登录用户").RequireAuthorization();
    }

    private static async Task<RedirectHttpResult> LoginFormAsync(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
        SignInManager<StaffUser> signIn)
    {
        var target = IsLocalUrl(returnUrl) ? returnUrl! : "/";
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.Redirect(LoginPage("missing", target));
        }

        var result = await signIn.PasswordSignInAsync(userName.Trim(), password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.LocalRedirect(target);
        }

        return TypedResults.Redirect(LoginPage(result.IsLockedOut ? "locked" : "1", target));
    }

    private static async Task<RedirectHttpResult> LogoutFormAsync(SignInManager<StaffUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/login");
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, SignInManager<StaffUser> signIn, UserManager<StaffUser> users)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.Invalid("auth.missing_credentials", "userName", "请填写用户名和密码。");
        }

        var result = await signIn.PasswordSignInAsync(request.UserName.Trim(), request.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            return Problems.From(new Error("auth.locked_out", "账户已锁定", "登录失败次数过多，账户已临时锁定，请 15 分钟后再试或联系管理员。", 423));
        }

        if (!result.Succeeded)
        {
            return Problems.From(new Error("auth.invalid_credentials", "登录失败", "用户名或密码错误。", 401));
        }

        var user = (await users.FindByNameAsync(request.UserName.Trim()))!;
        var roles = await users.GetRolesAsync(user);
        return TypedResults.Ok(new MeResponse(user.Id, user.DisplayName, roles.ToList(), user.UnitId, user.ScopePath));
    }

    private static async Task<NoContent> LogoutAsync(SignInManager<StaffUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.NoContent();
    }

    private static Results<Ok<MeResponse>, UnauthorizedHttpResult> GetMe(HttpContext http)
    {
        if (http.User.ToStaffPrincipal() is not { } me)
        {
            return TypedResults.Unauthorized();
        }

        return TypedResults.Ok(new MeResponse(me.UserId, me.DisplayName, me.Roles.ToList(), me.UnitId, me.ScopePath));
    }

    private static string LoginPage(string error, string returnUrl) =>
        $"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
