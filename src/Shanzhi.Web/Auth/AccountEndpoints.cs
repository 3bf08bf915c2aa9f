using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Shanzhi.Identity;
using Shanzhi.Web.Api;

namespace Shanzhi.Web.Auth;

/// <summary>
/// Sign-in and sign-out for the console (form posts) and for API clients (JSON). Sign-in is password,
/// then for enrolled users a TOTP code, and for administrators without an authenticator an
/// enrolment step; see <see cref="StaffSignIn"/>.
/// </summary>
public static class AccountEndpoints
{
    public sealed record LoginRequest(string UserName, string Password);

    public sealed record CodeRequest(string? Code);

    public sealed record MeResponse(Guid? Id, string DisplayName, IReadOnlyCollection<string> Roles, Guid? UnitId, string ScopePath);

    /// <summary>Answer to a correct password when a second step is needed; the enrolment key only when enrolment is.</summary>
    public sealed record NextStepResponse(bool RequiresTwoFactor, bool RequiresEnrollment, string? SharedKey = null, string? AuthenticatorUri = null);

    public static void MapAccountEndpoints(this WebApplication app)
    {
        app.MapPost("/account/login", LoginFormAsync).WithName("LoginForm").ExcludeFromDescription();
        app.MapPost("/account/login/totp", TotpFormAsync).WithName("TotpForm").ExcludeFromDescription();
        app.MapPost("/account/enroll", EnrollFormAsync).WithName("EnrollForm").ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutFormAsync).WithName("LogoutForm").ExcludeFromDescription();

