using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// Grid governance over HTTP: <c>/api/v1/grid</c>. People and duties here; patrols, key persons,
/// points, workload and the field page's queries in the other parts of this class. Services check
/// roles and region scope; handlers only translate.
/// </summary>
public static partial class GridEndpoints
{
    public sealed record AssignBody(string? GridCode, Guid? UserId, bool? IsResponsible, Employment? Employment);

    public sealed record MicroGridBody(string? GridCode, string? Name, MicroGridKind? Kind, int? Households);

    public sealed record MemberBody(Guid? UserId, bool? IsLeader);

    public sealed record DutyChangeBody(string? DutyCode, DutyChangeKind? Kind, string? RegionCode, string? Reason);

    public sealed record DecisionBody(string? Note);

    public static void MapGridEndpoints(this WebApplication app)
    {
        var grid = app.MapGroup("/api/v1/grid").WithTags("网格治理").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();

        grid.MapGet("/grids/{code}/assignments", AssignmentsAsync).WithName("ListGridAssignments").WithSummary("网格员任职记录（含历史）");
        grid.MapPost("/assignments", AssignAsync).WithName("AssignGridWorker").WithSummary("配备网格员；配备新的责任网格员时原责任网格员同时离任");
        grid.MapPost("/assignments/{id:guid}/end", EndAssignmentAsync).WithName("EndGridAssignment").WithSummary("结束网格员任职");
        grid.MapGet("/grids/{code}/micro-grids", MicroGridsAsync).WithName("ListMicroGrids").WithSummary("网格下的微网格及成员");
        grid.MapPost("/micro-grids", CreateMicroGridAsync).WithName("CreateMicroGrid").WithSummary("新建微网格（楼栋、楼道、户组）");
        grid.MapPost("/micro-grids/{id:guid}/members", AddMemberAsync).WithName("AddMicroGridMember").WithSummary("添加微网格成员或更换微网格长");

        grid.MapGet("/duties", DutiesAsync).WithName("ListDutyKinds").WithSummary("网格事项准入清单");
        grid.MapGet("/grids/{code}/duties", DutiesInEffectAsync).WithName("ListGridDuties").WithSummary("网格当前承担的事项");
        grid.MapGet("/duty-changes", DutyChangesAsync).WithName("ListDutyChanges").WithSummary("事项准入与退出申请（含历史）");
        grid.MapPost("/duty-changes", RequestDutyChangeAsync).WithName("RequestDutyChange").WithSummary("申请事项准入或退出，须另一位领导审批");
        grid.MapPost("/duty-changes/{id:guid}/approve", ApproveAsync).WithName("ApproveDutyChange")
            .WithSummary("批准：准入即生效；退出则未完成任务转为案件移交牵头部门");
        grid.MapPost("/duty-changes/{id:guid}/reject", RejectAsync).WithName("RejectDutyChange").WithSummary("驳回事项准入或退出申请");

        MapPatrols(grid);
        MapKeyPersons(grid);
        MapPoints(grid);
        MapWorkload(grid);
        MapField(grid);
    }

    private static async Task<Results<Ok<IReadOnlyList<AssignmentView>>, ProblemHttpResult>> AssignmentsAsync(
        string code, HttpContext http, GridPeople people, CancellationToken cancellationToken) =>
        Reply(await people.HistoryAsync(code, User(http), cancellationToken));

    private static async Task<Results<Created<AssignmentView>, ProblemHttpResult>> AssignAsync(
        AssignBody body, HttpContext http, GridPeople people, CancellationToken cancellationToken)
    {
        if (body.UserId is not { } userId)
        {
            return Problems.Invalid("grid.user_required", "userId", "请选择要配备的网格员账号（userId）。");
        }

        var request = new AssignWorkerRequest(body.GridCode ?? "", userId, body.IsResponsible ?? false, body.Employment ?? Employment.FullTime);
        return Created(await people.AssignAsync(request, User(http), cancellationToken), a => $"/api/v1/grid/grids/{a.GridCode}/assignments");
    }

