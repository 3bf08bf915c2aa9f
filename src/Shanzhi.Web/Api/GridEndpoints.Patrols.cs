using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Grids;

namespace Shanzhi.Web.Api;

public static partial class GridEndpoints
{
    public sealed record PlanBody(string? GridCode, string? DutyCode, string? Title, PatrolFrequency? Frequency, DateOnly? StartsOn,
        int? IntervalDays, DateOnly? EndsOn, Guid? AssigneeId, Guid? KeyPersonId);

    public sealed record VisitBody(double? Latitude, double? Longitude, string? Notes, string? PhotoRef);

    public sealed record KeyPersonBody(string? GridCode, string? Category, string? Name, string? Phone, string? Address);

    public sealed record RevealBody(string? Purpose);

    private static void MapPatrols(RouteGroupBuilder grid)
    {
        grid.MapPost("/plans", CreatePlanAsync).WithName("CreatePatrolPlan").WithSummary("制定巡查走访计划（网格 + 事项 + 频次）");
        grid.MapGet("/tasks/mine", MyTasksAsync).WithName("MyPatrolTasks").WithSummary("我的巡查走访任务（默认今天）");
        grid.MapGet("/tasks", TasksAsync).WithName("ListPatrolTasks").WithSummary("区域内的巡查走访任务");
        grid.MapPost("/tasks/generate", GenerateAsync).WithName("GeneratePatrolTasks").WithSummary("按计划生成某日任务（可重复执行，不会重复生成）");
        grid.MapPost("/tasks/{id:guid}/visits", RecordVisitAsync).WithName("RecordVisit")
            .WithSummary("登记走访：时间、定位（须在网格内或允许误差内）、记录、照片");
        grid.MapGet("/alerts", AlertsAsync).WithName("ListPatrolAlerts").WithSummary("漏访预警");
        grid.MapPost("/alerts/{id:guid}/acknowledge", AcknowledgeAsync).WithName("AcknowledgePatrolAlert").WithSummary("确认漏访预警");
    }

    private static void MapKeyPersons(RouteGroupBuilder grid)
    {
        grid.MapGet("/grids/{code}/key-persons", KeyPersonsAsync).WithName("ListKeyPersons").WithSummary("网格重点人员（已脱敏，查看记入审计日志）");
        grid.MapPost("/key-persons", RegisterKeyPersonAsync).WithName("RegisterKeyPerson").WithSummary("登记重点人员（姓名、电话、住址加密存储）");
        grid.MapPost("/key-persons/{id:guid}/reveal", RevealKeyPersonAsync).WithName("RevealKeyPerson")
            .WithSummary("查看重点人员完整信息：必须填写事由，记入审计日志");
    }

    private static async Task<Results<Created<PatrolPlan>, ProblemHttpResult>> CreatePlanAsync(
        PlanBody body, HttpContext http, PatrolService patrols, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body.Frequency is not { } frequency)
        {
            return Problems.Invalid("patrol.frequency_required", "frequency", "请选择频次：Daily（每天）、Weekly（每周）或 EveryNDays（每 N 天）。");
        }

