using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// Open311 GeoReport v2 façade over the case engine. Service codes are catalogue category codes,
/// <c>service_request_id</c> is the case number. <c>status</c> is only open or closed, as the spec
/// fixes; the fine state goes in <c>status_notes</c> and the handling deadline in
/// <c>expected_datetime</c>. Times carry the +08:00 offset.
/// </summary>
// NOTE: errors use RFC 7807 problem bodies like the rest of the API, not the spec's
// [{code, description}] array, and only the JSON format is served (no .xml).
public static class Open311Endpoints
{
    public static void MapOpen311Endpoints(this WebApplication app)
    {
        var open311 = app.MapGroup("/open311/v2").WithTags("Open311 GeoReport v2").DisableAntiforgery();
        open311.MapGet("/services.json", ListServicesAsync).WithName("Open311Services").WithSummary("服务（事件分类）列表，无需登录").AllowAnonymous();
        open311.MapGet("/services/{code}.json", GetServiceAsync).WithName("Open311Service").WithSummary("服务定义").AllowAnonymous();
        open311.MapGet("/requests.json", ListRequestsAsync).WithName("Open311Requests").WithSummary("服务请求列表").RequireAuthorization();
        open311.MapGet("/requests/{id}.json", GetRequestAsync).WithName("Open311Request").WithSummary("单个服务请求").RequireAuthorization();
        open311.MapPost("/requests.json", CreateRequestAsync).WithName("Open311CreateRequest").WithSummary("提交服务请求").RequireAuthorization();
    }

