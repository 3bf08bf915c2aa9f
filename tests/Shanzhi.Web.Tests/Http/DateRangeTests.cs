using System.Net;
using System.Net.Http.Json;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// Dates at the ends of the calendar, and instants without an offset, get a 400 instead of a 500
/// from a day-arithmetic overflow or a silent eight-hour shift.
/// </summary>
public sealed class DateRangeTests
{
    [Theory]
    [InlineData("/api/v1/kpi?from=9999-12-01&to=9999-12-31", "from")]
    [InlineData("/api/v1/kpi?from=2026-01-01&to=9999-12-31", "to")]
    [InlineData("/api/v1/grid/workload/ranking?from=0001-01-01&to=0001-01-07", "from")]
    [InlineData("/api/v1/grid/workload/ranking?from=2026-12-01&to=9999-12-31", "to")]
    [InlineData("/api/v1/grid/workload/grids/330203003022002?from=9999-12-30&to=9999-12-31", "from")]
    [InlineData("/api/v1/grid/tasks?from=9999-12-31", "from")]
    [InlineData("/api/v1/grid/tasks/mine?day=9999-12-31", "day")]
    public async Task Query_date_outside_range_is_rejected(string url, string field)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync(url);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.date_out_of_range");
        Assert.Equal(field, problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Task_generation_for_year_9999_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PostAsync("/api/v1/grid/tasks/generate?day=9999-12-31", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.date_out_of_range");
    }

    [Theory]
    [InlineData("2026-12-05T09:00:00")]
    [InlineData("9999-12-31T00:00:00Z")]
    public async Task Bad_body_time_is_rejected(string deadline)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = (await admin.ReportAsync(ApiClient.Haishu)).GetProperty("id").GetString()!;

        var response = await admin.PostAsJsonAsync($"/api/v1/cases/{id}/actions/request-extension",
            new { reason = "需要更多时间", deadline });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal("deadline", problem.GetProperty("field").GetString());
    }
}
