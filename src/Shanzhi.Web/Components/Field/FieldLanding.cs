using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Components.Field;

/// <summary>
/// Sends grid workers and micro-grid members who open the console's home page to the phone pages.
/// Sign-in redirects to "/" by default, so this is also where they land after signing in. Staff
/// with any console role keep the console.
/// </summary>
public static class FieldLanding
{
    public const string Home = "/m";

    public static IApplicationBuilder UseFieldLanding(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method)
                && context.Request.Path == "/"
                && context.User.ToStaffPrincipal() is { } user
                && FieldRoles.LandsOnPhonePages(user))
            {
                context.Response.Redirect(Home);
                return;
            }

            await next(context);
        });
}