    private static async Task<Results<Ok<AssignmentView>, ProblemHttpResult>> EndAssignmentAsync(
        Guid id, HttpContext http, GridPeople people, CancellationToken cancellationToken) =>
        Reply(await people.EndAssignmentAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<MicroGridView>>, ProblemHttpResult>> MicroGridsAsync(
        string code, HttpContext http, GridPeople people, CancellationToken cancellationToken) =>
        Reply(await people.MicroGridsAsync(code, User(http), cancellationToken));

    private static async Task<Results<Created<MicroGridView>, ProblemHttpResult>> CreateMicroGridAsync(
        MicroGridBody body, HttpContext http, GridPeople people, CancellationToken cancellationToken)
    {
        var request = new CreateMicroGridRequest(body.GridCode ?? "", body.Name ?? "", body.Kind ?? MicroGridKind.Building, body.Households ?? 0);
        return Created(await people.CreateMicroGridAsync(request, User(http), cancellationToken), m => $"/api/v1/grid/grids/{m.GridCode}/micro-grids");
    }

    private static async Task<Results<Ok<MicroGridView>, ProblemHttpResult>> AddMemberAsync(
        Guid id, MemberBody body, HttpContext http, GridPeople people, CancellationToken cancellationToken)
    {
        if (body.UserId is not { } userId)
        {
            return Problems.Invalid("grid.user_required", "userId", "请选择要加入微网格的人员账号（userId）。");
        }

        return Reply(await people.AddMemberAsync(id, userId, body.IsLeader ?? false, User(http), cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<DutyKindView>>> DutiesAsync(DutyService duties, CancellationToken cancellationToken) =>
        TypedResults.Ok(await duties.KindsAsync(cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<GridDutyView>>, ProblemHttpResult>> DutiesInEffectAsync(
        string code, HttpContext http, DutyService duties, CancellationToken cancellationToken) =>
        Reply(await duties.InEffectAsync(code, User(http), cancellationToken));

    private static async Task<Ok<IReadOnlyList<DutyChangeView>>> DutyChangesAsync(
        HttpContext http, DutyService duties, CancellationToken cancellationToken, DutyChangeStatus? status = null) =>
        TypedResults.Ok(await duties.ChangesAsync(User(http), status, cancellationToken));

    private static async Task<Results<Created<DutyChangeView>, ProblemHttpResult>> RequestDutyChangeAsync(
        DutyChangeBody body, HttpContext http, DutyService duties, CancellationToken cancellationToken)
    {
        if (body.Kind is not { } kind)
        {
            return Problems.Invalid("duty.kind_required", "kind", "请选择申请类型：Admit（准入）或 Withdraw（退出）。");
        }

        var request = new RequestDutyChange(body.DutyCode ?? "", kind, body.RegionCode ?? "", body.Reason ?? "");
        return Created(await duties.RequestAsync(request, User(http), cancellationToken), c => "/api/v1/grid/duty-changes");
    }

    private static async Task<Results<Ok<DutyChangeView>, ProblemHttpResult>> ApproveAsync(
        Guid id, DecisionBody? body, HttpContext http, DutyService duties, CancellationToken cancellationToken) =>
        Reply(await duties.DecideAsync(id, approve: true, body?.Note, User(http), cancellationToken));

    private static async Task<Results<Ok<DutyChangeView>, ProblemHttpResult>> RejectAsync(
        Guid id, DecisionBody? body, HttpContext http, DutyService duties, CancellationToken cancellationToken) =>
        Reply(await duties.DecideAsync(id, approve: false, body?.Note, User(http), cancellationToken));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);

    private static Results<Created<T>, ProblemHttpResult> Created<T>(Result<T> result, Func<T, string> location) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Created(location(result.Value!), result.Value!);

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}
