using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Shanzhi.Cases;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// The population registry and health status: <c>/api/v1/epidemic/persons</c> and
/// <c>/api/v1/epidemic/health</c>, for epidemic officers. Identity is masked in every response
/// except the audited reveal, and no response may be cached.
/// </summary>
public static class EpidemicRegistryEndpoints
{
    public sealed record RegisterBody(string? Name, string? IdNumber, string? Phone, ResidencyClass? Residency, string? HomeGridCode);

    public sealed record RevealBody(string? Reason);

    /// <summary>A rule hit; <paramref name="HitRef"/> is the client's own reference of the hit, so that a resent hit is recorded once.</summary>
    public sealed record RuleHitBody(string? RuleId, string? Evidence, string? EvidenceRef, string? HitRef = null);

    public sealed record OverrideBody(HealthStatus? Status, string? Reason);

    public sealed record RejectBody(string? Reason);

    /// <summary>
    /// Search filters in the body, because an ID number in a URL can end up in a proxy's access log.
    /// <paramref name="NoStatus"/> selects the persons without a health status (未赋码).
    /// </summary>
    public sealed record SearchBody(string? IdNumber, ResidencyClass? Residency, string? Grid, HealthStatus? Status, int Page = 1, int PageSize = 20,
        bool NoStatus = false);

    public static void MapEpidemicRegistryEndpoints(this WebApplication app)
    {
        // Route values have no type constraint such as {key:long}: an id of the wrong form then fails
        // binding and gets 400 request.invalid_parameter naming it, where a constraint would give a bare 404.
        // {key:id} keeps /import and /search from being read as a key and checks nothing else (IdRouteConstraint).
        var persons = app.MapGroup("/api/v1/epidemic/persons").WithTags("疫情防控人口登记").RequireAuthorization().DisableAntiforgery()
            .AddEndpointFilter(NoStore)
            .RejectUnexpectedInput(new Dictionary<string, Error> { ["idNumber"] = IdNumberInQuery });
        persons.MapGet("/", ListAsync).WithName("ListEpidemicPersons")
            .WithSummary("按人口类别、居住网格、健康码列出人员（分页，身份信息已脱敏）；按身份证号查找请用 POST search");
        persons.MapPost("/search", SearchAsync).WithName("SearchEpidemicPersons")
            .WithSummary("按身份证号（盲索引精确匹配）及其他条件检索人员；条件放在请求正文中，身份证号不进入网址");
        persons.MapPost("/", RegisterAsync).WithName("RegisterEpidemicPerson").WithSummary("登记人员（身份信息加密存储）");
        persons.MapPost("/import", ImportAsync).WithName("ImportEpidemicPersons").Accepts<IFormFile>("multipart/form-data", "text/csv")
            .WithSummary("批量导入人员 CSV（multipart 字段 file 或 text/csv 正文）；逐行返回错误；首行出错时整个文件不导入（fileRejected）；atomic=true 时任一行出错则全部不导入");
        persons.MapGet("/{key:id}", GetAsync).WithName("GetEpidemicPerson").WithSummary("人员详情（身份信息已脱敏，记入审计日志）");
        persons.MapPost("/{key:id}/reveal", RevealAsync).WithName("RevealEpidemicPerson")
            .WithSummary("查看完整姓名、身份证号、手机号：必须填写事由，记入审计日志");
        persons.MapGet("/{key:id}/health", HistoryAsync).WithName("GetHealthHistory").WithSummary("健康码变更记录");
        persons.MapGet("/{key:id}/health/explanation", ExplainAsync).WithName("ExplainHealthStatus")
            .WithSummary("面向本人的健康码说明：当前颜色、起始时间和原因");
        persons.MapPost("/{key:id}/health/rule-hits", ApplyRuleAsync).WithName("ApplyHealthRule").WithSummary("按规则判定调整健康码（须附证据；重复提交同一判定只记录一次）");
        persons.MapGet("/{key:id}/health/overrides", PendingOverridesAsync).WithName("ListHealthOverrides").WithSummary("待审核的人工调整申请");
        persons.MapPost("/{key:id}/health/overrides", RequestOverrideAsync).WithName("RequestHealthOverride")
            .WithSummary("申请人工调整健康码（须填写原因，由另一名专员审核后生效）");

        var health = app.MapGroup("/api/v1/epidemic/health").WithTags("疫情防控人口登记").RequireAuthorization().DisableAntiforgery()
            .AddEndpointFilter(NoStore)
            .RejectUnexpectedInput(new Dictionary<string, Error> { ["idNumber"] = IdNumberInQuery });
        health.MapPost("/upstream", UpstreamAsync).WithName("ApplyUpstreamHealth")
            .WithSummary("批量接收上游健康码系统的状态更新（按上游编号去重，逐条返回结果）");
        health.MapGet("/overrides/{id}", GetOverrideAsync).WithName("GetHealthOverride").WithSummary("人工调整申请详情");
        health.MapPost("/overrides/{id}/approve", ApproveOverrideAsync).WithName("ApproveHealthOverride")
            .WithSummary("审核通过人工调整申请（申请人本人不能审核）");
        health.MapPost("/overrides/{id}/reject", RejectOverrideAsync).WithName("RejectHealthOverride")
            .WithSummary("驳回人工调整申请（须说明原因；申请人本人驳回即撤回）");
    }

