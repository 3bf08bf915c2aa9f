using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Gates;

/// <summary>How an unidentified-person follow-up ended.</summary>
public enum FollowUpOutcome
{
    /// <summary>The person was found and is now in the population registry.</summary>
    Registered = 1,

    /// <summary>The person was found and needs no registration (e.g. left the city, a false alarm), with a reason.</summary>
    Cleared = 2,
}

/// <summary>
/// Follow-up of one "no match" gate check, keyed by the passage's device and sequence so that a
/// resent check opens no second case. It links the case in the place's grid and records the
/// outcome once the person is registered or cleared. A resolved row expires
/// <see cref="Privacy.RetentionOptions.UnidentifiedFollowUpDays"/> after resolution.
/// </summary>
[Classify(DataClass.Internal, "不明身份人员核查", Activity = "疫情防控场所与通行", RetentionDays = Privacy.RetentionOptions.UnidentifiedFollowUpDays,
    RetentionRule = Privacy.RetentionOptions.UnidentifiedFollowUpRule)]
public sealed class UnidentifiedFollowUp
{
    public const string Table = "unidentified_followups";
    public const string ResolvedAtColumn = "resolved_at";

    public const int ReasonMaxLength = 500;

    [Classify(DataClass.Internal, "对应的通行记录")]
    public long DeviceId { get; init; }

    [Classify(DataClass.Internal, "对应的通行记录")]
    public long DeviceSequence { get; init; }

    [Classify(DataClass.Internal, "场所")]
    public long PlaceId { get; init; }

    /// <summary>The case; null only between claiming the follow-up and opening its case.</summary>
    [Classify(DataClass.Internal, "核查案件")]
    public Guid? CaseId { get; set; }

    [Classify(DataClass.Internal, "发现时间")]
    public DateTimeOffset OpenedAt { get; init; }

    [Classify(DataClass.Internal, "核查结果")]
    public FollowUpOutcome? Outcome { get; private set; }

    [Classify(DataClass.Personal, "核查后登记的人员编号", RetentionDays = Privacy.RetentionOptions.UnidentifiedFollowUpDays,
        RetentionRule = Privacy.RetentionOptions.UnidentifiedFollowUpRule)]
    public long? PersonKey { get; private set; }

    [Classify(DataClass.Internal, "排除理由")]
    public string? Reason { get; private set; }

    [Classify(DataClass.Internal, "办结时间")]
    public DateTimeOffset? ResolvedAt { get; private set; }

    public Error? Resolve(FollowUpOutcome outcome, long? personKey, string? reason, DateTimeOffset at)
    {
        if (Outcome is not null)
        {
            return GateErrors.FollowUpAlreadyResolved;
        }

        Outcome = outcome;
        PersonKey = personKey;
        Reason = reason;
        ResolvedAt = at;
        return null;
    }
}

internal sealed class UnidentifiedFollowUpConfiguration : IEntityTypeConfiguration<UnidentifiedFollowUp>
{
    public void Configure(EntityTypeBuilder<UnidentifiedFollowUp> e)
    {
        e.ToTable(UnidentifiedFollowUp.Table);
        e.HasKey(x => new { x.DeviceId, x.DeviceSequence });
        e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.Reason).HasMaxLength(UnidentifiedFollowUp.ReasonMaxLength);
        e.HasIndex(x => x.CaseId).IsUnique();
    }
}
