using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Epidemic;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// A record outside the caller's region scope gets exactly the response of a missing one, so ids cannot
/// be probed, while the audit log still records the refusal with its real reason.
/// </summary>
public sealed class OutOfScopeReadTests
{
    private const string Password = "Epi-Officer-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Out_of_scope_investigation_looks_missing(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var scene = await EpidemicScene.SeedAsync(platform.Services);
        var cityOfficer = await InvestigationTests.SignInOfficerAsync(platform);
        var id = await InvestigationTests.OpenAsync(cityOfficer, scene.IndexKey);
        var (districtOfficer, auditor) = await SignInDistrictAsync(platform);
        var missingId = Guid.NewGuid().ToString();

        foreach (var (method, path) in new[] { ("GET", ""), ("GET", "/trace"), ("POST", "/trace"), ("GET", "/trajectory"), ("GET", "/follow-ups") })
        {
            var outOfScope = await SendAsync(districtOfficer, method, $"/api/v1/epidemic/investigations/{id}{path}");
            var missing = await SendAsync(districtOfficer, method, $"/api/v1/epidemic/investigations/{missingId}{path}");

            Assert.Equal(missing.Status, outOfScope.Status);
            Assert.Equal("investigation.not_found", outOfScope.Body["code"]?.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(missing.Body, outOfScope.Body), $"{method} {path}: {outOfScope.Body} differs from {missing.Body}");
        }

        var refused = await AuditDetailsAsync(auditor, "TrajectoryQueried", id);
        var probed = await AuditDetailsAsync(auditor, "TrajectoryQueried", missingId);
        Assert.Equal(["kind=trajectory; outcome=refused; reason=out of scope", "kind=trace; outcome=refused; reason=out of scope"], refused);
        Assert.Equal(["kind=trajectory; outcome=refused; reason=no such investigation", "kind=trace; outcome=refused; reason=no such investigation"], probed);
        Assert.Equal(["kind=trace-snapshot; outcome=refused; reason=out of scope"], await AuditDetailsAsync(auditor, "RecordViewed", id));
        Assert.Equal(["kind=trace-snapshot; outcome=refused; reason=no such investigation"], await AuditDetailsAsync(auditor, "RecordViewed", missingId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Out_of_scope_person_looks_missing(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var cityOfficer = await InvestigationTests.SignInOfficerAsync(platform);
        var (districtOfficer, auditor) = await SignInDistrictAsync(platform);

        // A person without a home grid belongs to the city, so only city-wide officers handle them.
        var registered = await cityOfficer.PostAsJsonAsync("/api/v1/epidemic/persons",
            new { name = "宓思远", idNumber = SyntheticIds.Id(1), phone = "13957400002", residency = "Permanent", homeGridCode = (string?)null }, Ct);
        var key = (await registered.ReadJsonAsync()).GetProperty("personKey").GetInt64();
        var missingKey = key + 100_000;

        foreach (var (method, path) in new[] { ("GET", ""), ("POST", "/reveal"), ("GET", "/health"), ("GET", "/health/explanation") })
        {
            var outOfScope = await SendAsync(districtOfficer, method, $"/api/v1/epidemic/persons/{key}{path}");
            var missing = await SendAsync(districtOfficer, method, $"/api/v1/epidemic/persons/{missingKey}{path}");

            Assert.Equal(missing.Status, outOfScope.Status);
            Assert.Equal("person.not_found", outOfScope.Body["code"]?.GetValue<string>());
            Assert.True(JsonNode.DeepEquals(missing.Body, outOfScope.Body), $"{method} {path}: {outOfScope.Body} differs from {missing.Body}");
        }

        Assert.Equal(["out of scope"], await AuditDetailsAsync(auditor, "RevealRefused", key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["kind=detail-view; outcome=refused; reason=out of scope"],
            await AuditDetailsAsync(auditor, "RecordViewed", key.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["kind=detail-view; outcome=refused; reason=no such person"],
            await AuditDetailsAsync(auditor, "RecordViewed", missingKey.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>An epidemic officer of Haishu district (330203) and an audit administrator.</summary>
    private static async Task<(HttpClient Officer, HttpClient Auditor)> SignInDistrictAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("epi-haishu", Password, ["epidemic-officer"], "330203");
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        return (await platform.SignInAsync("epi-haishu", Password), await platform.SignInAsync("auditor", "Audit-Pass-2026"));
    }

    /// <summary>The status and the problem body without <c>traceId</c>, which differs on every request.</summary>
    private static async Task<(int Status, JsonObject Body)> SendAsync(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (url.EndsWith("/reveal", StringComparison.Ordinal))
        {
            request.Content = JsonContent.Create(new { reason = "核实密接身份" });
        }

        var response = await client.SendAsync(request, Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject();
        body.Remove("traceId");
        return ((int)response.StatusCode, body);
    }

    /// <summary>Details of the audit entries with <paramref name="action"/> on <paramref name="subject"/>, newest first.</summary>
    private static async Task<List<string?>> AuditDetailsAsync(HttpClient auditor, string action, string subject) =>
        [.. (await (await auditor.GetAsync($"/api/v1/audit?action={action}&subject={subject}", Ct)).ReadJsonAsync())
            .GetProperty("items").EnumerateArray().Select(e => e.GetProperty("detail").GetString())];
}