        var api = app.MapGroup("/api/v1/auth").WithTags("账户")
            .RejectUnexpectedInput();
        api.MapPost("/login", LoginAsync).WithName("Login").DisableAntiforgery()
            .WithSummary("登录（JSON）：密码正确时返回当前用户并设置登录 Cookie，或提示需要动态口令（requiresTwoFactor）或绑定身份验证器（requiresEnrollment）");
        api.MapPost("/login/totp", TotpAsync).WithName("LoginTotp").WithSummary("登录第二步：提交身份验证器上的 6 位动态口令").DisableAntiforgery();
        api.MapPost("/enroll", EnrollAsync).WithName("EnrollAuthenticator").WithSummary("绑定身份验证器：提交首个动态口令完成绑定并登录").DisableAntiforgery();
        api.MapPost("/logout", LogoutAsync).WithName("Logout").WithSummary("退出登录").RequireAuthorization().DisableAntiforgery();
        api.MapGet("/me", GetMe).WithName("GetMe").WithSummary("当前登录用户").RequireAuthorization();
    }

    private static async Task<RedirectHttpResult> LoginFormAsync(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl, StaffSignIn signIn)
    {
        var target = SafeTarget(returnUrl);
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return TypedResults.Redirect(StepPage("/login", "missing", target));
        }

        return FormRedirect((await signIn.PasswordAsync(userName, password)).Outcome, "/login", target);
    }

    private static async Task<RedirectHttpResult> TotpFormAsync([FromForm] string? code, [FromForm] string? returnUrl, StaffSignIn signIn) =>
        FormRedirect((await signIn.TotpAsync(code)).Outcome, "/login/totp", SafeTarget(returnUrl));

    private static async Task<RedirectHttpResult> EnrollFormAsync([FromForm] string? code, [FromForm] string? returnUrl, StaffSignIn signIn) =>
        FormRedirect((await signIn.EnrollAsync(code)).Outcome, "/login/enroll", SafeTarget(returnUrl));

    private static RedirectHttpResult FormRedirect(SignInOutcome outcome, string page, string target) => outcome switch
    {
        SignInOutcome.SignedIn => TypedResults.LocalRedirect(target),
        SignInOutcome.RequiresTwoFactor => TypedResults.Redirect(StepPage("/login/totp", null, target)),
        SignInOutcome.RequiresEnrollment => TypedResults.Redirect(StepPage("/login/enroll", null, target)),
        SignInOutcome.LockedOut => TypedResults.Redirect(StepPage("/login", "locked", target)),
        SignInOutcome.Disabled => TypedResults.Redirect(StepPage("/login", "disabled", target)),
        SignInOutcome.Expired => TypedResults.Redirect(StepPage("/login", "expired", target)),
        _ => TypedResults.Redirect(StepPage(page, "1", target)),
    };

    private static async Task<RedirectHttpResult> LogoutFormAsync(SignInManager<StaffUser> signIn)
    {
        await signIn.SignOutAsync();
        return TypedResults.LocalRedirect("/login");
    }

    private static async Task<Results<Ok<MeResponse>, Ok<NextStepResponse>, ProblemHttpResult>> LoginAsync(
        LoginRequest request, StaffSignIn signIn, UserManager<StaffUser> users)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.Invalid("auth.missing_credentials", "userName", "请填写用户名和密码。");
        }

        var step = await signIn.PasswordAsync(request.UserName, request.Password);
        if (step.Outcome == SignInOutcome.RequiresEnrollment)
        {
            var enrollment = await signIn.EnrollmentForAsync(step.User!);
            return TypedResults.Ok(new NextStepResponse(false, true, enrollment.SharedKey, enrollment.AuthenticatorUri));
        }

        return await ApiAnswerAsync(step, users, AuthErrors.InvalidCredentials);
    }

    private static async Task<Results<Ok<MeResponse>, Ok<NextStepResponse>, ProblemHttpResult>> TotpAsync(
        CodeRequest request, StaffSignIn signIn, UserManager<StaffUser> users) =>
        await ApiAnswerAsync(await signIn.TotpAsync(request.Code), users, AuthErrors.InvalidCode);

    private static async Task<Results<Ok<MeResponse>, Ok<NextStepResponse>, ProblemHttpResult>> EnrollAsync(
        CodeRequest request, StaffSignIn signIn, UserManager<StaffUser> users) =>
        await ApiAnswerAsync(await signIn.EnrollAsync(request.Code), users, AuthErrors.InvalidCode);

    private static async Task<Results<Ok<MeResponse>, Ok<NextStepResponse>, ProblemHttpResult>> ApiAnswerAsync(
        SignInStep step, UserManager<StaffUser> users, Error failed)
    {
        switch (step.Outcome)
        {
            case SignInOutcome.SignedIn:
                var user = step.User!;
                var roles = await users.GetRolesAsync(user);
                return TypedResults.Ok(new MeResponse(user.Id, user.DisplayName, roles.ToList(), user.UnitId, user.ScopePath));
            case SignInOutcome.RequiresTwoFactor:
                return TypedResults.Ok(new NextStepResponse(true, false));
            case SignInOutcome.RequiresEnrollment:
                return TypedResults.Ok(new NextStepResponse(false, true));
            case SignInOutcome.LockedOut:
                return Problems.From(AuthErrors.LockedOut);
            case SignInOutcome.Disabled:
                return Problems.From(AuthErrors.Disabled);
            case SignInOutcome.Expired:
                return Problems.From(AuthErrors.StepExpired);
            default:
                return Problems.From(failed);
        }
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

    private static string StepPage(string page, string? error, string returnUrl) =>
        error is null
            ? $"{page}?returnUrl={Uri.EscapeDataString(returnUrl)}"
            : $"{page}?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static string SafeTarget(string? returnUrl) => IsLocalUrl(returnUrl) ? returnUrl! : "/";

    private static bool IsLocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}

/// <summary>Sign-in failures API clients see. The console's sign-in pages show the lockout and TOTP texts too (<c>ConsoleText</c>).</summary>
public static class AuthErrors
{
    public static readonly Error InvalidCredentials = new("auth.invalid_credentials", "登录失败", "用户名或密码错误。", 401);

    public static readonly Error InvalidCode = new("auth.invalid_code", "动态口令错误", "动态口令错误或已过期，请输入身份验证器上当前显示的 6 位数字。", 401);

    public static readonly Error LockedOut = new("auth.locked_out", "账户已锁定", $"登录失败次数过多，账户已临时锁定，请 {AuthRegistration.LockoutMinutes} 分钟后再试或联系管理员。", 423);

    /// <summary>Sent only after a correct password, so it shows no more than a successful sign-in would.</summary>
    public static readonly Error Disabled = new("auth.account_disabled", "账户已停用", "该账户已停用，无法登录。如需恢复，请联系系统管理员。", 403);

    public static readonly Error StepExpired = new("auth.step_expired", "登录已超时", "请重新输入用户名和密码登录。", 401);
}
