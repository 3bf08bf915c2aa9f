using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Bad input gets a 4xx problem with a stable code and Chinese text, and changes nothing.</summary>
public sealed class BadInputTests
{
    private static async Task<int> CaseCountAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/api/v1/cases?pageSize=1")).ReadJsonAsync();
        return page.GetProperty("total").GetInt32();
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Invalid_coordinates_are_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var client = await platform.SignInAdminAsync();

        var response = await client.PostAsJsonAsync("/api/v1/cases", new { title = "井盖缺失", latitude = 200.0, longitude = 121.5, categoryCode = "E0101" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "case.invalid_coordinates");
        Assert.Equal("latitude", problem.GetProperty("field").GetString());
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Theory]
    [InlineData("/api/v1/no-such-endpoint", "application/xml", HttpStatusCode.NotFound, "request.not_found")]
    [InlineData("/api/v1/no-such-endpoint", "text/html", HttpStatusCode.NotFound, "request.not_found")]
    [InlineData("/api/v1/cases", "application/xml", HttpStatusCode.Unauthorized, "auth.required")]
    [InlineData("/open311/v2/requests.json", "text/plain", HttpStatusCode.Unauthorized, "auth.required")]
    [InlineData("/open311/v2/no-such-endpoint", "text/html", HttpStatusCode.NotFound, "request.not_found")]
    [InlineData("/console/no-such-page", "application/json", HttpStatusCode.NotFound, "request.not_found")]
    [InlineData("/openapi/v2.json", "*/*", HttpStatusCode.NotFound, "request.not_found")]
    [InlineData("/openapi/v2.json", "application/xml", HttpStatusCode.NotFound, "request.not_found")]
    public async Task Api_error_is_problem_whatever_accept(string url, string accept, HttpStatusCode status, string code)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, status, code);
    }

    [Theory]
    [InlineData("PUT", "/login", "*/*")]
    [InlineData("PUT", "/login", "text/html")]
    [InlineData("DELETE", "/", "application/xml")]
    [InlineData("PUT", "/api/v1/cases", "text/html")]
    [InlineData("DELETE", "/api/v1/epidemic/gate/check", "text/plain")]
    [InlineData("PATCH", "/open311/v2/requests.json", "application/xml")]
    public async Task Wrong_method_is_problem_whatever_accept(string method, string url, string accept)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed, "request.method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("GET", "/api/v1/auth/login", "POST")]
    [InlineData("GET", "/api/v1/epidemic/gate/check", "POST")]
    [InlineData("GET", "/account/login", "POST")]
    [InlineData("PUT", "/api/v1/auth/login", "POST")]
    [InlineData("DELETE", "/account/login", "POST")]
    [InlineData("GET", "/api/v1/grid/points/redemptions", "POST")]
    [InlineData("POST", "/api/v1/pi-handlers/export.csv", "GET, HEAD")]
    [InlineData("PUT", "/health/live", "GET, HEAD")]
    [InlineData("DELETE", "/api/v1/cases", "GET, HEAD, POST")]
    [InlineData("PATCH", "/open311/v2/requests.json", "GET, HEAD, POST")]
    public async Task Wrong_method_lists_allowed_methods(string method, string url, string allow)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAssert.IsMethodNotAllowedAsync(response, allow);
    }

    [Theory]
    [InlineData("DELETE", "/no-such-page")]
    [InlineData("POST", "/no-such-page")]
    [InlineData("DELETE", "/api/v1/no-such-endpoint")]
    [InlineData("POST", "/api/v1/no-such-endpoint")]
    [InlineData("PUT", "/open311/v2/no-such-endpoint")]
    public async Task Unknown_path_is_404_for_any_method(string method, string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "request.not_found");
        Assert.Empty(response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("/console/no-such-page", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    [InlineData("/no-such-page", "text/html")]
    [InlineData("/openapi/v2.json", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    public async Task Unknown_page_in_browser_is_Chinese_html(string url, string accept)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        using var client = platform.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);

        var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("页面不存在", body, StringComparison.Ordinal);
        Assert.Contains("返回首页", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Point_outside_Ningbo_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        // The Bund, Shanghai.
        var response = await client.PostAsJsonAsync("/api/v1/cases", new { title = "井盖缺失", latitude = 31.2400, longitude = 121.4900, categoryCode = "E0101" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "geo.outside_city");
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Fact]
    public async Task Unknown_category_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var response = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            title = "测试",
            latitude = ApiClient.Haishu.Latitude,
            longitude = ApiClient.Haishu.Longitude,
            categoryCode = "X9999",
        });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "case.unknown_category");
        Assert.Equal("categoryCode", problem.GetProperty("field").GetString());
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Fact]
    public async Task Over_long_title_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var response = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            title = new string('垃', 101),
            latitude = ApiClient.Haishu.Latitude,
            longitude = ApiClient.Haishu.Longitude,
            categoryCode = "E0101",
        });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "case.title_too_long");
        Assert.Equal("title", problem.GetProperty("field").GetString());
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Closing_unverified_case_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var client = await platform.SignInAdminAsync();
        var reported = await client.ReportAsync(ApiClient.Haishu);
        var id = reported.GetProperty("id").GetString()!;
        await client.ActOkAsync(id, "file", new { categoryCode = "E0101" });

        var response = await client.ActAsync(id, "close");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "case.illegal_transition");
        var after = await client.GetCaseAsync(id);
        Assert.Equal("Filed", after.GetProperty("state").GetString());
        Assert.Equal(2, after.GetProperty("eventCount").GetInt32());
    }

    [Fact]
    public async Task Unknown_action_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();
        var id = (await client.ReportAsync(ApiClient.Haishu)).GetProperty("id").GetString()!;

        var response = await client.ActAsync(id, "demolish");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "case.unknown_action");
    }

    [Fact]
    public async Task Wrong_content_type_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var response = await client.PostAsync("/api/v1/cases", new StringContent("title=x", Encoding.UTF8, "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Fact]
    public async Task Malformed_json_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var response = await client.PostAsync("/api/v1/cases", new StringContent("{\"title\": ", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid");
        Assert.Equal(0, await CaseCountAsync(client));
    }

    [Theory]
    [InlineData("/api/v1/epidemic/persons/import", "multipart/form-data; boundary=XX")]
    [InlineData("/api/v1/epidemic/persons/import", "multipart/form-data")]
    [InlineData("/api/v1/cases/01a2489f-5d3f-7168-9f75-b097b9d4c183/attachments", "multipart/form-data; boundary=XX")]
    [InlineData("/open311/v2/requests.json", "multipart/form-data; boundary=XX")]
    [InlineData("/open311/v2/requests.json", "multipart/form-data")]
    public async Task Malformed_multipart_is_400_problem(string url, string contentType)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("clerk", "Clerk-Pass-2026", ["epidemic-officer", "command-operator"], "330200");
        var clerk = await platform.SignInAsync("clerk", "Clerk-Pass-2026");

        // The body ends before the closing boundary "--XX--", as when an upload is cut off.
        var truncated = "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n姓名,身份证号,人口类别\r\n";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(truncated));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var response = await clerk.PostAsync(url, content);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.malformed_form");
        Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await CaseCountAsync(clerk));
        var persons = await (await clerk.GetAsync("/api/v1/epidemic/persons")).ReadJsonAsync();
        Assert.Equal(0, persons.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Anonymous_api_call_gets_401_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient();

        var response = await client.GetAsync("/api/v1/cases");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.required");
    }

    [Fact]
    public async Task Wrong_password_gets_401_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = "wrong-password" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_credentials");
    }
}
