using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// The directory of personal-information handlers: <c>/api/v1/pi-handlers</c>, for PI supervisors
/// only. Officer contacts are masked in every response except the audited reveal.
/// </summary>
public static class PiHandlerEndpoints
{
    public sealed record SaveHandlerBody(string? CreditCode, string? Name, PiIndustry? Industry, PiDataScale? Scale, string? RegionCode,
        bool? KeySupervision, string? OfficerName, string? OfficerPhone, Dictionary<string, bool>? SelfAssessment);

    public sealed record RevealBody(string? Reason);

    public sealed record InspectionBody(DateOnly? Date, string? Inspector, InspectionResult? Result);

    public sealed record FindingBody(string? Description, FindingSeverity? Severity);

    public static void MapPiHandlerEndpoints(this WebApplication app)
    {
        var handlers = app.MapGroup("/api/v1/pi-handlers").WithTags("个人信息处理者名录").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        handlers.MapGet("/", ListAsync).WithName("ListPiHandlers")
            .WithSummary("按名称、统一社会信用代码、负责人手机号检索，按行业、数据规模、重点监管、区划筛选（分页，负责人联系方式已脱敏）");
        handlers.MapGet("/export.csv", ExportAsync).WithName("ExportPiHandlers").WithSummary("导出名录 CSV（负责人联系方式已脱敏，记入审计日志）");
        handlers.MapPost("/", CreateAsync).WithName("CreatePiHandler").WithSummary("登记个人信息处理者");
        handlers.MapGet("/{id:guid}", GetAsync).WithName("GetPiHandler").WithSummary("处理者详情（负责人联系方式已脱敏）");
        handlers.MapGet("/{id:guid}/complaints", ListComplaintsAsync).WithName("ListPiHandlerComplaints").WithSummary("关联该处理者的个人信息投诉举报案件");
        handlers.MapPost("/{id:guid}", UpdateAsync).WithName("UpdatePiHandler").WithSummary("修改处理者信息");
        handlers.MapPost("/{id:guid}/reveal", RevealAsync).WithName("RevealPiOfficerContact")
            .WithSummary("查看负责人完整姓名与手机号：必须填写事由，记入审计日志");
        handlers.MapGet("/{id:guid}/inspections", ListInspectionsAsync).WithName("ListPiInspections").WithSummary("检查记录及发现的问题");
        handlers.MapPost("/{id:guid}/inspections", RecordInspectionAsync).WithName("RecordPiInspection").WithSummary("登记一次检查");
        handlers.MapPost("/{id:guid}/inspections/{inspectionId:guid}/findings", RecordFindingAsync).WithName("RecordPiFinding")
            .WithSummary("登记检查发现的问题，并生成整改案件");
    }

