using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http.Epidemic;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Problems for the shape of a request rather than its values: paging parameters, content types, bodies, route values, problem types.</summary>
public sealed class RequestShapeTests
{
    [Theory]
    [InlineData("/api/v1/epidemic/persons?page=-1", "page")]
    [InlineData("/api/v1/epidemic/persons?page=1&pageSize=0", "pageSize")]
    [InlineData("/api/v1/cases?page=0", "page")]
    [InlineData("/api/v1/cases?pageSize=201", "pageSize")]
    [InlineData("/api/v1/audit?page=0", "page")]
    [InlineData("/api/v1/pi-handlers?page=-3&pageSize=0", "page")]
    public async Task Paging_problem_names_parameter_at_fault(string url, string field)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var client = url.StartsWith("/api/v1/epidemic", StringComparison.Ordinal) ? gate.Officer : await gate.Platform.SignInAdminAsync();

        var response = await client.GetAsync(url);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_paging");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains(field, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(field == "page" ? "pageSize" : "页码", detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Non_json_device_bodies_get_415(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        var check = $$$"""{"sequence":1,"occurredAt":"{{{GatePlatform.CheckTimeText}}}","direction":"In","identity":{"kind":"noMatch"}}""";
        const string Batch = """[{"sequence":2,"occurredAt":"2026-03-02T09:00:00+08:00","direction":"In","decision":"Pass"}]""";

        var checkAsText = await device.PostAsync("/api/v1/epidemic/gate/check", new StringContent(check, Encoding.UTF8, "text/plain"));
        var checkAsForm = await device.PostAsync("/api/v1/epidemic/gate/check", new StringContent(check, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var batchAsText = await device.PostAsync("/api/v1/epidemic/passages/batch", new StringContent(Batch, Encoding.UTF8, "text/plain"));
        var checkWithoutType = new ByteArrayContent(Encoding.UTF8.GetBytes(check));
        var untyped = await device.PostAsync("/api/v1/epidemic/gate/check", checkWithoutType);
        var checkAsJson = await device.PostAsync("/api/v1/epidemic/gate/check", new StringContent(check, Encoding.UTF8, "application/json"));

        foreach (var response in new[] { checkAsText, checkAsForm, batchAsText, untyped })
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
            Assert.Contains("application/json", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, checkAsJson.StatusCode);
        Assert.Equal(1, await gate.QueryAsync(db => db.Passages.CountAsync()));
    }

    [Fact]
    public async Task Json_staff_body_as_text_gets_415()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);

        var response = await gate.Officer.PostAsync("/api/v1/epidemic/places", new StringContent("""{"name":"测试","kind":"Mall"}""", Encoding.UTF8, "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Body_on_bodiless_post_is_rejected(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (placeId, _) = await gate.DeviceAsync(PlaceKind.Mall);
        var deviceId = await gate.QueryAsync(db => db.Devices.Select(d => d.Id).SingleAsync());
        var disable = $"/api/v1/epidemic/places/{placeId}/devices/{deviceId}/disable";

        var withJson = await gate.Officer.PostAsJsonAsync(disable, new { reason = "设备故障" });
        var withText = await gate.Officer.PostAsync(disable, new StringContent("x", Encoding.UTF8, "text/plain"));
        var stillActive = await gate.QueryAsync(db => db.Devices.Select(d => d.Active).SingleAsync());
        var empty = await gate.Officer.PostAsync(disable, null);

        var problem = await ProblemAssert.IsProblemAsync(withJson, HttpStatusCode.BadRequest, "request.body_not_allowed");
        Assert.Equal("body", problem.GetProperty("field").GetString());
        await ProblemAssert.IsProblemAsync(withText, HttpStatusCode.BadRequest, "request.body_not_allowed");
        Assert.True(stillActive);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.False(await gate.QueryAsync(db => db.Devices.Select(d => d.Active).SingleAsync()));
    }

    [Theory]
    [InlineData("GET", "/api/v1/epidemic/places?x=1", null, "request.unknown_parameter")]
    [InlineData("GET", "/api/v1/epidemic/places?kind=Nope", null, "request.invalid_parameter")]
    [InlineData("GET", "/api/v1/cases?state=Nope", null, "request.invalid_parameter")]
    [InlineData("POST", "/api/v1/epidemic/places", """{"name": 5}""", "request.invalid_field")]
    [InlineData("POST", "/api/v1/epidemic/places", """{"name": "x", "note": 1}""", "request.unknown_field")]
    [InlineData("POST", "/api/v1/epidemic/places", """{"name": """, "request.invalid")]
    [InlineData("GET", "/api/v1/epidemic/persons?page=0", null, "request.invalid_paging")]
    [InlineData("GET", "/api/v1/no-such-endpoint", null, "request.not_found")]
    public async Task Problem_type_follows_from_code(string method, string url, string? body, string code)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await gate.Officer.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, response.StatusCode, code);
        Assert.Equal($"https://shanzhi.example/problems/{code}", problem.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/v1/epidemic/places/abc", "placeId")]
    [InlineData("GET", "/api/v1/epidemic/places/99999999999999999999", "placeId")]
    [InlineData("GET", "/api/v1/epidemic/places/1/entrances/x", "entranceId")]
    [InlineData("POST", "/api/v1/epidemic/places/1/devices/x/disable", "deviceId")]
    [InlineData("GET", "/api/v1/epidemic/persons/abc", "key")]
    [InlineData("GET", "/api/v1/epidemic/investigations/not-a-guid", "id")]
    [InlineData("GET", "/api/v1/epidemic/sites/x/roster", "siteId")]
    public async Task Malformed_route_id_names_parameter(string method, string url, string field)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);

        var response = await gate.Officer.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Malformed_guid_is_explained_in_Chinese()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);

        var response = await gate.Officer.GetAsync("/api/v1/epidemic/investigations/not-a-guid");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("由 32 位十六进制数字和 4 个连字符组成的编号", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("GUID", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Literal_route_still_wins_over_id()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);

        var choices = await gate.Officer.GetAsync("/api/v1/epidemic/investigations/choices");

        Assert.Equal(HttpStatusCode.OK, choices.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/epidemic/persons/import", "POST")]
    [InlineData("GET", "/api/v1/epidemic/persons/search", "POST")]
    [InlineData("POST", "/api/v1/epidemic/sites/employers/roster", "GET, HEAD")]
    [InlineData("DELETE", "/api/v1/epidemic/investigations/choices", "GET, HEAD")]
    public async Task Wrong_method_on_literal_beside_id_is_405(string method, string url, string allow)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);

        var response = await gate.Officer.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));

        await ProblemAssert.IsMethodNotAllowedAsync(response, allow);
    }

    [Theory]
    [InlineData("/api/v1/cases?name=x")]
    [InlineData("/api/v1/cases/map-points?page=2")]
    [InlineData("/api/v1/grid/duties?q=x")]
    [InlineData("/api/v1/pi-handlers?phone=x")]
    [InlineData("/api/v1/kpi?district=x")]
    [InlineData("/api/v1/audit?user=x")]
    [InlineData("/api/v1/regions?parentCode=x")]
    [InlineData("/api/v1/calendar/2026?month=1")]
    [InlineData("/api/v1/categories?all=true")]
    [InlineData("/api/v1/privacy/processing-record?format=csv")]
    [InlineData("/api/v1/auth/me?x=1")]
    public async Task Unknown_parameter_is_rejected_outside_epidemic(string url)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync(url);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.unknown_parameter");
        Assert.Equal(url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..url.IndexOf('=', StringComparison.Ordinal)], problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Known_parameters_still_pass_outside_epidemic()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var boundaries = await admin.GetAsync("/api/v1/regions/boundaries?level=district");
        var cases = await admin.GetAsync("/api/v1/cases?state=Reported&page=1&pageSize=5");

        Assert.Equal(HttpStatusCode.OK, boundaries.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
    }

    [Fact]
    public async Task Body_checks_apply_outside_epidemic()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var logoutWithBody = await admin.PostAsJsonAsync("/api/v1/auth/logout", new { everywhere = true });
        var stillSignedIn = await admin.GetAsync("/api/v1/auth/me");
        var uploadAsText = await admin.PostAsync($"/api/v1/cases/{Guid.NewGuid()}/attachments", new StringContent("photo", Encoding.UTF8, "text/plain"));

        await ProblemAssert.IsProblemAsync(logoutWithBody, HttpStatusCode.BadRequest, "request.body_not_allowed");
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(uploadAsText, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
        Assert.Contains("multipart/form-data", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
