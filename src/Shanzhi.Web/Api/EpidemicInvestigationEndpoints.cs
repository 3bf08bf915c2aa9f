using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Identity;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// Investigations (流调): <c>/api/v1/epidemic/investigations</c>, for epidemic officers inside their
/// region scope. Tracing and the index person's trajectory are reachable only here, through an open
/// investigation, and every such query is audited.
/// </summary>
public static class EpidemicInvestigationEndpoints
{
    public sealed record OpenBody(long? IndexPersonKey, DateTimeOffset? ConfirmedAt, DateOnly? AnchorDate, AnchorKind? AnchorKind, string? RuleSetId,
        string? RuleSetVersion, string? LegalBasis, string? LegalBasisNote, string? ScopeRegionCode, DateOnly? ScopeFrom, DateOnly? ScopeTo, string? Purpose);

    public sealed record CloseBody(string? Reason);

    public sealed record Choices(IReadOnlyList<LegalBasis> LegalBases, IReadOnlyList<RuleSetChoice> RuleSets);

    /// <summary>
    /// A rule set on offer. <paramref name="SecondDegreePlaceKinds"/> lists the place kinds where contacts
    /// of contacts count: every kind when the rule set has no limit, none without a second degree.
    /// </summary>
    public sealed record RuleSetChoice(string Id, string Version, string Name, bool SecondDegree, IReadOnlyList<PlaceKind> SecondDegreePlaceKinds);

    public static void MapEpidemicInvestigationEndpoints(this WebApplication app)
    {
        // Route values have no type constraint such as {placeId:long}: an id of the wrong form then fails
        // binding and gets 400 request.invalid_parameter naming it, where a constraint would give a bare 404.
        var group = app.MapGroup("/api/v1/epidemic/investigations").WithTags("流调").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        group.MapGet("/choices", GetChoices).WithName("ListInvestigationChoices").WithSummary("可选的法律依据和追踪规则集");
        group.MapGet("/", ListAsync).WithName("ListInvestigations").WithSummary("管辖范围内的流调，按立案时间倒序");
        group.MapPost("/", OpenAsync).WithName("OpenInvestigation").WithSummary("为确诊病例立案流调：法律依据、调查区域与时间范围、目的");
        group.MapGet("/{id}", GetAsync).WithName("GetInvestigation").WithSummary("流调详情");
        group.MapPost("/{id}/close", CloseAsync).WithName("CloseInvestigation").WithSummary("流调结案；结案后不能再查询轨迹或追踪密接");
        group.MapPost("/{id}/trace", TraceAsync).WithName("TraceInvestigation")
            .WithSummary("在流调范围内追踪密接与次密接（每条接触附证据），保存追踪结果并记入审计日志");
        group.MapGet("/{id}/trace", LatestTraceAsync).WithName("GetInvestigationTrace").WithSummary("最近一次追踪结果（查看记入审计日志）");
        group.MapGet("/{id}/trajectory", TrajectoryAsync).WithName("GetInvestigationTrajectory")
            .WithSummary("确诊病例在流调区域和时间范围内的通行记录（仅场所名称），记入审计日志");
        group.MapGet("/{id}/follow-ups", ListFollowUpsAsync).WithName("ListInvestigationFollowUps").WithSummary("流调生成的随访案件及其状态");
        group.MapPost("/{id}/follow-ups", CreateFollowUpsAsync).WithName("CreateInvestigationFollowUps")
            .WithSummary("按网格生成密接/次密接管控随访案件（每个网格一件，可重复提交）");
    }

    private static Ok<Choices> GetChoices(RuleSetCatalog ruleSets) => TypedResults.Ok(new Choices(
        LegalBases.All,
        [.. ruleSets.All.Select(r => new RuleSetChoice(r.Id, r.Version, r.Name, r.SecondDegree, SecondDegreePlaceKinds(r)))]));

    private static IReadOnlyList<PlaceKind> SecondDegreePlaceKinds(RuleSet rules) => rules switch
    {
        { SecondDegree: false } => [],
        { SecondDegreePlaceKinds: { } kinds } => [.. kinds.Order()],
        _ => Enum.GetValues<PlaceKind>(),
    };

    private static async Task<Results<Ok<IReadOnlyList<InvestigationView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, InvestigationService service, CancellationToken cancellationToken, InvestigationState? state = null) =>
        Reply(await service.ListAsync(User(http), state, cancellationToken));

    private static async Task<Results<Created<InvestigationView>, ProblemHttpResult>> OpenAsync(
        OpenBody body, HttpContext http, InvestigationService service, CancellationToken cancellationToken)
    {
        if (Missing(body) is { } missing)
        {
            return missing;
        }

        var request = new OpenInvestigationRequest(body.IndexPersonKey!.Value, body.ConfirmedAt!.Value, body.AnchorDate!.Value, body.AnchorKind!.Value,
            body.RuleSetId ?? "", body.RuleSetVersion ?? "", body.LegalBasis ?? "", body.LegalBasisNote, body.ScopeRegionCode ?? "",
            body.ScopeFrom!.Value, body.ScopeTo!.Value, body.Purpose ?? "");
        var result = await service.OpenAsync(request, User(http), cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/api/v1/epidemic/investigations/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<InvestigationView>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.GetAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<InvestigationView>, ProblemHttpResult>> CloseAsync(
        Guid id, CloseBody? body, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.CloseAsync(id, body?.Reason, User(http), cancellationToken));

    private static async Task<Results<Ok<TraceView>, ProblemHttpResult>> TraceAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.TraceAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<TraceView>, NoContent, ProblemHttpResult>> LatestTraceAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken)
    {
        var result = await service.LatestTraceAsync(id, User(http), cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        return result.Value is { } trace ? TypedResults.Ok(trace) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<TrajectoryStop>>, ProblemHttpResult>> TrajectoryAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.TrajectoryAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<FollowUpView>>, ProblemHttpResult>> ListFollowUpsAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.ListFollowUpsAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<FollowUpResult>, ProblemHttpResult>> CreateFollowUpsAsync(
        Guid id, HttpContext http, InvestigationService service, CancellationToken cancellationToken) =>
        Reply(await service.CreateFollowUpsAsync(id, User(http), cancellationToken));

    /// <summary>The first required field the body leaves out, as a problem naming it.</summary>
    private static ProblemHttpResult? Missing(OpenBody body) =>
        body.IndexPersonKey is null ? Problems.Invalid("investigation.person_required", "indexPersonKey", "请填写确诊病例的人员编号。")
        : body.ConfirmedAt is null ? Problems.Invalid("investigation.confirmed_at_required", "confirmedAt", "请填写确诊时间（ISO 8601，带时区）。")
        : body.AnchorDate is null ? Problems.Invalid("investigation.anchor_required", "anchorDate", "请填写发病日期或采样日期（yyyy-MM-dd）。")
        : body.AnchorKind is null ? Problems.Invalid("investigation.anchor_kind_required", "anchorKind", "请选择日期类型：Onset（发病日期）或 Sample（采样日期）。")
        : body.ScopeFrom is null || body.ScopeTo is null
            ? Problems.Invalid("investigation.window_required", body.ScopeFrom is null ? "scopeFrom" : "scopeTo", "请填写调查时间范围的开始和结束日期（yyyy-MM-dd）。")
        : null;

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}
