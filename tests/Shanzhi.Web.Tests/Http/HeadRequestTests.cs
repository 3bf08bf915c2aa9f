using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>HEAD gets the status and headers GET gets on the same address, and no body.</summary>
public sealed class HeadRequestTests
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/")]
    [InlineData("/cases")]
    [InlineData("/audit")]
    [InlineData("/api/v1/cases")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/live")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task Head_answers_as_get_signed_out(string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        await AssertHeadMatchesGetAsync(client, url);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cases")]
    [InlineData("/api/v1/cases")]
    [InlineData("/api/v1/categories")]
    public async Task Head_answers_as_get_signed_in(string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var (get, _) = await AssertHeadMatchesGetAsync(admin, url);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/epidemic/gate/check")]
    [InlineData("/api/v1/auth/login")]
    [InlineData("/account/login")]
    public async Task Head_on_post_only_endpoint_gets_405(string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient();

        // No GET endpoint exists here either, so HEAD gets what GET gets: 405 naming POST, never a 500.
        var (get, head) = await AssertHeadMatchesGetAsync(client, url);

        await ProblemAssert.IsMethodNotAllowedAsync(get, "POST");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, head.StatusCode);
        Assert.Equal(["POST"], head.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/_framework/blazor.web.js", "text/javascript")]
    public async Task Static_asset_answers_get_and_head(string url, string mediaType)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient();

        var (get, _) = await AssertHeadMatchesGetAsync(client, url);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(mediaType, get.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/login", 200)]
    [InlineData("/", 302)]
    [InlineData("/no-such-page", 404)]
    [InlineData("/api/v1/cases", 401)]
    public async Task Kestrel_sends_no_body_for_head(string url, int status)
    {
        await using var platform = new PlatformFactory(await TestStore.CreateAsync(StoreKind.Sqlite));
        platform.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        platform.StartServer();
        var address = new Uri(platform.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        // HttpClient never reads a body after HEAD, so the bytes on the wire are read directly.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        var request = $"HEAD {url} HTTP/1.1\r\nHost: {address.Authority}\r\nAccept: text/html\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received, TestContext.Current.CancellationToken);
        var response = Encoding.UTF8.GetString(received.ToArray());

        var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(headerEnd > 0, $"No complete header block: {response}");
        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.Equal("", response[(headerEnd + 4)..]);
    }

    /// <summary>Sends GET and then HEAD and checks that HEAD got the same status, content type and redirect target.</summary>
    private static async Task<(HttpResponseMessage Get, HttpResponseMessage Head)> AssertHeadMatchesGetAsync(HttpClient client, string url)
    {
        var get = await client.GetAsync(url, TestContext.Current.CancellationToken);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), TestContext.Current.CancellationToken);

        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(get.Headers.Location, head.Headers.Location);
        Assert.Equal(get.Headers.CacheControl, head.Headers.CacheControl);
        return (get, head);
    }
}
