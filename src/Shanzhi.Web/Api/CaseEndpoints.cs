using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;
using Shanzhi.Web.Auth;
using Shanzhi.Web.Components.Field;

namespace Shanzhi.Web.Api;

/// <summary>The case engine over HTTP: <c>/api/v1/cases</c>.</summary>
public static class CaseEndpoints
{
    private const int MaxPageSize = 200;
    private const int MaxMapPoints = 5000;

    public static void MapCaseEndpoints(this WebApplication app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("案件").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        cases.MapGet("/", ListAsync).WithName("ListCases").WithSummary("按状态、分类、区域、超期筛选案件（分页）");
        cases.MapPost("/", ReportAsync).WithName("ReportCase").WithSummary("上报案件");
        cases.MapGet("/map-points", MapPointsAsync).WithName("CaseMapPoints").WithSummary("地图上的案件点位");
        cases.MapGet("/{id:guid}", GetAsync).WithName("GetCase").WithSummary("案件详情及当前用户可执行的操作");
        cases.MapGet("/{id:guid}/events", EventsAsync).WithName("GetCaseEvents").WithSummary("案件流转记录");
        cases.MapPost("/{id:guid}/actions/{action}", ActAsync).WithName("ActOnCase")
            .WithSummary("执行案件操作：file、reject、dispatch、start、return、resolve、request-verification、pass-verification、fail-verification、close 等");
        cases.MapGet("/{id:guid}/routing-proposal", ProposeUnitAsync).WithName("ProposeUnit").WithSummary("按分类与属地推荐责任单位");
        cases.MapGet("/{id:guid}/duplicates", DuplicatesAsync).WithName("ProposeDuplicates").WithSummary("疑似重复案件");
        cases.MapGet("/{id:guid}/attachments", ListAttachmentsAsync).WithName("ListAttachments").WithSummary("案件照片列表");
        cases.MapPost("/{id:guid}/attachments", UploadAsync).WithName("UploadAttachment").Accepts<IFormFile>("multipart/form-data").WithSummary("上传照片（multipart/form-data，字段 file，参数 stage=report|handling|verification）");
        app.MapGet("/api/v1/attachments/{id:guid}", DownloadAsync).WithTags("案件").WithName("GetAttachment").WithSummary("下载照片").RequireAuthorization()
            .RejectUnexpectedInput();
    }

