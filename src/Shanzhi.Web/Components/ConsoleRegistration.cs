using AntDesign;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shanzhi.Web.Components;

/// <summary>Registers and maps the Blazor staff console.</summary>
public static class ConsoleRegistration
{
    /// <summary>Culture of every console text, date and AntDesign built-in label.</summary>
    public const string Culture = "zh-CN";

    public static IServiceCollection AddShanzhiConsole(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Auth.ConsoleSessionRevalidation>();
        services.AddAntDesign();
        services.TryAddSingleton(TimeProvider.System);

        // AntDesign 1.6 picks its built-in texts (pagination, date pickers, empty tables) by the UI
        // culture, and SetLocale sets CultureInfo.DefaultThreadCurrentUICulture, so circuits get zh-CN too.
        LocaleProvider.DefaultLanguage = Culture;
        LocaleProvider.SetLocale(Culture);
        return services;
    }

    private const string DisableStaticAssetFallbackKey = "DisableStaticAssetNotFoundRuntimeFallback";

    public static WebApplication MapShanzhiConsole(this WebApplication app)
    {
        // Run from the build output, MapStaticAssets also maps a fallback route {**path:file} for GET
        // and HEAD, which serves files added to wwwroot after the build. Its file check is a route
        // constraint, and routing filters by HTTP method before it runs constraints. So that route
        // would count at every address: GET on a POST-only address would get 404, DELETE on an
        // unknown one 405, and every 405 would list GET and HEAD. The platform serves only the files
        // in the build's manifest, as a published build does. ASP.NET Core 10.0 reads this key when
        // MapStaticAssets runs.
        app.Configuration[DisableStaticAssetFallbackKey] = "true";
        app.MapStaticAssets();
        // The site-wide policy (UseSecurityHeaders) already says frame-ancestors 'none'; Blazor's own
        // frame-ancestors 'self' header would be a second, looser policy on the same response.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