    private static async Task<Results<Ok<PagedResult<PiHandlerView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, PiHandlerService service, CancellationToken cancellationToken,
        string? q = null, PiIndustry? industry = null, PiDataScale? scale = null, bool? keySupervision = null, string? region = null,
        string? officerPhone = null, int page = 1, int pageSize = 20)
    {
        if (Paging.Check(page, pageSize, PiHandlerService.MaxPageSize) is { } paging)
        {
            return Problems.From(paging);
        }

        var query = new PiHandlerQuery(q, industry, scale, keySupervision, region, officerPhone, page, pageSize);
        return Reply(await service.ListAsync(query, User(http), cancellationToken));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ExportAsync(
        HttpContext http, PiHandlerService service, TimeProvider clock, CancellationToken cancellationToken,
        string? q = null, PiIndustry? industry = null, PiDataScale? scale = null, bool? keySupervision = null, string? region = null,
        string? officerPhone = null)
    {
        var query = new PiHandlerQuery(q, industry, scale, keySupervision, region, officerPhone);
        var result = await service.ExportAsync(query, User(http), cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var csv = new StringBuilder();
        csv.Append("统一社会信用代码,名称,行业,数据规模,所在区划,重点监管,个人信息保护负责人,负责人手机号\r\n");
        foreach (var h in result.Value!)
        {
            csv.AppendJoin(',', new[]
            {
                h.CreditCode, h.Name, h.IndustryName, h.ScaleName, h.RegionCode, h.KeySupervision ? "是" : "否", h.OfficerName, h.OfficerPhone,
            }.Select(CsvField)).Append("\r\n");
        }

        // Excel reads a CSV without a byte order mark in the system code page and garbles the Chinese text.
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        var fileName = "个人信息处理者名录-" + ShanghaiTime.Today(clock).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + ".csv";
        return TypedResults.File(bytes, "text/csv; charset=utf-8", fileName);
    }

    private static async Task<Results<Created<PiHandlerView>, ProblemHttpResult>> CreateAsync(
        SaveHandlerBody body, HttpContext http, PiHandlerService service, CancellationToken cancellationToken)
    {
        if (ToRequest(body) is not { } request)
        {
            return MissingChoice(body);
        }

        var result = await service.CreateAsync(request, User(http), cancellationToken);
        return result.Error is { } error
            ? Problems.From(error)
            : TypedResults.Created($"/api/v1/pi-handlers/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<PiHandlerView>, ProblemHttpResult>> UpdateAsync(
        Guid id, SaveHandlerBody body, HttpContext http, PiHandlerService service, CancellationToken cancellationToken)
    {
        if (ToRequest(body) is not { } request)
        {
            return MissingChoice(body);
        }

        return Reply(await service.UpdateAsync(id, request, User(http), cancellationToken));
    }

    private static async Task<Results<Ok<IReadOnlyList<PiHandlerComplaintView>>, ProblemHttpResult>> ListComplaintsAsync(
        Guid id, HttpContext http, PiHandlerService service, CancellationToken cancellationToken) =>
        Reply(await service.ListComplaintsAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<PiHandlerView>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, PiHandlerService service, CancellationToken cancellationToken) =>
        Reply(await service.GetAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<PiOfficerContact>, ProblemHttpResult>> RevealAsync(
        Guid id, RevealBody? body, HttpContext http, PiHandlerService service, CancellationToken cancellationToken) =>
        Reply(await service.RevealContactAsync(id, body?.Reason, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<PiInspectionView>>, ProblemHttpResult>> ListInspectionsAsync(
        Guid id, HttpContext http, PiHandlerService service, CancellationToken cancellationToken) =>
        Reply(await service.ListInspectionsAsync(id, User(http), cancellationToken));

    private static async Task<Results<Ok<PiInspectionView>, ProblemHttpResult>> RecordInspectionAsync(
        Guid id, InspectionBody body, HttpContext http, PiHandlerService service, CancellationToken cancellationToken)
    {
        if (body.Date is not { } date)
        {
            return Problems.Invalid("pihandler.inspection_date_required", "date", "请填写检查日期（yyyy-MM-dd）。");
        }

        if (body.Result is not { } outcome)
        {
            return Problems.Invalid("pihandler.inspection_result_required", "result", "请选择检查结果：Compliant（合规）、FindingsRaised（发现问题）或 Incomplete（未完成）。");
        }

        return Reply(await service.RecordInspectionAsync(id, new RecordInspectionRequest(date, body.Inspector ?? "", outcome), User(http), cancellationToken));
    }

    private static async Task<Results<Ok<PiFindingView>, ProblemHttpResult>> RecordFindingAsync(
        Guid id, Guid inspectionId, FindingBody body, HttpContext http, PiHandlerService service, CancellationToken cancellationToken)
    {
        if (body.Severity is not { } severity)
        {
            return Problems.Invalid("pihandler.severity_required", "severity", "请选择问题严重程度：Minor（一般）、Major（较重）或 Severe（严重）。");
        }

        return Reply(await service.RecordFindingAsync(id, inspectionId, new RecordFindingRequest(body.Description ?? "", severity), User(http), cancellationToken));
    }

    private static SavePiHandlerRequest? ToRequest(SaveHandlerBody body) =>
        body.Industry is { } industry && body.Scale is { } scale
            ? new SavePiHandlerRequest(body.CreditCode ?? "", body.Name ?? "", industry, scale, body.RegionCode ?? "", body.KeySupervision ?? false,
                body.OfficerName ?? "", body.OfficerPhone ?? "", body.SelfAssessment)
            : null;

    private static ProblemHttpResult MissingChoice(SaveHandlerBody body) => body.Industry is null
        ? Problems.Invalid("pihandler.industry_required", "industry",
            "请选择行业：Internet、Telecom、ECommerce、Courier、Bank、PropertyManagement、Intermediary 或 Other。")
        : Problems.Invalid("pihandler.scale_required", "scale",
            "请选择数据规模：Under100Thousand、Under1Million、Under10Million 或 AtLeast10Million。");

    /// <summary>Quotes a CSV field and defuses formula injection: a leading = + - @ would run as a formula in a spreadsheet.</summary>
    private static string CsvField(string value)
    {
        var safe = value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}
