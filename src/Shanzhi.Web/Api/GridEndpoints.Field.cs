using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Grids;

namespace Shanzhi.Web.Api;

public static partial class GridEndpoints
{
    public sealed record RedemptionBody(Guid? UserId, int? Points, string? Item);

    public sealed record PointsDto(Guid UserId, int Balance, IReadOnlyList<IncentiveEntryView> Entries);

    private static void MapPoints(RouteGroupBuilder grid)
    {
        grid.MapGet("/points/me", MyPointsAsync).WithName("MyPoints").WithSummary("我的积分余额与明细");
        grid.MapGet("/points/{userId:guid}", PointsAsync).WithName("UserPoints").WithSummary("人员积分余额与明细（指挥中心、系统管理员、领导）");
        grid.MapPost("/points/redemptions", RedeemAsync).WithName("RedeemPoints").WithSummary("积分兑换（余额不足时拒绝）");
    }

    private static void MapWorkload(RouteGroupBuilder grid)
    {
        grid.MapGet("/workload/ranking", RankingAsync).WithName("GridWorkloadRanking").WithSummary("区域内网格负荷排名（负荷最重在前，无人配备的网格居首）");
        grid.MapGet("/workload/grids/{code}", GridWorkloadAsync).WithName("GridWorkload").WithSummary("单个网格的工作量");
        grid.MapGet("/workload/workers/{userId:guid}", WorkerWorkloadAsync).WithName("WorkerWorkload").WithSummary("单个网格员的工作量");
    }

    private static void MapField(RouteGroupBuilder grid)
    {
        grid.MapGet("/field/my-reports", MyReportsAsync).WithName("MyFieldReports").WithSummary("我上报的案件及办理进度");
        grid.MapGet("/field/awaiting-verification", AwaitingVerificationAsync).WithName("AwaitingMyVerification").WithSummary("待我现场核查的案件");
    }

    private static async Task<Results<Ok<PointsDto>, ProblemHttpResult>> MyPointsAsync(
        HttpContext http, IncentiveLedger ledger, CancellationToken cancellationToken)
    {
        if (User(http).UserId is not { } userId)
        {
            return Problems.From(GridErrors.Forbidden);
        }

        return TypedResults.Ok(await PointsOfAsync(ledger, userId, cancellationToken));
    }

    private static async Task<Results<Ok<PointsDto>, ProblemHttpResult>> PointsAsync(
        Guid userId, HttpContext http, IncentiveLedger ledger, CancellationToken cancellationToken)
    {
        var user = User(http);
        if (user.UserId != userId && !WorkloadService.MayView(user))
        {
            return Problems.From(GridErrors.Forbidden);
        }

        return TypedResults.Ok(await PointsOfAsync(ledger, userId, cancellationToken));
    }

    private static async Task<Results<Created<IncentiveEntryView>, ProblemHttpResult>> RedeemAsync(
        RedemptionBody body, HttpContext http, IncentiveLedger ledger, CancellationToken cancellationToken)
    {
        var user = User(http);
        var target = body.UserId ?? user.UserId;
        if (target is not { } userId)
        {
            return Problems.Invalid("grid.user_required", "userId", "请选择兑换积分的人员（userId）。");
        }

        var result = await ledger.RedeemAsync(userId, body.Points ?? 0, body.Item ?? "", user, cancellationToken);
        return Created(result, _ => $"/api/v1/grid/points/{userId}");
    }

    private static async Task<PointsDto> PointsOfAsync(IncentiveLedger ledger, Guid userId, CancellationToken cancellationToken)
    {
        var id = userId.ToString();
        return new PointsDto(userId, await ledger.BalanceAsync(id, cancellationToken), await ledger.EntriesAsync(id, cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<GridWorkload>>, ProblemHttpResult>> RankingAsync(
        HttpContext http, WorkloadService workload, TimeProvider clock, CancellationToken cancellationToken,
        string? scope = null, DateOnly? from = null, DateOnly? to = null)
    {
        if (PlatformDates.Check(("from", from), ("to", to)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        var (first, last) = Period(clock, from, to);
        return Reply(await workload.RankGridsInRegionAsync(User(http), scope, first, last, cancellationToken));
    }

    private static async Task<Results<Ok<GridWorkload>, ProblemHttpResult>> GridWorkloadAsync(
        string code, HttpContext http, WorkloadService workload, TimeProvider clock, CancellationToken cancellationToken,
        DateOnly? from = null, DateOnly? to = null)
    {
        if (PlatformDates.Check(("from", from), ("to", to)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        var (first, last) = Period(clock, from, to);
        return Reply(await workload.GridAsync(User(http), code, first, last, cancellationToken));
    }

    private static async Task<Results<Ok<WorkerWorkload>, ProblemHttpResult>> WorkerWorkloadAsync(
        Guid userId, HttpContext http, WorkloadService workload, TimeProvider clock, CancellationToken cancellationToken,
        DateOnly? from = null, DateOnly? to = null)
    {
        if (PlatformDates.Check(("from", from), ("to", to)) is { } outOfRange)
        {
            return Problems.From(outOfRange);
        }

        var (first, last) = Period(clock, from, to);
        return Reply(await workload.WorkerAsync(User(http), userId, first, last, cancellationToken));
    }

    private static async Task<Ok<IReadOnlyList<FieldCaseView>>> MyReportsAsync(HttpContext http, FieldCases field, CancellationToken cancellationToken) =>
        TypedResults.Ok(await field.MyReportsAsync(User(http), cancellationToken));

    private static async Task<Ok<IReadOnlyList<FieldCaseView>>> AwaitingVerificationAsync(
        HttpContext http, FieldCases field, CancellationToken cancellationToken) =>
        TypedResults.Ok(await field.AwaitingMyVerificationAsync(User(http), cancellationToken));

    /// <summary>The requested period; by default the last 7 days up to today.</summary>
    private static (DateOnly From, DateOnly To) Period(TimeProvider clock, DateOnly? from, DateOnly? to)
    {
        var last = to ?? Today(clock);
        return (from ?? last.AddDays(-6), last);
    }
}
