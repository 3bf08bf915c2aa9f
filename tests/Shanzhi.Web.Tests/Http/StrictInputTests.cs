using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Epidemic.Passages;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// Strict HTTP input on the epidemic API: unknown query parameters and body fields, enum numbers,
/// repeated fields and numbers sent as strings are problems naming the field, never ignored.
/// </summary>
public sealed class StrictInputTests
{
    private const string Name = "芮景行";
    private const string OfficerPassword = "Epi-Officer-2026";

    static StrictInputTests() => LogSink.RegisterName(Name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unknown_query_parameter_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _) = await SignInAsync(platform);
        await RegisterAsync(officer, 61);
        var idNumber = SyntheticIds.Id(61);

        foreach (var name in new[] { "id_number", "q", "name", "Name" })
        {
            var response = await officer.GetAsync($"/api/v1/epidemic/persons?{name}={idNumber}", Ct);

            var body = await response.Content.ReadAsStringAsync(Ct);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.unknown_parameter");
            Assert.Equal(name, problem.GetProperty("field").GetString());
            Assert.Contains("residency", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(idNumber, body, StringComparison.Ordinal);
        }

        var inQuery = await officer.GetAsync($"/api/v1/epidemic/persons?IDNUMBER={idNumber}", Ct);
        var places = await officer.GetAsync("/api/v1/epidemic/places?kind=School&size=5", Ct);
        var investigations = await officer.GetAsync("/api/v1/epidemic/investigations?state=Open&from=2026-12-01", Ct);
        var known = await officer.GetAsync("/api/v1/epidemic/persons?Status=Green&page=1&pageSize=5", Ct);
        var knownPlaces = await officer.GetAsync("/api/v1/epidemic/places?kind=School", Ct);

        await ProblemAssert.IsProblemAsync(inQuery, HttpStatusCode.BadRequest, "person.id_number_in_query");
        Assert.Equal("size", (await ProblemAssert.IsProblemAsync(places, HttpStatusCode.BadRequest, "request.unknown_parameter")).GetProperty("field").GetString());
        Assert.Equal("from", (await ProblemAssert.IsProblemAsync(investigations, HttpStatusCode.BadRequest, "request.unknown_parameter")).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        Assert.Equal(HttpStatusCode.OK, knownPlaces.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_override_shows_rejector_and_reason(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, second) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 62);
        var id = await FileOverrideAsync(officer, key);

        var rejected = await second.PostAsJsonAsync($"/api/v1/epidemic/health/overrides/{id}/reject", new { reason = "证据不足" }, Ct);
        var fetched = await (await officer.GetAsync($"/api/v1/epidemic/health/overrides/{id}", Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("Rejected", fetched.GetProperty("state").GetString());
        Assert.Equal("测试epi2", fetched.GetProperty("rejectedBy").GetString());
        Assert.Equal("证据不足", fetched.GetProperty("rejectionReason").GetString());
        Assert.Equal(JsonValueKind.String, fetched.GetProperty("rejectedById").ValueKind);
        Assert.Equal(JsonValueKind.String, fetched.GetProperty("decidedAt").ValueKind);
    }

    [Fact]
    public async Task Enum_number_or_unknown_name_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 63);

        foreach (var status in new[] { "2", "\"2\"", "\"Purple\"", "\"Green,Yellow\"", "\"Green, Yellow\"" })
        {
            var response = await PostJsonAsync(officer, $"/api/v1/epidemic/persons/{key}/health/overrides", $$"""{"status":{{status}},"reason":"复核"}""");

            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_field");
            Assert.Equal("status", problem.GetProperty("field").GetString());
            var detail = problem.GetProperty("detail").GetString();
            Assert.Contains("Green、Yellow、Red", detail, StringComparison.Ordinal);
            Assert.Contains("绿码", detail, StringComparison.Ordinal);
        }

        var pending = await (await officer.GetAsync($"/api/v1/epidemic/persons/{key}/health/overrides", Ct)).ReadJsonAsync();
        Assert.Equal(0, pending.GetArrayLength());
    }

    [Fact]
    public async Task Enum_query_takes_one_name()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _) = await SignInAsync(platform);

        foreach (var query in new[] { "status=0", "status=Green,Red", "status=Green&status=Red", "residency=1", "status=%2B1" })
        {
            var response = await officer.GetAsync($"/api/v1/epidemic/persons?{query}", Ct);

            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
            Assert.Equal(query.Split('=')[0], problem.GetProperty("field").GetString());
        }

        var places = await officer.GetAsync("/api/v1/epidemic/places?kind=5", Ct);
        var investigations = await officer.GetAsync("/api/v1/epidemic/investigations?state=0", Ct);
        var named = await officer.GetAsync("/api/v1/epidemic/persons?status=Green&residency=Permanent", Ct);