    /// <summary>
    /// Rejected rather than ignored, on every registry endpoint. Ignoring it would return everyone,
    /// as if no person matched the number, and the number would still be in the URL.
    /// </summary>
    private static readonly Error IdNumberInQuery = Error.Invalid("person.id_number_in_query", "idNumber",
        "身份证号不能放在网址查询参数中（可能被代理服务器记入日志）。请改用 POST /api/v1/epidemic/persons/search，在请求正文中提交。");

    private static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    private static async Task<Results<Ok<PagedResult<PersonView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, PersonRegistry registry, CancellationToken cancellationToken,
        ResidencyClass? residency = null, string? grid = null, HealthStatus? status = null, int page = 1, int pageSize = 20, bool noStatus = false) =>
        await QueryAsync(new PersonQuery(null, residency, grid, status, page, pageSize, noStatus), http, registry, cancellationToken);

    private static async Task<Results<Ok<PagedResult<PersonView>>, ProblemHttpResult>> SearchAsync(
        SearchBody body, HttpContext http, PersonRegistry registry, CancellationToken cancellationToken)
    {
        // A malformed or empty number is a typing error: it would match no one, or (empty) list everyone in scope.
        if (body.IdNumber is not null && ChineseIdNumber.Validate(body.IdNumber, "idNumber") is { } invalid)
        {
            return Problems.From(invalid);
        }

        return await QueryAsync(new PersonQuery(body.IdNumber, body.Residency, body.Grid, body.Status, body.Page, body.PageSize, body.NoStatus),
            http, registry, cancellationToken);
    }

    private static async Task<Results<Ok<PagedResult<PersonView>>, ProblemHttpResult>> QueryAsync(
        PersonQuery query, HttpContext http, PersonRegistry registry, CancellationToken cancellationToken)
    {
        if (Paging.Check(query.Page, query.PageSize, PersonRegistry.MaxPageSize) is { } paging)
        {
            return Problems.From(paging);
        }

        if (query.WithoutStatus && query.Status is not null)
        {
            return Problems.Invalid("person.conflicting_status_filter", "noStatus",
                "不能同时按健康码颜色（status）和未赋码（noStatus）筛选，请只保留其中一个条件。");
        }

        return Reply(await registry.ListAsync(query, User(http), cancellationToken));
    }

    private static async Task<Results<Created<PersonView>, ProblemHttpResult>> RegisterAsync(
        RegisterBody body, HttpContext http, PersonRegistry registry, CancellationToken cancellationToken)
    {
        var result = await registry.RegisterAsync(
            new RegisterPersonRequest(body.Name, body.IdNumber, body.Phone, body.Residency, body.HomeGridCode), User(http), cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/api/v1/epidemic/persons/{result.Value!.PersonKey}", result.Value);
    }

    private static async Task<Results<Ok<PersonImportReport>, ProblemHttpResult>> ImportAsync(
        HttpContext http, ImportPersons importer, CancellationToken cancellationToken, bool atomic = false)
    {
        Stream csv;
        if (http.Request.HasFormContentType)
        {
            var read = await RequestBodies.ReadFormAsync(http.Request, cancellationToken);
            if (read.Error is { } malformed)
            {
                return Problems.From(malformed);
            }

            var form = read.Form!;

            var (file, fileError) = RequestBodies.SingleFile(form, "file", Error.Invalid("import.missing_file", "file", "请在字段 file 中上传 CSV 文件。"));
            if (fileError is not null)
            {
                return Problems.From(fileError);
            }

            csv = file!.OpenReadStream();
        }
        else if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            csv = http.Request.Body;
        }
        else
        {
            return Problems.From(new Error("request.unsupported_media_type", "内容类型不支持",
                "导入人员请上传 CSV：使用 multipart/form-data（文件字段名 file）或 Content-Type: text/csv。", 415, "file"));
        }

        await using (csv)
        {
            return Reply(await importer.ImportAsync(csv, atomic, User(http), cancellationToken));
        }
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> GetAsync(
        long key, HttpContext http, PersonRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.GetAsync(key, User(http), cancellationToken));

    private static async Task<Results<Ok<PersonIdentityView>, ProblemHttpResult>> RevealAsync(
        long key, RevealBody? body, HttpContext http, PersonRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.RevealAsync(key, body?.Reason, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<HealthChangeView>>, ProblemHttpResult>> HistoryAsync(
        long key, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.HistoryAsync(key, User(http), cancellationToken));

    private static async Task<Results<Ok<HealthExplanation>, ProblemHttpResult>> ExplainAsync(
        long key, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.ExplainAsync(key, User(http), cancellationToken));

    private static async Task<Results<Ok<HealthChangeView>, ProblemHttpResult>> ApplyRuleAsync(
        long key, RuleHitBody body, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.ApplyRuleAsync(key, new HealthRuleHit(body.RuleId, body.Evidence, body.EvidenceRef, body.HitRef), User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<OverrideRequestView>>, ProblemHttpResult>> PendingOverridesAsync(
        long key, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.PendingOverridesAsync(key, User(http), cancellationToken));

    private static async Task<Results<Created<OverrideRequestView>, ProblemHttpResult>> RequestOverrideAsync(
        long key, OverrideBody body, HttpContext http, HealthStatusService health, CancellationToken cancellationToken)
    {
        var result = await health.RequestOverrideAsync(key, body.Status, body.Reason, User(http), cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/api/v1/epidemic/health/overrides/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<OverrideRequestView>, ProblemHttpResult>> GetOverrideAsync(
        Guid id, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.GetOverrideAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<HealthChangeView>, ProblemHttpResult>> ApproveOverrideAsync(
        Guid id, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.ApproveOverrideAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<OverrideRequestView>, ProblemHttpResult>> RejectOverrideAsync(
        Guid id, RejectBody body, HttpContext http, HealthStatusService health, CancellationToken cancellationToken) =>
        Reply(await health.RejectOverrideAsync(id, body.Reason, User(http), cancellationToken));

    private static async Task<Results<Ok<UpstreamBatchResult>, ProblemHttpResult>> UpstreamAsync(
        UpstreamHealthBatch body, HttpContext http, UpstreamHealthUpdate upstream, CancellationToken cancellationToken) =>
        Reply(await upstream.ApplyAsync(body, User(http), cancellationToken));

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}
