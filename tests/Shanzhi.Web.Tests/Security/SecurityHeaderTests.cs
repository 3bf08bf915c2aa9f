using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Security;

public sealed partial class SecurityHeaderTests
{
    private static async Task<string> PolicyOfAsync(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));

    [Fact]
    public async Task Login_page_allows_scripts_from_the_site_only()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var policy = await PolicyOfAsync(await platform.CreateClient().GetAsync("/login"));

        Assert.Matches(@"(^|; )script-src 'self' 'nonce-[0-9A-F]{32}'(;|$)", policy);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_response_allows_no_content()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var policy = await PolicyOfAsync(await platform.CreateClient().GetAsync("/api/v1/auth/me"));

        Assert.Equal("default-src 'none'; frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task Import_map_carries_the_policy_nonce()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await platform.CreateClient().GetAsync("/login");
        var policyNonce = NonceInPolicy().Match(await PolicyOfAsync(response)).Groups[1].Value;
        var pageNonce = NonceOnImportMap().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value;

        Assert.NotEmpty(policyNonce);
        Assert.Equal(policyNonce, pageNonce);
    }

    [Fact]
    public async Task Configured_tile_host_is_allowed_for_images()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite,
            web => web.UseSetting("Map:TileUrl", "https://{s}.tiles.example.org/{z}/{x}/{y}.png"));

        var policy = await PolicyOfAsync(await platform.CreateClient().GetAsync("/login"));

        Assert.Contains("img-src 'self' data: blob: https://*.tiles.example.org;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_response_has_no_HSTS()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await platform.CreateClient().GetAsync("/health/live");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Https_response_has_HSTS()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

        var response = await client.GetAsync("/health/live");

        Assert.Equal("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Theory]
    [InlineData("/api/v1/auth/me")]
    [InlineData("/api/v1/users")]
    [InlineData("/api/v1/cases")]
    public async Task Personal_data_responses_are_not_stored(string path)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync(path);

        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        Assert.True(response.Headers.CacheControl?.NoStore, $"{path} lacks Cache-Control: no-store");
    }

    [GeneratedRegex(@"'nonce-([^']+)'")]
    private static partial Regex NonceInPolicy();

    [GeneratedRegex(@"<script type=""importmap"" nonce=""([^""]+)""")]
    private static partial Regex NonceOnImportMap();
}
