using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Query-string values the API cannot bind: the problem names the parameter and the values it takes.</summary>
public sealed class QueryParameterTests
{
    [Fact]
    public async Task Unknown_enum_value_lists_allowed_values()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync("/api/v1/cases?state=Open");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        Assert.Equal("state", problem.GetProperty("field").GetString());
        Assert.Contains("Reported、Filed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_date_names_the_parameter_and_the_format()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync("/api/v1/grid/workload/ranking?from=2026-13-01");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        Assert.Equal("from", problem.GetProperty("field").GetString());
        Assert.Contains("2026-12-01", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renamed_parameter_keeps_its_query_name()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync("/open311/v2/requests.json?end_date=yesterday");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_parameter");
        Assert.Equal("end_date", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Posted_value_is_not_echoed_in_the_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync("/api/v1/cases?overdue=13800138000");

        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("13800138000", body, StringComparison.Ordinal);
    }
}
