using Shanzhi.Storage;

namespace Shanzhi.Privacy;

/// <summary>What an audit entry records. Stored as text; never renumber or rename a member.</summary>
public enum AuditAction
{
    Login,
    LoginFailed,
    Logout,
    PermissionChanged,
    RecordViewed,
    Revealed,
    RevealRefused,
    Exported,
    CaseTransition,
    TrajectoryQueried,
    RetentionPurged,
    KeyRotated,
    ConfigurationChanged,
}

/// <summary>
/// One fact for the audit log: who did what to which subject, for which purpose. Subject ids and
/// details never contain personal data in clear text: use record ids and masked values.
/// </summary>
public sealed record AuditEntry(
    AuditAction Action,
    Guid? ActorId,
    string ActorName,
    string? SubjectType = null,
    string? SubjectId = null,
    string? Purpose = null,
    string? Detail = null);

/// <summary>The append-only, hash-chained audit log.</summary>
public interface IAuditLog
{
    /// <summary>Appends an entry and returns only after it is durably stored.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Appends an entry inside the open transaction of <paramref name="db"/>, so that the entry
    /// commits or rolls back together with the caller's own changes.
    /// </summary>
    Task AppendInTransactionAsync(ShanzhiDbContext db, AuditEntry entry, CancellationToken cancellationToken);
}
