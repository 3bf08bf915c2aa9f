using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Registry;

/// <summary>Where a health-status change came from.</summary>
public enum HealthChangeSource
{
    /// <summary>The provincial health-code system, in a bulk update.</summary>
    Upstream = 1,

    /// <summary>A rule of <see cref="HealthRules"/> hit with evidence (e.g. close contact of a confirmed case).</summary>
    Rule = 2,

    /// <summary>An officer's override, approved by a second officer.</summary>
    Manual = 3,
}

/// <summary>
/// One change of a person's health status (健康码变更记录). The history is append-only: the
/// person's current status is the last row's <see cref="To"/>. Each row says why: the upstream
/// system and its reference, the rule and its evidence, or the officer's reason and the approver.
/// Rows expire <see cref="Privacy.RetentionOptions.HealthStatusHistoryDays"/> after they are
/// recorded, except each person's latest.
/// </summary>
[Classify(DataClass.Sensitive, "健康码变更留痕与向本人说明原因", Recipients = "疫情防控专员", Activity = "疫情防控人口登记",
    RetentionDays = Privacy.RetentionOptions.HealthStatusHistoryDays,
    RetentionRule = Privacy.RetentionOptions.HealthStatusHistoryRule)]
public sealed class HealthStatusChange
{
    public const string Table = "health_status_changes";
    public const string RecordedAtColumn = "recorded_at";
    public const string PersonKeyColumn = "person_key";

    public const int SourceSystemMaxLength = 64;
    public const int ReferenceMaxLength = 100;
    public const int TextMaxLength = 500;

    [Classify(DataClass.Internal, "记录编号")]
    public long Id { get; init; }

    public long PersonKey { get; init; }

    /// <summary>The status before the change; null for a person's first status.</summary>
    public HealthStatus? From { get; init; }

    public HealthStatus To { get; init; }

    [Classify(DataClass.Internal, "变更来源")]
    public HealthChangeSource Source { get; init; }

    /// <summary>Name of the upstream system that sent an upstream change.</summary>
    [Classify(DataClass.Internal, "上游系统名称")]
    public string? SourceSystem { get; init; }

    /// <summary>The upstream system's own reference of the update; unique per system, so a resent update is recognised.</summary>
    [Classify(DataClass.Internal, "上游更新去重")]
    public string? UpstreamRef { get; init; }

    [Classify(DataClass.Internal, "命中的规则")]
    public string? RuleId { get; init; }

    /// <summary>What the rule hit rests on. Staff-only: it may name other persons by key.</summary>
    public string? Evidence { get; init; }

    [Classify(DataClass.Internal, "证据编号（如流调记录编号）")]
    public string? EvidenceRef { get; init; }

    /// <summary>
    /// The client's reference of a rule hit, unique per person, so that a resent hit is recognised. It is null for a hit sent
    /// without one and for other sources.
    /// </summary>
    [Classify(DataClass.Internal, "规则判定去重")]
    public string? HitRef { get; init; }

    /// <summary>The officer's reason for a manual override.</summary>
    [Classify(DataClass.Sensitive, "说明人工调整原因（向本人展示）", Recipients = "疫情防控专员", RetentionDays = Privacy.RetentionOptions.HealthStatusHistoryDays,
        RetentionRule = Privacy.RetentionOptions.HealthStatusHistoryRule)]
    public string? Reason { get; init; }

    [Classify(DataClass.Internal, "记录申请人")]
    public Guid? RequestedById { get; init; }

    [Classify(DataClass.Personal, "记录申请人姓名", RetentionDays = Privacy.RetentionOptions.HealthStatusHistoryDays,
        RetentionRule = Privacy.RetentionOptions.HealthStatusHistoryRule)]
    public required string RequestedBy { get; init; }

    [Classify(DataClass.Internal, "记录审核人")]
    public Guid? ApprovedById { get; init; }

    [Classify(DataClass.Personal, "记录审核人姓名", RetentionDays = Privacy.RetentionOptions.HealthStatusHistoryDays,
        RetentionRule = Privacy.RetentionOptions.HealthStatusHistoryRule)]
    public string? ApprovedBy { get; init; }

    /// <summary>When the status took effect (the upstream's own time for upstream changes).</summary>
    public DateTimeOffset At { get; init; }

    [Classify(DataClass.Internal, "记录入库时间")]
    public DateTimeOffset RecordedAt { get; init; }
}

public enum OverrideState
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
}

