using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Privacy;

/// <summary>
/// Filters of the audit log; all optional. <see cref="Actor"/> matches the actor's id or part of
/// the name; <see cref="Subject"/> matches the subject id exactly, or the subject type as stored
/// (<c>user</c>) or as the console names it (账户).
/// </summary>
public sealed record AuditQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    AuditAction? Action = null,
    string? Actor = null,
    string? Subject = null,
    int Page = 1,
    int PageSize = 50);

public static class AuditErrors
{
    public static readonly Error Forbidden = Error.Forbidden("audit.forbidden", "只有审计管理员可以查看审计日志。");
}

/// <summary>Reads the audit log for auditors, newest first. Only audit administrators may read it.</summary>
public sealed class AuditLogReader(ShanzhiDbContext db)
{
    public const int MaxPageSize = 200;

    public async Task<Result<PagedResult<AuditRecord>>> SearchAsync(AuditQuery query, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.AuditAdmin))
        {
            return AuditErrors.Forbidden;
        }

        var records = db.AuditRecords.AsNoTracking();
        if (query.From is { } from)
        {
            records = records.Where(r => r.At >= from);
        }

        if (query.To is { } to)
        {
            records = records.Where(r => r.At < to);
        }

        if (query.Action is { } action)
        {
            records = records.Where(r => r.Action == action);
        }

        if (query.Actor?.Trim() is { Length: > 0 } actor)
        {
            records = Guid.TryParse(actor, out var actorId)
                ? records.Where(r => r.ActorId == actorId)
                : records.Where(r => r.ActorName.Contains(actor));
        }

        if (query.Subject?.Trim() is { Length: > 0 } subject)
        {
            // The console shows subject types in Chinese, so auditors type those; entries store the English type.
            var subjectTypes = AuditDetailText.SubjectTypesMatching(subject);
            records = records.Where(r => r.SubjectId == subject || subjectTypes.Contains(r.SubjectType));
        }

        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var total = await records.CountAsync(cancellationToken);
        var items = await records.OrderByDescending(r => r.Sequence).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedResult<AuditRecord>(items, total, page, size);
    }
}