    public sealed record Service(
        [property: JsonPropertyName("service_code")] string ServiceCode,
        [property: JsonPropertyName("service_name")] string ServiceName,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("metadata")] bool Metadata,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("keywords")] string Keywords,
        [property: JsonPropertyName("group")] string Group);

    public sealed record ServiceDefinition(
        [property: JsonPropertyName("service_code")] string ServiceCode,
        [property: JsonPropertyName("attributes")] IReadOnlyList<object> Attributes);

    public sealed record ServiceRequest(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("status_notes")] string StatusNotes,
        [property: JsonPropertyName("service_name")] string? ServiceName,
        [property: JsonPropertyName("service_code")] string? ServiceCode,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("agency_responsible")] string? AgencyResponsible,
        [property: JsonPropertyName("service_notice")] string? ServiceNotice,
        [property: JsonPropertyName("requested_datetime")] DateTimeOffset RequestedDatetime,
        [property: JsonPropertyName("updated_datetime")] DateTimeOffset? UpdatedDatetime,
        [property: JsonPropertyName("expected_datetime")] DateTimeOffset? ExpectedDatetime,
        [property: JsonPropertyName("address")] string? Address,
        [property: JsonPropertyName("lat")] double Lat,
        [property: JsonPropertyName("long")] double Long,
        [property: JsonPropertyName("media_url")] string? MediaUrl);

    public sealed record CreatedRequest(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId,
        [property: JsonPropertyName("service_notice")] string? ServiceNotice,
        [property: JsonPropertyName("account_id")] string? AccountId);

    private static async Task<Ok<List<Service>>> ListServicesAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.CategoryGroups.AsNoTracking().ToDictionaryAsync(g => g.Code, g => g.Name, cancellationToken);
        var categories = await OfferedCategories(db).OrderBy(c => c.Code).ToListAsync(cancellationToken);
        return TypedResults.Ok(categories
            .Select(c => new Service(c.Code, c.Name, c.FilingCriterion, false, "realtime", c.Name, groups.GetValueOrDefault(c.GroupCode, "")))
            .ToList());
    }

    private static async Task<Results<Ok<ServiceDefinition>, ProblemHttpResult>> GetServiceAsync(
        string code, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var exists = await OfferedCategories(db).AnyAsync(c => c.Code == code, cancellationToken);
        return exists
            ? TypedResults.Ok(new ServiceDefinition(code, []))
            : Problems.From(Error.NotFound("open311.unknown_service", $"服务代码“{code}”不存在，请先调用 services.json 查看可用代码。"));
    }

    private static async Task<Results<Ok<List<ServiceRequest>>, ProblemHttpResult>> ListRequestsAsync(
        HttpContext http, CaseService service, ShanzhiDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromQuery(Name = "service_request_id")] string? ids = null,
        [FromQuery(Name = "service_code")] string? serviceCode = null,
        [FromQuery(Name = "status")] string? status = null,
        [FromQuery(Name = "start_date")] DateTimeOffset? startDate = null,
        [FromQuery(Name = "end_date")] DateTimeOffset? endDate = null)
    {
        if (status is not (null or "open" or "closed"))
        {
            return Problems.Invalid("open311.invalid_status", "status", "status 只能是 open 或 closed。");
        }

        var user = http.User.ToStaffPrincipal()!;
        var wanted = ids?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

        // Open311 defaults to the last 90 days and at most 1000 requests.
        var end = endDate ?? clock.GetUtcNow();
        var start = startDate ?? end.AddDays(-90);
        var page = await service.QueryAsync(new CaseQuery(CategoryCode: serviceCode, PageSize: 1000), user, cancellationToken);
        var cases = page.Items
            .Where(c => wanted is null || wanted.Contains(c.CaseNo))
            .Where(c => wanted is not null || (c.ReportedAt >= start && c.ReportedAt <= end))
            .Where(c => status is null || (status == "closed") == CaseStates.IsTerminal(c.State))
            .ToList();
        return TypedResults.Ok(await ToRequestsAsync(cases, db, cancellationToken));
    }

    private static async Task<Results<Ok<List<ServiceRequest>>, ProblemHttpResult>> GetRequestAsync(
        string id, HttpContext http, CaseService service, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var user = http.User.ToStaffPrincipal()!;
        var caseId = await db.Cases.AsNoTracking().Where(c => c.CaseNo == id).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(cancellationToken);
        if (caseId is null)
        {
            return Problems.From(CaseErrors.NotFound);
        }

        var result = await service.GetAsync(caseId.Value, user, cancellationToken);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(await ToRequestsAsync([result.Value!], db, cancellationToken));
    }

    private static async Task<Results<Created<List<CreatedRequest>>, ProblemHttpResult>> CreateRequestAsync(
        HttpContext http, CaseService service, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return Problems.From(new Error("request.unsupported_media_type", "内容类型不支持",
                "Open311 提交服务请求请使用 application/x-www-form-urlencoded 表单。", 415));
        }

        var read = await RequestBodies.ReadFormAsync(http.Request, cancellationToken);
        if (read.Error is { } malformed)
        {
            return Problems.From(malformed);
        }

        var form = read.Form!;

        var code = form["service_code"].ToString();
        if (string.IsNullOrWhiteSpace(code))
        {
            return Problems.Invalid("open311.missing_service_code", "service_code", "缺少 service_code，请先调用 services.json 查看可用代码。");
        }

        if (await IsModuleCategoryAsync(db, code, cancellationToken))
        {
            return Problems.Invalid("open311.module_service", "service_code",
                $"类别“{code}”不通过 Open311 受理。个人信息权利请求和投诉举报请由工作人员通过 /api/v1/privacy/requests 登记。");
        }

        if (!TryParseCoordinate(form["lat"], out var latitude) || !TryParseCoordinate(form["long"], out var longitude))
        {
            return Problems.Invalid("open311.missing_location", "lat", "请提供有效的 lat 与 long（WGS84 十进制度）。");
        }

        var description = form["description"].ToString();
        var title = description.Length > 0 ? description[..Math.Min(description.Length, 40)] : "Open311 服务请求";
        var request = new ReportCaseRequest(title, description, latitude, longitude, code, form["address_string"].ToString() is { Length: > 0 } a ? a : null,
            Channel: CaseChannel.Open311);
        var result = await service.ReportAsync(request, http.User.ToStaffPrincipal(), cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var created = result.Value!;
        return TypedResults.Created($"/open311/v2/requests/{created.CaseNo}.json",
            new List<CreatedRequest> { new(created.CaseNo, "已受理，请凭编号查询办理进度。", null) });
    }

    /// <summary>
    /// Active categories of the GB/T 30428 catalogue. Module categories (such as personal-information
    /// requests) concern no place and have their own intake, so Open311 neither lists nor accepts them.
    /// </summary>
    private static IQueryable<Category> OfferedCategories(ShanzhiDbContext db) =>
        from category in db.Categories.AsNoTracking()
        join categoryGroup in db.CategoryGroups on category.GroupCode equals categoryGroup.Code
        where category.IsActive && categoryGroup.Kind != CaseKind.Module
        select category;

    private static Task<bool> IsModuleCategoryAsync(ShanzhiDbContext db, string code, CancellationToken cancellationToken) =>
        (from category in db.Categories
         join categoryGroup in db.CategoryGroups on category.GroupCode equals categoryGroup.Code
         where category.Code == code && categoryGroup.Kind == CaseKind.Module
         select category).AnyAsync(cancellationToken);

    private static bool TryParseCoordinate(string? text, out double value) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static async Task<List<ServiceRequest>> ToRequestsAsync(IReadOnlyList<Case> cases, ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var categoryNames = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.Name, cancellationToken);
        var unitIds = cases.Where(c => c.UnitId is not null).Select(c => c.UnitId!.Value).Distinct().ToList();
        var unitNames = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var caseIds = cases.Select(c => c.Id).ToList();
        var updated = await db.CaseEvents.AsNoTracking().Where(e => caseIds.Contains(e.CaseId))
            .GroupBy(e => e.CaseId).Select(g => new { CaseId = g.Key, At = g.Max(e => e.At) })
            .ToDictionaryAsync(x => x.CaseId, x => x.At, cancellationToken);
        var media = (await db.Attachments.AsNoTracking().Where(a => caseIds.Contains(a.CaseId))
                .Select(a => new { a.CaseId, a.Id, a.UploadedAt }).ToListAsync(cancellationToken))
            .GroupBy(a => a.CaseId)
            .ToDictionary(g => g.Key, g => g.MinBy(a => a.UploadedAt)!.Id);

        return cases.Select(c => new ServiceRequest(
            c.CaseNo,
            CaseStates.IsTerminal(c.State) ? "closed" : "open",
            CaseStates.ChineseName(c.State),
            c.CategoryCode is { } code ? categoryNames.GetValueOrDefault(code) : null,
            c.CategoryCode,
            c.Description,
            c.UnitId is { } unitId ? unitNames.GetValueOrDefault(unitId) : null,
            null,
            ShanghaiTime.ToLocal(c.ReportedAt),
            updated.TryGetValue(c.Id, out var at) ? ShanghaiTime.ToLocal(at) : null,
            c.HandlingDeadline is { } deadline ? ShanghaiTime.ToLocal(deadline) : null,
            c.Address,
            c.Latitude,
            c.Longitude,
            media.TryGetValue(c.Id, out var mediaId) ? $"/api/v1/attachments/{mediaId}" : null)).ToList();
    }
}
