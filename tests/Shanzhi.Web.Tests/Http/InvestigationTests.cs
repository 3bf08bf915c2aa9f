using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Epidemic;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Investigations over HTTP: opening, the trace with and without a tracer, follow-ups per grid, the role rule.</summary>
public sealed class InvestigationTests
{
    internal const string Password = "Epi-Officer-2026";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_and_follow_ups_run_inside_an_investigation(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var scene = await EpidemicScene.SeedAsync(platform.Services);
        var officer = await SignInOfficerAsync(platform);
        var id = await OpenAsync(officer, scene.IndexKey);

        var trace = await (await officer.PostAsync($"/api/v1/epidemic/investigations/{id}/trace", null, Ct)).ReadJsonAsync();
        var first = await (await officer.PostAsync($"/api/v1/epidemic/investigations/{id}/follow-ups", null, Ct)).ReadJsonAsync();
        var again = await (await officer.PostAsync($"/api/v1/epidemic/investigations/{id}/follow-ups", null, Ct)).ReadJsonAsync();

        Assert.Equal((2, 1), (trace.GetProperty("closeContacts").GetInt32(), trace.GetProperty("secondaryContacts").GetInt32()));
        Assert.Equal(2, first.GetProperty("created").GetInt32());
        Assert.Equal((0, 0, 2), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32(), again.GetProperty("existing").GetInt32()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_without_a_tracer_is_unavailable(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind, web => web.ConfigureTestServices(services => services.RemoveAll<IContactTracer>()));
        var scene = await EpidemicScene.SeedAsync(platform.Services);
        var officer = await SignInOfficerAsync(platform);
        var id = await OpenAsync(officer, scene.IndexKey);

        var response = await officer.PostAsync($"/api/v1/epidemic/investigations/{id}/trace", null, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, "trace.unavailable");
        Assert.Equal("密接追踪暂不可用", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Choices_list_second_degree_kinds()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite, web => web
            .UseSetting("Tracing:Custom:everywhere:SecondDegree", "true")
            .UseSetting("Tracing:Custom:everywhere:Name", "全部场所次密接"));
        var officer = await SignInOfficerAsync(platform);

        var choices = await (await officer.GetAsync("/api/v1/epidemic/investigations/choices", Ct)).ReadJsonAsync();
        var kinds = choices.GetProperty("ruleSets").EnumerateArray().ToDictionary(
            r => r.GetProperty("id").GetString()!,
            r => r.GetProperty("secondDegreePlaceKinds").EnumerateArray().Select(k => k.GetString()!).ToArray());

        Assert.Empty(kinds["who"]);
        Assert.Equal(["School", "ResidentialCompound", "ConstructionSite"], kinds["china-9"]);
        Assert.Equal(Enum.GetNames<PlaceKind>(), kinds["everywhere"]);
    }

    [Fact]
    public async Task Other_roles_cannot_open_investigations()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("operator-epi", Password, ["command-operator"], "330200");
        var operatorClient = await platform.SignInAsync("operator-epi", Password);

        var response = await operatorClient.GetAsync("/api/v1/epidemic/investigations", Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "investigation.forbidden");
    }

    [Theory]
    [InlineData("scopeFrom", "1999-01-01")]
    [InlineData("scopeTo", "2100-01-01")]
    [InlineData("anchorDate", "0001-01-01")]
    public async Task Date_outside_range_names_the_range(string field, string value)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var officer = await SignInOfficerAsync(platform);
        var body = new Dictionary<string, object>
        {
            ["indexPersonKey"] = 1,
            ["confirmedAt"] = DateTimeOffset.UtcNow,
            ["anchorDate"] = "2026-12-01",
            ["anchorKind"] = "Onset",
            ["ruleSetId"] = "china-9",
            ["ruleSetVersion"] = "cn9-2022.2",
            ["legalBasis"] = "pdcl-12",
            ["scopeRegionCode"] = "330200",
            ["scopeFrom"] = "2026-11-20",
            ["scopeTo"] = "2026-12-01",
            ["purpose"] = "追踪确诊病例的密切接触者并落实管控",
        };
        body[field] = value;

        var response = await officer.PostAsJsonAsync("/api/v1/epidemic/investigations", body, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains("2000-01-01 至 2099-12-31", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_scope_date_gets_the_format()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var officer = await SignInOfficerAsync(platform);

        var response = await officer.PostAsJsonAsync("/api/v1/epidemic/investigations", new { scopeFrom = "2026-02-30" }, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal("scopeFrom", problem.GetProperty("field").GetString());
        Assert.Contains("格式如 2026-12-01", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static async Task<HttpClient> SignInOfficerAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("officer-epi", Password, ["epidemic-officer"], "330200");
        return await platform.SignInAsync("officer-epi", Password);
    }

    internal static async Task<string> OpenAsync(HttpClient officer, long indexKey)
    {
        var today = ShanghaiTime.Today(TimeProvider.System);
        var response = await officer.PostAsJsonAsync("/api/v1/epidemic/investigations", new
        {
            indexPersonKey = indexKey,
            confirmedAt = DateTimeOffset.UtcNow,
            anchorDate = today,
            anchorKind = "Onset",
            ruleSetId = "china-9",
            ruleSetVersion = "cn9-2022.2",
            legalBasis = "pdcl-12",
            scopeRegionCode = "330200",
            scopeFrom = today.AddDays(-14),
            scopeTo = today,
            purpose = "追踪确诊病例的密切接触者并落实管控",
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }
}
