using Shanzhi;
using Shanzhi.Cases;
using Shanzhi.Grids;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Web.Api;
using Shanzhi.Web.Auth;
using Shanzhi.Web.Components;
using Shanzhi.Web.Components.Field;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,

    // appsettings.json sits beside the binaries, so `dotnet run --project src/Shanzhi.Web` finds it
    // while the data folder stays relative to the caller's working directory. Hosts that pass their
    // own content root (tests, service managers) keep it.
    ContentRootPath = args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
});

// The default address, unless --urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS or Kestrel endpoints choose one.
// It is not in appsettings.json because "Urls" there would override ASPNETCORE_URLS, which ASP.NET
// Core reads as host configuration before appsettings.json.
if (!HasConfiguredAddress(builder.Configuration))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

// Serve wwwroot and the component libraries' assets from the build output in every environment.
builder.WebHost.UseStaticWebAssets();
builder.Configuration.AddEnvironmentVariables("SHANZHI_");

builder.Services.AddShanzhiPlatform(
    builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions(),
    builder.Configuration);
builder.Services.AddShanzhiCaseJobs();
builder.Services.AddShanzhiRetentionJob();
builder.Services.AddGridJobs();
builder.Services.AddShanzhiAuth();
builder.Services.AddAntiforgery();
builder.Services.AddShanzhiApi();
builder.Services.AddShanzhiHealth();
builder.Services.AddShanzhiConsole();

var app = builder.Build();
await app.Services.GetRequiredService<StoreInitializer>().InitializeAsync(app.Lifetime.ApplicationStopping);

// HEAD is routed as GET, so routing must run after that rewrite rather than at the start of the pipeline.
app.UseHeadAsGet();
app.UseRouting();
app.UseShanzhiErrors();
app.UseSecurityHeaders();
app.UseInputHygiene();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.UseAntiforgeryProblems();
app.UseFieldLanding();

app.MapHealthEndpoints();
app.MapAccountEndpoints();
app.MapPasswordEndpoints();
app.MapCaseEndpoints();
app.MapReferenceEndpoints();
app.MapUserEndpoints();
app.MapGeographyEndpoints();
app.MapKpiEndpoints();
app.MapCalendarEndpoints();
app.MapOpen311Endpoints();
app.MapAuditEndpoints();
app.MapPrivacyEndpoints();
app.MapPiHandlerEndpoints();
app.MapPrivacyRequestEndpoints();
app.MapEpidemicPassageEndpoints();
app.MapEpidemicGateEndpoints();
app.MapEpidemicInvestigationEndpoints();
app.MapGridEndpoints();
app.MapEpidemicRegistryEndpoints();
app.MapShanzhiOpenApi();
app.MapShanzhiConsole();

app.LogLifecycle();
app.Run();

/// <summary>Entry point, public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program
{
    private static bool HasConfiguredAddress(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