        var request = new CreatePatrolPlanRequest(body.GridCode ?? "", body.DutyCode ?? "", body.Title ?? "", frequency,
            body.StartsOn ?? Today(clock), body.IntervalDays ?? (frequency == PatrolFrequency.EveryNDays ? 0 : 1), body.EndsOn, body.AssigneeId, body.KeyPersonId);
        return Created(await patrols.CreatePlanAsync(request, User(http), cancellationToken), p => $"/api/v1/grid/tasks?region={p.GridCode}");
    }

    private static async Task<Results<Ok<IReadOnlyList<PatrolTaskView>>, ProblemHttpResult>> MyTasksAsync(
        HttpContext http, PatrolService patrols, TimeProvider clock, CancellationToken cancellationToken, DateOnly? day = null) =>
        PlatformDates.Check(("day", day)) is { } outOfRange
            ? Problems.From(outOfRange)
            : TypedResults.Ok(await patrols.TasksForAsync(User(http), day ?? Today(clock), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<PatrolTaskView>>, ProblemHttpResult>> TasksAsync(
        HttpContext http, PatrolService patrols, TimeProvider clock, CancellationToken cancellationToken,
        string? region = null, DateOnly? from = null, DateOnly? to = null)
    {
        if (PlatformDates.Check(("from", from), ("to", to)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        var first = from ?? Today(clock);
        var last = to ?? first;
        if (last < first || last.DayNumber - first.DayNumber > 31)
        {
            return Problems.Invalid("patrol.invalid_period", "from", "查询期间无效：开始日期不能晚于结束日期，且跨度不超过 31 天。");
        }

        return TypedResults.Ok(await patrols.TasksInAsync(region, first, last, User(http), cancellationToken));
    }

    private static async Task<Results<Ok<int>, ProblemHttpResult>> GenerateAsync(
        HttpContext http, PatrolTaskGenerator generator, TimeProvider clock, CancellationToken cancellationToken, DateOnly? day = null)
    {
        if (!GridPeople.MayManage(User(http)))
        {
            return Problems.From(GridErrors.Forbidden);
        }

        if (PlatformDates.Check(("day", day)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        return TypedResults.Ok(await generator.GenerateAsync(day ?? Today(clock), cancellationToken));
    }

    private static async Task<Results<Created<Visit>, ProblemHttpResult>> RecordVisitAsync(
        Guid id, VisitBody body, HttpContext http, PatrolService patrols, CancellationToken cancellationToken)
    {
        if (body.Latitude is not { } latitude || body.Longitude is not { } longitude)
        {
            return Problems.Invalid("visit.missing_position", "latitude", "请提供走访定位：纬度 latitude 与经度 longitude（WGS84）。");
        }

        var result = await patrols.RecordVisitAsync(id, new VisitProof(latitude, longitude, body.Notes, body.PhotoRef), User(http), cancellationToken);
        return Created(result, v => $"/api/v1/grid/tasks/{v.TaskId}/visits");
    }

    private static async Task<Ok<IReadOnlyList<PatrolAlertView>>> AlertsAsync(
        HttpContext http, PatrolService patrols, CancellationToken cancellationToken, bool open = true) =>
        TypedResults.Ok(await patrols.AlertsAsync(User(http), open, cancellationToken));

    private static async Task<Results<Ok<PatrolAlertView>, ProblemHttpResult>> AcknowledgeAsync(
        Guid id, HttpContext http, PatrolService patrols, CancellationToken cancellationToken) =>
        Reply(await patrols.AcknowledgeAlertAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<KeyPersonView>>, ProblemHttpResult>> KeyPersonsAsync(
        string code, HttpContext http, KeyPersonService keyPersons, CancellationToken cancellationToken) =>
        Reply(await keyPersons.ListAsync(code, User(http), cancellationToken));

    private static async Task<Results<Created<KeyPersonView>, ProblemHttpResult>> RegisterKeyPersonAsync(
        KeyPersonBody body, HttpContext http, KeyPersonService keyPersons, CancellationToken cancellationToken)
    {
        var request = new RegisterKeyPersonRequest(body.GridCode ?? "", body.Category ?? "", body.Name ?? "", body.Phone ?? "", body.Address ?? "");
        return Created(await keyPersons.RegisterAsync(request, User(http), cancellationToken), k => $"/api/v1/grid/grids/{k.GridCode}/key-persons");
    }

    private static async Task<Results<Ok<KeyPersonDetail>, ProblemHttpResult>> RevealKeyPersonAsync(
        Guid id, RevealBody? body, HttpContext http, KeyPersonService keyPersons, CancellationToken cancellationToken) =>
        Reply(await keyPersons.RevealAsync(id, body?.Purpose, User(http), cancellationToken));

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime);
}
