using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Investigations;

public enum InvestigationState
{
    Open = 1,
    Closed = 2,
}

/// <summary>Which date the tracing window is counted from: symptom onset, or the positive sample when asymptomatic.</summary>
public enum AnchorKind
{
    Onset = 1,
    Sample = 2,
}

/// <summary>
/// An epidemiological investigation (流调) of one confirmed case. It is the purpose binding of
/// movement data: contact tracing and the index person's trajectory are reachable only through
/// an open investigation, only inside its region and date window, and every query is audited.
/// </summary>
[Classify(DataClass.Internal, "流调立案与目的限定", Recipients = "流调人员", Activity = "疫情防控流调")]
public sealed class Investigation
{
    public const string Table = "investigations";
    public const int PurposeMaxLength = 500;
    public const int NoteMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>LD (流调) + Beijing date + daily sequence, e.g. LD20260302-001.</summary>
    public required string Number { get; init; }

    [Classify(DataClass.Sensitive, "确诊病例（假名化人员编号）", Recipients = "流调人员")]
    public long IndexPersonKey { get; init; }

    [Classify(DataClass.Sensitive, "确诊时间，作为隔离时点结束次密接时间窗", Recipients = "流调人员")]
    public DateTimeOffset ConfirmedAt { get; init; }

    [Classify(DataClass.Sensitive, "发病或采样日期，决定追踪时间窗", Recipients = "流调人员")]
    public DateOnly AnchorDate { get; init; }

    public AnchorKind AnchorKind { get; init; }

    public required string RuleSetId { get; init; }

    public required string RuleSetVersion { get; init; }

    /// <summary>Code from <see cref="LegalBases"/>.</summary>
    public required string LegalBasis { get; init; }

    public string? LegalBasisNote { get; init; }

    public required string ScopeRegionCode { get; init; }

    public required string ScopePath { get; init; }

    /// <summary>First day of the date window (Beijing date, inclusive).</summary>
    public DateOnly ScopeFrom { get; init; }

    /// <summary>Last day of the date window (Beijing date, inclusive).</summary>
    public DateOnly ScopeTo { get; init; }

    public required string Purpose { get; init; }

    public Guid? OpenedById { get; init; }

    [Classify(DataClass.Personal, "记录流调立案人")]
    public required string OpenedByName { get; init; }

    public DateTimeOffset OpenedAt { get; init; }

    public InvestigationState State { get; private set; } = InvestigationState.Open;

    public DateTimeOffset? ClosedAt { get; private set; }

    [Classify(DataClass.Internal, "记录结案原因")]
    public string? CloseReason { get; private set; }

    public bool IsOpen => State == InvestigationState.Open;

    /// <summary>The window as UTC instants: from the start of <see cref="ScopeFrom"/> to the end of <see cref="ScopeTo"/>.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Window => (ShanghaiTime.StartOfDay(ScopeFrom), ShanghaiTime.StartOfDay(ScopeTo.AddDays(1)));

    public bool Covers(DateTimeOffset instant) => instant >= Window.From && instant < Window.To;

    public Error? Close(string reason, DateTimeOffset at)
    {
        if (!IsOpen)
        {
            return InvestigationErrors.AlreadyClosed;
        }

        State = InvestigationState.Closed;
        ClosedAt = at;
        CloseReason = reason;
        return null;
    }
}

internal sealed class InvestigationConfiguration : IEntityTypeConfiguration<Investigation>
{
    public void Configure(EntityTypeBuilder<Investigation> e)
    {
        e.ToTable(Investigation.Table);
        e.HasKey(i => i.Id);
        e.Ignore(i => i.IsOpen);
        e.Ignore(i => i.Window);
        e.Property(i => i.Number).HasMaxLength(32);
        e.Property(i => i.AnchorKind).HasConversion<string>().HasMaxLength(16);
        e.Property(i => i.State).HasConversion<string>().HasMaxLength(16);
        e.Property(i => i.RuleSetId).HasMaxLength(32);
        e.Property(i => i.RuleSetVersion).HasMaxLength(32);
        e.Property(i => i.LegalBasis).HasMaxLength(32);
        e.Property(i => i.LegalBasisNote).HasMaxLength(Investigation.NoteMaxLength);
        e.Property(i => i.ScopeRegionCode).HasMaxLength(32);
        e.Property(i => i.ScopePath).HasMaxLength(128);
        e.Property(i => i.Purpose).HasMaxLength(Investigation.PurposeMaxLength);
        e.Property(i => i.OpenedByName).HasMaxLength(64);
        e.Property(i => i.CloseReason).HasMaxLength(Investigation.NoteMaxLength);
        e.HasIndex(i => i.Number).IsUnique();
        e.HasIndex(i => i.ScopePath);
        e.HasIndex(i => i.IndexPersonKey);
    }
}
