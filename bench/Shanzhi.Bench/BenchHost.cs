extern alias web;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Bench;

/// <summary>
/// The web host with its own services over a fresh SQLite store in <paramref name="folder"/>, seeded
/// as on first start (Ningbo geography, units, the catalogue), without log output.
/// </summary>
internal sealed class BenchHost(string folder) : WebApplicationFactory<web::Program>
{
    // WebApplicationFactory looks for the project folder next to a solution file; the built binaries are the content root here.
    static BenchHost() => Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SHANZHI_WEB", AppContext.BaseDirectory);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Benchmark");
        builder.UseSetting("Storage:Provider", "Sqlite");
        builder.UseSetting("Storage:DataDirectory", folder);
        builder.UseSetting("Bootstrap:AdminPassword", "Bench-Admin-2026");
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }
}
