using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Privacy;

/// <summary>
/// One stored audit entry, linked to the one before it by <see cref="PreviousHash"/>. Records are
/// only ever inserted: a changed field breaks its own <see cref="Hash"/>, a deleted record leaves a
/// gap in <see cref="Sequence"/>, and <see cref="AuditVerifier"/> finds both.
/// </summary>
[Classify(DataClass.Internal, "安全审计：记录登录、权限变更、敏感信息查看与导出、案件流转", Activity = "安全审计", Recipients = "审计管理员", RetentionDays = 180)]
public sealed class AuditRecord
{
    public const int ActorNameMaxLength = 100;
    public const int SubjectTypeMaxLength = 50;
    public const int SubjectIdMaxLength = 100;
    public const int PurposeMaxLength = 200;
    public const int DetailMaxLength = 2000;

    /// <summary>Previous hash of the first record: 64 zeros, the width of a SHA-256 hex digest.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private AuditRecord()
    {
    }

    /// <summary>1, 2, 3, … without gaps.</summary>
    public long Sequence { get; private init; }

    /// <summary>UTC, whole microseconds: PostgreSQL keeps no finer time, and the hash must survive the round trip.</summary>
    public DateTimeOffset At { get; private init; }

    public AuditAction Action { get; private init; }

    public Guid? ActorId { get; private init; }

    [Classify(DataClass.Personal, "审计：操作人姓名", Recipients = "审计管理员", RetentionDays = 180)]
    public string ActorName { get; private init; } = "";

    public string? SubjectType { get; private init; }

    public string? SubjectId { get; private init; }

    public string? Purpose { get; private init; }

    [Classify(DataClass.Personal, "审计：操作详情（只写编号与脱敏值）", Recipients = "审计管理员", RetentionDays = 180)]
    public string? Detail { get; private init; }

    public string PreviousHash { get; private init; } = GenesisHash;

    /// <summary>Lower-case hex SHA-256 of <see cref="Canonical"/>.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>Builds the record that follows <paramref name="previousHash"/> at <paramref name="sequence"/>.</summary>
    public static AuditRecord Chain(long sequence, string previousHash, DateTimeOffset at, AuditEntry entry)
    {
        Check(entry.ActorName, ActorNameMaxLength, nameof(entry.ActorName));
        Check(entry.SubjectType, SubjectTypeMaxLength, nameof(entry.SubjectType));
        Check(entry.SubjectId, SubjectIdMaxLength, nameof(entry.SubjectId));
        Check(entry.Purpose, PurposeMaxLength, nameof(entry.Purpose));
        Check(entry.Detail, DetailMaxLength, nameof(entry.Detail));

        var utc = at.ToUniversalTime();
        var record = new AuditRecord
        {
            Sequence = sequence,
            At = utc.AddTicks(-(utc.UtcTicks % TimeSpan.TicksPerMicrosecond)),
            Action = entry.Action,
            ActorId = entry.ActorId,
            ActorName = entry.ActorName,
            SubjectType = entry.SubjectType,
            SubjectId = entry.SubjectId,
            Purpose = entry.Purpose,
            Detail = entry.Detail,
            PreviousHash = previousHash,
        };
        record.Hash = record.ComputeHash();
        return record;
    }

    /// <summary>The hash the record's fields give now; differs from <see cref="Hash"/> once a field was changed.</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical())));

    /// <summary>
    /// The hashed text: every field in a fixed order, each as its length, a colon and its value, so
    /// no two different records serialise alike ("~" marks null, unlike an empty string "0:").
    /// Numbers, time and ids are written culture-invariant; the action by its stable name.
    /// </summary>
    public string Canonical()
    {
        var text = new StringBuilder(256);
        Field(text, Sequence.ToString(CultureInfo.InvariantCulture));
        Field(text, At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Field(text, Action.ToString());
        Field(text, ActorId?.ToString("D", CultureInfo.InvariantCulture));
        Field(text, ActorName);
        Field(text, SubjectType);
        Field(text, SubjectId);
        Field(text, Purpose);
        Field(text, Detail);
        Field(text, PreviousHash);
        return text.ToString();
    }

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("~\n");
            return;
        }

        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
    }

    private static void Check(string? value, int maxLength, string field)
    {
        if (value is { Length: var length } && length > maxLength)
        {
            throw new ArgumentException($"Audit field {field} is {length} characters long; at most {maxLength} are stored.", field);
        }
    }
}

/// <summary>
/// The chain's head: one row with the last sequence number and hash. Appenders lock this row
/// first, so they take turns and the chain never forks. The verifier compares it with the last
/// record, so deleting records from the end is detected too.
/// </summary>
[Classify(DataClass.Internal, "审计链头：防止篡改", Activity = "安全审计")]
public sealed class AuditChainHead
{
    public const int SingletonId = 1;

    public int Id { get; init; }

    public long Sequence { get; set; }

    public string Hash { get; set; } = AuditRecord.GenesisHash;
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.HasKey(r => r.Sequence);
        e.Property(r => r.Sequence).ValueGeneratedNever();
        e.Property(r => r.Action).HasConversion<string>().HasMaxLength(32);
        e.Property(r => r.ActorName).HasMaxLength(AuditRecord.ActorNameMaxLength);
        e.Property(r => r.SubjectType).HasMaxLength(AuditRecord.SubjectTypeMaxLength);
        e.Property(r => r.SubjectId).HasMaxLength(AuditRecord.SubjectIdMaxLength);
        e.Property(r => r.Purpose).HasMaxLength(AuditRecord.PurposeMaxLength);
        e.Property(r => r.Detail).HasMaxLength(AuditRecord.DetailMaxLength);
        e.Property(r => r.PreviousHash).HasMaxLength(64);
        e.Property(r => r.Hash).HasMaxLength(64);
        e.HasIndex(r => r.At);
        e.HasIndex(r => new { r.ActorId, r.At });
        e.HasIndex(r => new { r.SubjectType, r.SubjectId });
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> e)
    {
        e.HasKey(h => h.Id);
        e.Property(h => h.Id).ValueGeneratedNever();
        e.Property(h => h.Hash).HasMaxLength(64);
    }
}