/// <summary>
/// A manual override waiting for a second officer (人工调整申请). Approval by anyone but the
/// requester applies it as a <see cref="HealthChangeSource.Manual"/> change.
/// </summary>
[Classify(DataClass.Sensitive, "健康码人工调整双人审核", Recipients = "疫情防控专员", Activity = "疫情防控人口登记")]
public sealed class HealthOverrideRequest
{
    [Classify(DataClass.Internal, "申请编号")]
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public long PersonKey { get; init; }

    public HealthStatus To { get; init; }

    [Classify(DataClass.Sensitive, "说明人工调整原因", Recipients = "疫情防控专员")]
    public required string Reason { get; init; }

    [Classify(DataClass.Internal, "记录申请人")]
    public Guid? RequestedById { get; init; }

    [Classify(DataClass.Personal, "记录申请人姓名")]
    public required string RequestedBy { get; init; }

    [Classify(DataClass.Internal, "记录申请时间")]
    public DateTimeOffset RequestedAt { get; init; }

    [Classify(DataClass.Internal, "审核状态")]
    public OverrideState State { get; private set; } = OverrideState.Pending;

    [Classify(DataClass.Internal, "审核产生的变更记录")]
    public long? ChangeId { get; private set; }

    [Classify(DataClass.Internal, "记录审核时间")]
    public DateTimeOffset? DecidedAt { get; private set; }

    [Classify(DataClass.Internal, "记录驳回人")]
    public Guid? RejectedById { get; private set; }

    [Classify(DataClass.Personal, "记录驳回人姓名")]
    public string? RejectedBy { get; private set; }

    [Classify(DataClass.Sensitive, "说明驳回原因", Recipients = "疫情防控专员")]
    public string? RejectionReason { get; private set; }

    /// <summary>Closes the request without a change; by the requester this is a withdrawal.</summary>
    public void MarkRejected(Guid? byId, string by, string reason, DateTimeOffset at)
    {
        State = OverrideState.Rejected;
        RejectedById = byId;
        RejectedBy = by;
        RejectionReason = reason;
        DecidedAt = at;
    }

    public void MarkApproved(long changeId, DateTimeOffset at)
    {
        State = OverrideState.Approved;
        ChangeId = changeId;
        DecidedAt = at;
    }
}

internal sealed class HealthStatusChangeConfiguration : IEntityTypeConfiguration<HealthStatusChange>
{
    public void Configure(EntityTypeBuilder<HealthStatusChange> e)
    {
        e.ToTable(HealthStatusChange.Table);
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedOnAdd();
        e.Property(c => c.From).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.To).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Source).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.SourceSystem).HasMaxLength(HealthStatusChange.SourceSystemMaxLength);
        e.Property(c => c.UpstreamRef).HasMaxLength(HealthStatusChange.ReferenceMaxLength);
        e.Property(c => c.RuleId).HasMaxLength(32);
        e.Property(c => c.Evidence).HasMaxLength(HealthStatusChange.TextMaxLength);
        e.Property(c => c.EvidenceRef).HasMaxLength(HealthStatusChange.ReferenceMaxLength);
        e.Property(c => c.HitRef).HasMaxLength(HealthStatusChange.ReferenceMaxLength);
        e.Property(c => c.Reason).HasMaxLength(HealthStatusChange.TextMaxLength);
        e.Property(c => c.RequestedBy).HasMaxLength(100);
        e.Property(c => c.ApprovedBy).HasMaxLength(100);
        e.HasOne<Person>().WithMany().HasForeignKey(c => c.PersonKey);
        e.HasIndex(c => new { c.PersonKey, c.Id });

        // Both providers treat NULLs as distinct, so rows without a reference never collide.
        e.HasIndex(c => new { c.SourceSystem, c.UpstreamRef }).IsUnique();
        e.HasIndex(c => new { c.PersonKey, c.HitRef }).IsUnique();
    }
}

internal sealed class HealthOverrideRequestConfiguration : IEntityTypeConfiguration<HealthOverrideRequest>
{
    public void Configure(EntityTypeBuilder<HealthOverrideRequest> e)
    {
        e.ToTable("health_override_requests");
        e.HasKey(r => r.Id);
        e.Property(r => r.To).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Reason).HasMaxLength(HealthStatusChange.TextMaxLength);
        e.Property(r => r.RequestedBy).HasMaxLength(100);
        e.Property(r => r.RejectedBy).HasMaxLength(100);
        e.Property(r => r.RejectionReason).HasMaxLength(HealthStatusChange.TextMaxLength);
        e.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonKey);
        e.HasIndex(r => new { r.PersonKey, r.State });
    }
}
