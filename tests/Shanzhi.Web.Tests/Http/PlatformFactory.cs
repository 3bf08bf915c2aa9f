using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// The whole platform in memory over a fresh store (SQLite file or PostgreSQL database), seeded as
/// on first start, with a known administrator password. Administrators sign in with the password
/// alone here (<c>Security:RequireTwoFactorForAdmins</c> false) so tests about other things need no
/// TOTP step; tests of the second factor switch it back on through <paramref name="configure"/>.
/// The factory disposes the store with itself unless <paramref name="ownsStore"/> is false, for a
/// second platform on the store of another.
/// </summary>
public sealed class PlatformFactory(TestStore store, Action<IWebHostBuilder>? configure = null, bool ownsStore = true) : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Test-2026";

    public TestStore Store { get; } = store;

    public static async Task<PlatformFactory> StartAsync(StoreKind kind, Action<IWebHostBuilder>? configure = null)
    {
        var factory = new PlatformFactory(await TestStore.CreateAsync(kind), configure);
        _ = factory.Server;
        return factory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Storage:Provider", Store.Options.Provider.ToString());
        builder.UseSetting("Storage:DataDirectory", Store.Options.DataDirectory);
        builder.UseSetting("Storage:ConnectionString", Store.Options.ConnectionString ?? "");
        builder.UseSetting("Bootstrap:AdminPassword", AdminPassword);
        builder.UseSetting("Security:RequireTwoFactorForAdmins", "false");
        builder.ConfigureLogging(logging => logging.AddProvider(LogSink.Shared.Provider()));
        configure?.Invoke(builder);
    }

    /// <summary>A client signed in with the given credentials; fails the test if sign-in fails.</summary>
    public async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        Assert.True(response.IsSuccessStatusCode, $"Sign-in as {userName} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    public Task<HttpClient> SignInAdminAsync() => SignInAsync("admin", AdminPassword);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsStore)
        {
            await Store.DisposeAsync();
        }
    }
}
