using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Cases;
using Shanzhi.Privacy;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>The audit log for audit administrators: who did what to which record, when and why.</summary>
public static class AuditEndpoints
{
    public sealed record AuditRecordDto(
        long Sequence,
        DateTimeOffset At,
        AuditAction Action,
        string ActionName,
        Guid? ActorId,
        string ActorName,
        string? SubjectType,
        string? SubjectId,
        string? Purpose,
        string? Detail,
        string Hash)
    {
        public static AuditRecordDto From(AuditRecord r) => new(
            r.Sequence, r.At, r.Action, AuditActionNames.ChineseName(r.Action), r.ActorId, r.ActorName,
            r.SubjectType, r.SubjectId, r.Purpose, r.Detail, r.Hash);
    }

    public static void MapAuditEndpoints(this WebApplication app)
    {
        // Authenticated users only; the reader itself admits audit administrators, so others get a 403 problem with a code.
        app.MapGet("/api/v1/audit", SearchAsync).WithTags("审计").WithName("SearchAuditLog")
            .WithSummary("审计日志查询（审计管理员）：按时间、操作类型、操作人、对象筛选，最新的在前")
            .RequireAuthorization()
            .RejectUnexpectedInput();
    }

    private static async Task<Results<Ok<PagedResult<AuditRecordDto>>, ProblemHttpResult>> SearchAsync(
        HttpContext http, AuditLogReader reader, CancellationToken cancellationToken,
        DateTimeOffset? from = null, DateTimeOffset? to = null, AuditAction? action = null, string? actor = null, string? subject = null,
        int page = 1, int pageSize = 50)
    {
        if (Paging.Check(page, pageSize, AuditLogReader.MaxPageSize) is { } paging)
        {
            return Problems.From(paging);
        }

        var result = await reader.SearchAsync(new AuditQuery(from, to, action, actor, subject, page, pageSize), http.User.ToStaffPrincipal()!, cancellationToken);
        if (result.Error is { } error)
        {
            return Problems.From(error);
        }

        var found = result.Value!;
        return TypedResults.Ok(new PagedResult<AuditRecordDto>(found.Items.Select(AuditRecordDto.From).ToList(), found.Total, found.Page, found.PageSize));
    }
}
