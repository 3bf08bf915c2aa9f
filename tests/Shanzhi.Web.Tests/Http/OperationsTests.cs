using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

public sealed class OperationsTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Health_endpoints_answer(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var client = platform.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Theory]
    [InlineData("POST", "/health/live")]
    [InlineData("DELETE", "/health/ready")]
    [InlineData("FOO", "/health/live")]
    public async Task Health_endpoints_take_only_reads(string method, string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_lists_case_endpoints()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var document = await (await platform.CreateClient().GetAsync("/openapi/v1.json")).ReadJsonAsync();

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/cases", out _));
        Assert.True(paths.TryGetProperty("/open311/v2/services.json", out _));
    }

    [Fact]
    public async Task Account_locks_after_five_failures()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { userName = "admin", password = "wrong" }));
        }

        var response = await client.PostAsync("/api/v1/auth/login",
            System.Net.Http.Json.JsonContent.Create(new { userName = "admin", password = PlatformFactory.AdminPassword }));

        await ProblemAssert.IsProblemAsync(response, (HttpStatusCode)423, "auth.locked_out");
    }
}
