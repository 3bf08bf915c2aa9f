using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shanzhi.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Personal-information requests over HTTP, their Open311 exclusion and the processing-record page.</summary>
public sealed class PrivacyRequestTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registered_request_becomes_routed_case(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/privacy/requests",
            new { kind = "deletion", districtCode = "330203", description = "请求删除 2026 年 3 月上报案件中的本人手机号" });
        var created = await response.ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        await admin.ActOkAsync(id, "file");
        var proposal = await (await admin.GetAsync($"/api/v1/cases/{id}/routing-proposal")).ReadJsonAsync();
        var dispatched = await admin.ActOkAsync(id, "dispatch", new { unitId = proposal.GetProperty("unitId").GetString() });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("P0103", created.GetProperty("categoryCode").GetString());
        Assert.Equal("个人信息权利请求：删除", created.GetProperty("title").GetString());
        Assert.Equal("Console", created.GetProperty("channel").GetString());
        Assert.StartsWith("330203", created.GetProperty("regionCode").GetString());
        Assert.Equal(CityUnits.CommandCentre, proposal.GetProperty("unitName").GetString());
        var dispatchedAt = dispatched.GetProperty("dispatchedAt").GetDateTimeOffset();
        var deadline = dispatched.GetProperty("handlingDeadline").GetDateTimeOffset();
        // Counted as the Civil Code counts periods: the 30th day after the dispatch day (later if that
        // is not a working day), until business ends, so after 17:30 the span is under 30 × 24 h.
        var beijing = TimeSpan.FromHours(8);
        Assert.True(DateOnly.FromDateTime(deadline.ToOffset(beijing).DateTime) >= DateOnly.FromDateTime(dispatchedAt.ToOffset(beijing).DateTime).AddDays(30),
            $"deadline {deadline:O} is before the 30th day after dispatch {dispatchedAt:O}");
        Assert.True(deadline - dispatchedAt <= TimeSpan.FromDays(40), $"deadline {deadline:O} is more than 40 days after dispatch {dispatchedAt:O}");
    }

    [Theory]
    [InlineData("""{"kind":"erase","districtCode":"330203","description":"请求删除"}""", "privacy.unknown_kind")]
    [InlineData("""{"districtCode":"330203","description":"请求删除"}""", "privacy.unknown_kind")]
    [InlineData("""{"kind":"access","districtCode":"330200","description":"请求查阅"}""", "privacy.unknown_district")]
    [InlineData("""{"kind":"access","districtCode":"<script>","description":"请求查阅"}""", "privacy.unknown_district")]
    [InlineData("""{"kind":"report","districtCode":"330203","description":" "}""", "privacy.description_required")]
    [InlineData("""{"kind":"report","districtCode":330203}""", "request.invalid_field")]
    [InlineData("""not json""", "request.invalid")]
    public async Task Bad_request_is_chinese_problem(string json, string code)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PostAsync("/api/v1/privacy/requests", new StringContent(json, Encoding.UTF8, "application/json"));
        var cases = await (await admin.GetAsync("/api/v1/cases")).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(0, cases.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Description_over_limit_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PostAsJsonAsync("/api/v1/privacy/requests",
            new { kind = "complaint", districtCode = "330203", description = new string('长', CaseLimits.DescriptionMaxLength + 1) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "case.description_too_long");
    }

    [Fact]
    public async Task Open311_neither_lists_nor_accepts_module_categories()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "P0101",
            ["lat"] = ApiClient.Haishu.Latitude.ToString(CultureInfo.InvariantCulture),
            ["long"] = ApiClient.Haishu.Longitude.ToString(CultureInfo.InvariantCulture),
            ["description"] = "请求查阅本人信息",
        });

        var services = await (await platform.CreateClient().GetAsync("/open311/v2/services.json")).ReadJsonAsync();
        var definition = await platform.CreateClient().GetAsync("/open311/v2/services/P0101.json");
        var created = await admin.PostAsync("/open311/v2/requests.json", form);
        var categories = await (await admin.GetAsync("/api/v1/categories")).ReadJsonAsync();

        var codes = services.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()!).ToList();
        Assert.Contains("E0101", codes);
        Assert.DoesNotContain(codes, c => c.StartsWith('P'));
        await ProblemAssert.IsProblemAsync(definition, HttpStatusCode.NotFound, "open311.unknown_service");
        await ProblemAssert.IsProblemAsync(created, HttpStatusCode.BadRequest, "open311.module_service");
        var p0101 = categories.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "P0101");
        Assert.Equal("Module", p0101.GetProperty("kind").GetString());
        Assert.Equal("30 日（自然日）", p0101.GetProperty("handlingLimitText").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Processing_record_page_lists_personal_fields(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        var auditor = await platform.SignInAsync("auditor", "Audit-Pass-2026");

        var response = await auditor.GetAsync("/privacy/processing-record", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {html}");
        Assert.Contains("个人信息处理活动记录", html);
        Assert.Contains("保存期限", html);
        Assert.Contains("敏感个人信息", html);
        Assert.Contains("/privacy/processing-record", html);
    }

    [Fact]
    public async Task Processing_record_page_requires_sign_in()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var anonymous = platform.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await anonymous.GetAsync("/privacy/processing-record", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
