using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Geography;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Grid governance over HTTP: a worker's day from assignment to points, visit proof, duty approval and the workload ranking.</summary>
public sealed class GridTests
{
    private const string Password = "Grid-Pass-2026";
    private const string Haishu = "330203";
    private const string City = "330200";

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Worker_records_a_visit_reports_a_hazard_and_earns_points_when_it_is_filed(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var team = await TeamAsync(platform);
        var task = await TodaysTaskAsync(team);

        var visit = await team.Worker.PostAsJsonAsync($"/api/v1/grid/tasks/{task}/visits",
            new { latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude, notes = "沿街巡查，无异常" }, Ct);
        var report = await team.Worker.ReportAsync(ApiClient.Haishu);
        var caseId = report.GetProperty("id").GetString()!;
        await team.Operator.ActOkAsync(caseId, "file", new { categoryCode = "E0101" });

        Assert.Equal(HttpStatusCode.Created, visit.StatusCode);
        var points = await (await team.Worker.GetAsync("/api/v1/grid/points/me", Ct)).ReadJsonAsync();
        Assert.Equal(2, points.GetProperty("balance").GetInt32());
        var mine = await (await team.Worker.GetAsync("/api/v1/grid/field/my-reports", Ct)).ReadJsonAsync();
        Assert.Equal("已立案", Assert.Single(mine.EnumerateArray()).GetProperty("stateName").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_outside_the_grid_is_a_problem_with_a_chinese_detail(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var team = await TeamAsync(platform);
        var task = await TodaysTaskAsync(team);

        var response = await team.Worker.PostAsJsonAsync($"/api/v1/grid/tasks/{task}/visits",
            new { latitude = ApiClient.Cixi.Latitude, longitude = ApiClient.Cixi.Longitude }, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity, "visit.outside_grid");
        Assert.Contains("网格边界外", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Visit_without_a_position_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var team = await TeamAsync(platform);
        var task = await TodaysTaskAsync(team);

        var response = await team.Worker.PostAsJsonAsync($"/api/v1/grid/tasks/{task}/visits", new { notes = "忘记定位" }, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "visit.missing_position");
    }

    [Fact]
    public async Task Duty_withdrawal_needs_a_leader()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var team = await TeamAsync(platform);
        var requested = await (await team.Operator.PostAsJsonAsync("/api/v1/grid/duty-changes",
            new { dutyCode = "D22", kind = "Withdraw", regionCode = City, reason = "文明创建督导改由街道负责" }, Ct)).ReadJsonAsync();
        var id = requested.GetProperty("id").GetString();

        var byOperator = await team.Operator.PostAsJsonAsync($"/api/v1/grid/duty-changes/{id}/approve", new { note = "同意" }, Ct);
        var byLeader = await (await team.Leader.PostAsJsonAsync($"/api/v1/grid/duty-changes/{id}/approve", new { note = "同意" }, Ct)).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(byOperator, HttpStatusCode.Forbidden, "duty.approver_role");
        Assert.Equal("Approved", byLeader.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Leader_cannot_approve_their_own_duty_change(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var team = await TeamAsync(platform);
        var requested = await (await team.Leader.PostAsJsonAsync("/api/v1/grid/duty-changes",
            new { dutyCode = "D22", kind = "Withdraw", regionCode = City, reason = "文明创建督导改由街道负责" }, Ct)).ReadJsonAsync();

        var response = await team.Leader.PostAsJsonAsync($"/api/v1/grid/duty-changes/{requested.GetProperty("id").GetString()}/approve", new { note = "同意" }, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "duty.self_approval");
        Assert.Contains("申请人以外", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grid_worker_cannot_rank_grids()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var team = await TeamAsync(platform);
        await TodaysTaskAsync(team);

        var ranking = await team.Leader.GetAsync($"/api/v1/grid/workload/ranking?scope={Haishu}", Ct);
        var refused = await team.Worker.GetAsync($"/api/v1/grid/workload/ranking?scope={Haishu}", Ct);

        var first = (await ranking.ReadJsonAsync()).EnumerateArray().First();
        Assert.Equal(team.GridCode, first.GetProperty("gridCode").GetString());
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden, "grid.forbidden");
    }

    [Theory]
    [InlineData("/330200/330203/")]
    [InlineData("339999")]
    public async Task Ranking_scope_must_be_a_known_region_code(string scope)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var team = await TeamAsync(platform);

        var response = await team.Leader.GetAsync($"/api/v1/grid/workload/ranking?scope={Uri.EscapeDataString(scope)}", Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "region.not_found");
        Assert.Equal("scope", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Key_person_reveal_needs_a_purpose()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var team = await TeamAsync(platform);
        await TodaysTaskAsync(team);
        LogSink.RegisterName("陈阿婆");
        var created = await (await team.Worker.PostAsJsonAsync("/api/v1/grid/key-persons", new
        {
            gridCode = team.GridCode, category = "elderly_alone", name = "陈阿婆", phone = "13812345678", address = "浙江省宁波市海曙区鼓楼街道中山西路1号",
        }, Ct)).ReadJsonAsync();

        var list = await team.Worker.GetAsync($"/api/v1/grid/grids/{team.GridCode}/key-persons", Ct);
        var refused = await team.Worker.PostAsJsonAsync($"/api/v1/grid/key-persons/{created.GetProperty("id").GetString()}/reveal", new { purpose = "" }, Ct);

        Assert.DoesNotContain("13812345678", await list.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "key_person.purpose_required");
    }

    private sealed record Team(HttpClient Admin, HttpClient Operator, HttpClient Worker, HttpClient Leader, string WorkerId, string GridCode);

    /// <summary>A command operator (city), a leader (city) and a grid worker (Haishu), and the grid of <see cref="ApiClient.Haishu"/>.</summary>
    private static async Task<Team> TeamAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await CreateUserAsync(admin, "gridop", ["command-operator"], City);
        await CreateUserAsync(admin, "gridleader", ["leader"], City);
        var workerId = await CreateUserAsync(admin, "gridworker", ["grid-worker"], Haishu);
        var grid = platform.Services.GetRequiredService<GridLocator>().Locate(ApiClient.Haishu.Latitude, ApiClient.Haishu.Longitude)!;
        return new Team(admin, await platform.SignInAsync("gridop", Password), await platform.SignInAsync("gridworker", Password),
            await platform.SignInAsync("gridleader", Password), workerId, grid.RegionCode);
    }

    /// <summary>Assigns the worker to the grid, plans a daily sanitation patrol and generates today's task; returns its id.</summary>
    private static async Task<string> TodaysTaskAsync(Team team)
    {
        var assigned = await team.Operator.PostAsJsonAsync("/api/v1/grid/assignments",
            new { gridCode = team.GridCode, userId = team.WorkerId, isResponsible = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        var planned = await team.Operator.PostAsJsonAsync("/api/v1/grid/plans",
            new { gridCode = team.GridCode, dutyCode = "D08", title = "环境卫生每日巡查", frequency = "Daily" }, Ct);
        Assert.Equal(HttpStatusCode.Created, planned.StatusCode);
        await team.Operator.PostAsync("/api/v1/grid/tasks/generate", null, Ct);
        var tasks = await (await team.Worker.GetAsync("/api/v1/grid/tasks/mine", Ct)).ReadJsonAsync();
        return Assert.Single(tasks.EnumerateArray()).GetProperty("id").GetString()!;
    }

    private static async Task<string> CreateUserAsync(HttpClient admin, string userName, string[] roles, string scope)
    {
        var displayName = "测试" + userName;
        LogSink.RegisterName(displayName);
        var response = await admin.PostAsJsonAsync("/api/v1/users",
            new { userName, displayName, password = Password, roles, scopeRegionCode = scope }, Ct);
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}