    private static async Task<Results<Ok<PagedResult<CaseDto>>, ProblemHttpResult>> ListAsync(
        HttpContext http, CaseService service, TimeProvider clock, CancellationToken cancellationToken,
        CaseState? state = null, string? category = null, string? region = null, bool? overdue = null, string? q = null,
        Guid? unit = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, MaxPageSize) is { } paging)
        {
            return Problems.From(paging);
        }

        var result = await service.QueryAsync(new CaseQuery(state, category, region, overdue, q, unit, page, pageSize), User(http), cancellationToken);
        var now = clock.GetUtcNow();
        return TypedResults.Ok(new PagedResult<CaseDto>(result.Items.Select(c => CaseDto.From(c, now)).ToList(), result.Total, result.Page, result.PageSize));
    }

    private static async Task<Results<Created<CaseDto>, ProblemHttpResult>> ReportAsync(
        ReportCaseBody body, HttpContext http, CaseService service, ShanzhiDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (body.Latitude is not { } latitude || body.Longitude is not { } longitude)
        {
            return Problems.Invalid("case.missing_location", "latitude", "请提供案件位置：纬度 latitude 与经度 longitude（WGS84）。");
        }

        // Field-only workers report what the phone form offers; the same users land on that form.
        var user = User(http);
        if (FieldRoles.LandsOnPhonePages(user) && body.CategoryCode is { Length: > 0 } code
            && await FieldCategories.IsModuleCategoryAsync(db, code.Trim(), cancellationToken))
        {
            return Problems.From(FieldCategories.ModuleCategoryRejected);
        }

        var request = new ReportCaseRequest(body.Title ?? "", body.Description, latitude, longitude, body.CategoryCode, body.Address, body.AssetCode);
        var result = await service.ReportAsync(request, user, cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var @case = result.Value!;
        return TypedResults.Created($"/api/v1/cases/{@case.Id}", CaseDto.From(@case, clock.GetUtcNow(), service.AllowedActions(@case, user)));
    }

    private static async Task<Ok<List<CaseMapPoint>>> MapPointsAsync(
        HttpContext http, CaseService service, TimeProvider clock, CancellationToken cancellationToken, bool includeClosed = false)
    {
        var user = User(http);
        var page = await service.QueryAsync(new CaseQuery(PageSize: MaxMapPoints), user, cancellationToken);
        var now = clock.GetUtcNow();
        var points = page.Items
            .Where(c => includeClosed || !CaseStates.IsTerminal(c.State))
            .Select(c => new CaseMapPoint(c.Id, c.CaseNo, c.Title, c.State, CaseStates.ChineseName(c.State), c.Latitude, c.Longitude, c.IsOverdue(now)))
            .ToList();
        return TypedResults.Ok(points);
    }

    private static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, CaseService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        var user = User(http);
        var result = await service.GetAsync(id, user, cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Ok(CaseDto.From(result.Value!, clock.GetUtcNow(), service.AllowedActions(result.Value!, user)));
    }

    private static async Task<Results<Ok<List<CaseEventDto>>, ProblemHttpResult>> EventsAsync(
        Guid id, HttpContext http, CaseService service, CancellationToken cancellationToken)
    {
        var result = await service.GetEventsAsync(id, User(http), cancellationToken);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!.Select(CaseEventDto.From).ToList());
    }

    private static async Task<Results<Ok<CaseDto>, ProblemHttpResult>> ActAsync(
        Guid id, string action, CaseActionBody? body, HttpContext http, CaseService service, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!CaseActionNames.TryParse(action, out var caseAction))
        {
            return Problems.From(new Error("case.unknown_action", "未知的案件操作",
                $"不支持的操作“{action}”。可用操作：{string.Join("、", CaseActionNames.All)}。", 404, "action"));
        }

        body ??= new CaseActionBody();
        var user = User(http);
        var request = new CaseActionRequest(caseAction, body.Reason, body.UnitId, body.VerifierId, body.ParentCaseId,
            body.CategoryCode, body.Deadline, body.Satisfaction, body.ExpectedEventCount);
        var result = await service.ActAsync(id, request, user, cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Ok(CaseDto.From(result.Value!, clock.GetUtcNow(), service.AllowedActions(result.Value!, user)));
    }

    private static async Task<Results<Ok<RoutingProposal>, ProblemHttpResult>> ProposeUnitAsync(
        Guid id, HttpContext http, CaseService service, CancellationToken cancellationToken)
    {
        var result = await service.ProposeUnitAsync(id, User(http), cancellationToken);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);
    }

    private static async Task<Results<Ok<List<CaseDto>>, ProblemHttpResult>> DuplicatesAsync(
        Guid id, HttpContext http, CaseService service, TimeProvider clock, CancellationToken cancellationToken)
    {
        var result = await service.ProposeDuplicatesAsync(id, User(http), cancellationToken);
        var now = clock.GetUtcNow();
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!.Select(c => CaseDto.From(c, now)).ToList());
    }

    private static async Task<Results<Ok<List<AttachmentDto>>, ProblemHttpResult>> ListAttachmentsAsync(
        Guid id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var result = await attachments.ListAsync(id, User(http), cancellationToken);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!.Select(AttachmentDto.From).ToList());
    }

    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken, string stage = "report")
    {
        if (!Enum.TryParse<AttachmentStage>(stage, ignoreCase: true, out var attachmentStage) || !Enum.IsDefined(attachmentStage))
        {
            return Problems.Invalid("attachment.invalid_stage", "stage", "stage 必须是 report（上报）、handling（处置）或 verification（核查）。");
        }

        if (!http.Request.HasFormContentType)
        {
            return Problems.From(new Error("request.unsupported_media_type", "内容类型不支持", "上传照片请使用 multipart/form-data，文件字段名为 file。", 415, "file"));
        }

        var read = await RequestBodies.ReadFormAsync(http.Request, cancellationToken);
        if (read.Error is { } malformed)
        {
            return Problems.From(malformed);
        }

        var form = read.Form!;

        var (file, fileError) = RequestBodies.SingleFile(form, "file", Error.Invalid("attachment.missing_file", "file", "请在字段 file 中上传一张照片。"));
        if (fileError is not null)
        {
            return Problems.From(fileError);
        }

        await using var content = file!.OpenReadStream();
        var result = await attachments.AddAsync(id, attachmentStage, file.ContentType, content, User(http), cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var dto = AttachmentDto.From(result.Value!);
        return TypedResults.Created(dto.Url, dto);
    }

    private static async Task<IResult> DownloadAsync(Guid id, HttpContext http, AttachmentService attachments, CancellationToken cancellationToken)
    {
        var result = await attachments.OpenAsync(id, User(http), cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        http.Response.Headers.CacheControl = "private, no-store";
        var (attachment, content) = result.Value;
        return TypedResults.Stream(content, attachment.ContentType);
    }

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}

public sealed record AttachmentDto(Guid Id, Guid CaseId, AttachmentStage Stage, string ContentType, long Size, DateTimeOffset UploadedAt, string Url)
{
    public static AttachmentDto From(Attachment a) =>
        new(a.Id, a.CaseId, a.Stage, a.ContentType, a.Size, ShanghaiTime.ToLocal(a.UploadedAt), $"/api/v1/attachments/{a.Id}");
}