        await ProblemAssert.IsProblemAsync(places, HttpStatusCode.BadRequest, "request.invalid_parameter");
        await ProblemAssert.IsProblemAsync(investigations, HttpStatusCode.BadRequest, "request.invalid_parameter");
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
    }

    [Fact]
    public async Task Unknown_body_field_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, second) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 64);
        var id = await FileOverrideAsync(officer, key);

        var reject = await PostJsonAsync(second, $"/api/v1/epidemic/health/overrides/{id}/reject", """{"reason":"证据不足","note":"x"}""");
        var search = await PostJsonAsync(officer, "/api/v1/epidemic/persons/search", $$"""{"name":"{{Name}}"}""");
        var fetched = await (await officer.GetAsync($"/api/v1/epidemic/health/overrides/{id}", Ct)).ReadJsonAsync();

        var rejectProblem = await ProblemAssert.IsProblemAsync(reject, HttpStatusCode.BadRequest, "request.unknown_field");
        Assert.Equal("note", rejectProblem.GetProperty("field").GetString());
        var searchBody = await search.Content.ReadAsStringAsync(Ct);
        var searchProblem = await ProblemAssert.IsProblemAsync(search, HttpStatusCode.BadRequest, "request.unknown_field");
        Assert.Equal("name", searchProblem.GetProperty("field").GetString());
        Assert.DoesNotContain(Name, searchBody, StringComparison.Ordinal);
        Assert.Equal("Pending", fetched.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Repeated_field_or_string_number_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, second) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 65);
        var id = await FileOverrideAsync(officer, key);

        var repeated = await PostJsonAsync(second, $"/api/v1/epidemic/health/overrides/{id}/reject", """{"reason":"证据不足","Reason":"另一个原因"}""");
        var stringKey = await PostJsonAsync(officer, "/api/v1/epidemic/sites/1/roster", $$"""{"personKey":"{{key}}"}""");
        var fetched = await (await officer.GetAsync($"/api/v1/epidemic/health/overrides/{id}", Ct)).ReadJsonAsync();

        var repeatedProblem = await ProblemAssert.IsProblemAsync(repeated, HttpStatusCode.BadRequest, "request.duplicate_field");
        Assert.Equal("reason", repeatedProblem.GetProperty("field").GetString(), ignoreCase: true);
        var keyProblem = await ProblemAssert.IsProblemAsync(stringKey, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal("personKey", keyProblem.GetProperty("field").GetString());
        Assert.Contains("数字", keyProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Pending", fetched.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Malformed_id_number_search_is_invalid()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _) = await SignInAsync(platform);

        var response = await officer.PostAsJsonAsync("/api/v1/epidemic/persons/search", new { idNumber = SyntheticIds.WithBadCheckDigit(66) }, Ct);

        var empty = await officer.PostAsJsonAsync("/api/v1/epidemic/persons/search", new { idNumber = "" }, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "privacy.id_number_invalid");
        Assert.Equal("idNumber", problem.GetProperty("field").GetString());
        await ProblemAssert.IsProblemAsync(empty, HttpStatusCode.BadRequest, "privacy.id_number_invalid");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task No_status_filter_lists_unassigned(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _) = await SignInAsync(platform);
        var coded = await RegisterAsync(officer, 67);
        var uncoded = await RegisterAsync(officer, 68);
        var rule = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{coded}/health/rule-hits",
            new { ruleId = "close-contact", evidence = "流调判定" }, Ct);

        var listed = await (await officer.GetAsync("/api/v1/epidemic/persons?noStatus=true", Ct)).ReadJsonAsync();
        var searched = await (await officer.PostAsJsonAsync("/api/v1/epidemic/persons/search", new { noStatus = true }, Ct)).ReadJsonAsync();
        var both = await officer.GetAsync("/api/v1/epidemic/persons?noStatus=true&status=Yellow", Ct);

        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Equal([uncoded], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("personKey").GetInt64()));
        Assert.Equal("未赋码", listed.GetProperty("items")[0].GetProperty("statusName").GetString());
        Assert.Equal([uncoded], searched.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("personKey").GetInt64()));
        await ProblemAssert.IsProblemAsync(both, HttpStatusCode.BadRequest, "person.conflicting_status_filter");
    }

    [Fact]
    public async Task Urls_variable_sets_the_address()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);

        await using var server = await ServerProcess.StartAsync(store, addressInEnvironment: true);
        using var http = new HttpClient { BaseAddress = server.Address };
        var response = await http.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, string json) =>
        await client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    private static async Task<long> RegisterAsync(HttpClient officer, int n)
    {
        var response = await officer.PostAsJsonAsync("/api/v1/epidemic/persons",
            new { name = Name, idNumber = SyntheticIds.Id(n), phone = "13957400002", residency = "Permanent" }, Ct);
        return (await response.ReadJsonAsync()).GetProperty("personKey").GetInt64();
    }

    private static async Task<string> FileOverrideAsync(HttpClient officer, long key)
    {
        var filed = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/health/overrides", new { status = "Green", reason = "复核排除密接" }, Ct);
        return (await filed.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    private static async Task<(HttpClient Officer, HttpClient Second)> SignInAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("epi1", OfficerPassword, ["epidemic-officer"], "330200");
        await admin.CreateUserAsync("epi2", OfficerPassword, ["epidemic-officer"], "330200");
        return (await platform.SignInAsync("epi1", OfficerPassword), await platform.SignInAsync("epi2", OfficerPassword));
    }
}
