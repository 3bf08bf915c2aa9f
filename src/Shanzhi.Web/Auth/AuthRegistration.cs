using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Auth;

public static class AuthRegistration
{
    /// <summary>How long an account (or an unknown user name) stays locked after too many failures; the lockout message names it.</summary>
    public const int LockoutMinutes = 15;

    /// <summary>
    /// Registers Identity with cookie sign-in, lockout, TOTP for administrators, idle and absolute
    /// session timeouts (section <c>Security</c>) and the first-administrator seeder.
    /// </summary>
    public static IServiceCollection AddShanzhiAuth(this IServiceCollection services)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddAuthorization();
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        services
            .AddIdentityCore<StaffUser>(options =>
            {
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(LockoutMinutes);
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<ShanzhiDbContext>()
            .AddSignInManager<AuditingSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddDefaultTokenProviders()
            // Replaces Identity's authenticator provider, which accepts a code more than once.
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);

        // The periodic security-stamp check rebuilds the principal from the database; the session's
        // sign-in time and second-factor mark must survive it.
        services.Configure<SecurityStampValidatorOptions>(options => options.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identity is ClaimsIdentity fresh && context.CurrentPrincipal is { } current)
            {
                foreach (var type in (string[])[StaffClaims.SignedInAt, StaffClaims.AuthenticationMethodReference])
                {
                    foreach (var stale in fresh.FindAll(type).ToList())
                    {
                        fresh.RemoveClaim(stale);
                    }

                    fresh.AddClaims(current.FindAll(type).Select(c => new Claim(c.Type, c.Value, c.ValueType)));
                }
            }

            return Task.CompletedTask;
        });

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<SecurityOptions>>((options, security) =>
            {
                options.Cookie.Name = "shanzhi.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/login";
                options.ExpireTimeSpan = security.Value.IdleTimeout;
                options.SlidingExpiration = true;
                options.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateSessionAsync,

                    // API clients get a status code and a problem body, never a redirect to the login page.
                    OnRedirectToLogin = context => RejectApiOrRedirect(context, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = context => RejectApiOrRedirect(context, StatusCodes.Status403Forbidden),
                };
            });

        services.AddSingleton<UnknownUserNameLockout>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<IStoreSeeder, AdminBootstrapper>();
        return services;
    }

    /// <summary>
    /// Ends sessions past the absolute timeout, administrator sessions without a second factor
    /// when one is required, and sessions whose account changed its security stamp or was disabled.
    /// Then runs Identity's periodic security-stamp check, which rebuilds the principal from the
    /// database (and which replacing the cookie events would otherwise drop).
    /// </summary>
    /// <remarks>
    /// Identity compares the stamp only every <see cref="SecurityStampValidatorOptions.ValidationInterval"/>
    /// (30 minutes by default). The comparison here runs on every request, so that a password
    /// reset, a change of roles or a disabled account ends the account's other sessions at once.
    /// It costs one read of the account by primary key per authenticated request. An open console
    /// page makes no requests, so <see cref="ConsoleSessionRevalidation"/> checks its circuit the same way.
    /// </remarks>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var security = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (context.Principal is not { } principal
            || !await IsSessionValidAsync(principal, services.GetRequiredService<SignInManager<StaffUser>>(), security, now))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(context.Scheme.Name);
            return;
        }

        await SecurityStampValidator.ValidatePrincipalAsync(context);
    }

    /// <summary>
    /// Checks a session against the absolute timeout and the second-factor rule, and its security
    /// stamp against the account (a changed stamp or a disabled account fails).
    /// </summary>
    internal static async Task<bool> IsSessionValidAsync(ClaimsPrincipal principal, SignInManager<StaffUser> signIn, SecurityOptions security,
        DateTimeOffset now) =>
        IsSessionCurrent(principal, security, now) && await signIn.ValidateSecurityStampAsync(principal) is not null;

    internal static bool IsSessionCurrent(ClaimsPrincipal principal, SecurityOptions security, DateTimeOffset now)
    {
        if (!long.TryParse(principal.FindFirstValue(StaffClaims.SignedInAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var signedInAt)
            || now - DateTimeOffset.FromUnixTimeSeconds(signedInAt) > security.AbsoluteTimeout)
        {
            return false;
        }

        var isAdministrator = Roles.Administrators.Any(principal.IsInRole);
        return !(security.RequireTwoFactorForAdmins && isAdministrator && !principal.HasClaim(StaffClaims.AuthenticationMethodReference, "mfa"));
    }

    private static Task RejectApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/open311"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
