namespace Shanzhi.Web.Components;

/// <summary>Registers and maps the Blazor staff console.</summary>
// TODO: placeholder until the console is built.
public static class ConsoleRegistration
{
    public static IServiceCollection AddShanzhiConsole(this IServiceCollection services) => services;

    public static WebApplication MapShanzhiConsole(this WebApplication app) => app;
}
