using System.Net;
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
}
