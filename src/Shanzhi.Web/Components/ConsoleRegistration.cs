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
        services.AddAntDesign();
        services.TryAddSingleton(TimeProvider.System);

        // AntDesign 1.6 picks its built-in texts (pagination, date pickers, empty tables) by the UI
        // culture, and SetLocale sets CultureInfo.DefaultThreadCurrentUICulture, so circuits get zh-CN too.
        LocaleProvider.DefaultLanguage = Culture;
        LocaleProvider.SetLocale(Culture);
        return services;
    }

    public static WebApplication MapShanzhiConsole(this WebApplication app)
    {
        // NOTE: when the platform runs from the build output, this also maps a development fallback
        // route {**path:file} for GET and HEAD. So a GET on a POST-only API path gets 404 instead of
        // 405, and the Allow header of a 405 lists GET and HEAD even where the endpoint takes only POST.
        app.MapStaticAssets();
        // The site-wide policy (UseSecurityHeaders) already says frame-ancestors 'none'; Blazor's own
        // frame-ancestors 'self' header would be a second, looser policy on the same response.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
