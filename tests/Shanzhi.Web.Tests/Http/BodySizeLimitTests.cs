using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// A body over Kestrel's MaxRequestBodySize gets 413 <c>request.too_large</c> naming the limit.
/// The test server enforces no body limit, so these tests run the host on Kestrel.
/// </summary>
public sealed class BodySizeLimitTests
{
    /// <summary>Small enough that the whole body fits in the socket buffers, so the client finishes sending before the server responds.</summary>
    private const long KestrelLimitBytes = 64 * 1024;

    [Fact]
    public async Task Body_over_Kestrel_limit_names_the_limit()
    {
        await using var platform = new PlatformFactory(await TestStore.CreateAsync(StoreKind.Sqlite));
        platform.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = KestrelLimitBytes;
        });
        platform.StartServer();
        var address = new Uri(platform.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = address, AllowAutoRedirect = false });
        var body = $$"""{"userName":"admin","password":"{{new string('x', (int)KestrelLimitBytes)}}"}""";

        var response = await client.PostAsync("/api/v1/auth/login", new StringContent(body, Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "request.too_large");
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("64 KB", detail, StringComparison.Ordinal);
        Assert.Contains("65536 字节", detail, StringComparison.Ordinal);
    }
}
