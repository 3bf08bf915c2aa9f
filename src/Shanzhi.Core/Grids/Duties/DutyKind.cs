using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

/// <summary>
/// A kind of duty grid workers may carry (网格事项准入清单). Whether it is in effect in a grid is
/// decided by <see cref="GridDuty"/> rows, which only an approved <see cref="DutyChange"/> creates or ends.
/// </summary>
[Classify(DataClass.Public, "网格事项准入清单", Activity = "网格事项准入")]
public sealed class DutyKind
{
    public const int NameMaxLength = 50;

    /// <summary>Stable code such as <c>D01</c>.</summary>
    public required string Code { get; init; }

    [Classify(DataClass.Public, "事项名称")]
    public required string Name { get; set; }

    public string Summary { get; set; } = "";

    /// <summary>Name of the unit (see <c>CityUnits</c>) that owns the duty and receives its open tasks when the duty is withdrawn.</summary>
    [Classify(DataClass.Public, "牵头部门名称（机构，不是个人）")]
    public required string ResponsibleUnitName { get; set; }

    /// <summary>Estimated minutes one task of this duty takes, for workload figures.</summary>
    public int MinutesPerTask { get; set; } = 30;

    /// <summary>Points credited for each completed task (专项任务补贴); 0 for ordinary duties.</summary>
    public int SubsidyPoints { get; set; }

    /// <summary>True for visits whose plan names a key person.</summary>
    public bool IsKeyPersonVisit { get; set; }
}

public enum DutyChangeKind
{
    Admit = 1,
    Withdraw = 2,
}

public enum DutyChangeStatus
{
    Pending = 1,
    Approved = 2,
    Rejected = 3,
}

/// <summary>
/// A request to admit a duty to the grids under a region, or to withdraw it. It takes effect only
/// when a different user with the leader or system-administrator role approves it; the request
/// and its decision stay as history.
/// </summary>
[Classify(DataClass.Internal, "网格事项准入与退出审批", Activity = "网格事项准入")]
public sealed class DutyChange
{
    public const int ReasonMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string DutyCode { get; init; }

    public DutyChangeKind Kind { get; init; }

    /// <summary>Region path the change covers: a grid, a community, a street, a district or the city.</summary>
    public required string RegionPath { get; init; }

    [Classify(DataClass.Internal, "准入或退出的理由（工作说明，不涉及个人）")]
    public required string Reason { get; init; }

    public Guid? RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public DutyChangeStatus Status { get; private set; } = DutyChangeStatus.Pending;

    public Guid? DecidedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    [Classify(DataClass.Internal, "审批意见（工作说明，不涉及个人）")]
    public string? DecisionNote { get; private set; }

    /// <summary>Open tasks turned into cases when a withdrawal took effect.</summary>
    public int HandedOverTasks { get; set; }

    public void Decide(bool approve, Guid? by, DateTimeOffset at, string? note)
    {
        Status = approve ? DutyChangeStatus.Approved : DutyChangeStatus.Rejected;
        DecidedBy = by;
        DecidedAt = at;
        DecisionNote = note;
    }
}

/// <summary>A duty in effect for the grids under <see cref="RegionPath"/> from admission until withdrawal.</summary>
[Classify(DataClass.Internal, "网格事项准入记录", Activity = "网格事项准入")]
public sealed class GridDuty
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string DutyCode { get; init; }

    public required string RegionPath { get; init; }

    public DateTimeOffset AdmittedAt { get; init; }

    /// <summary>The approved admission; null for the baseline list seeded at installation.</summary>
    public Guid? AdmissionId { get; init; }

    public DateTimeOffset? WithdrawnAt { get; private set; }

    public Guid? WithdrawalId { get; private set; }

    public void Withdraw(Guid withdrawalId, DateTimeOffset at)
    {
        WithdrawnAt = at;
        WithdrawalId = withdrawalId;
    }
}

internal sealed class DutyKindConfiguration : IEntityTypeConfiguration<DutyKind>
{
    public void Configure(EntityTypeBuilder<DutyKind> e)
    {
        e.ToTable("grid_duty_kinds");
        e.HasKey(d => d.Code);
        e.Property(d => d.Code).HasMaxLength(16);
        e.Property(d => d.Name).HasMaxLength(DutyKind.NameMaxLength);
        e.Property(d => d.Summary).HasMaxLength(500);
        e.Property(d => d.ResponsibleUnitName).HasMaxLength(100);
    }
}

internal sealed class DutyChangeConfiguration : IEntityTypeConfiguration<DutyChange>
{
    public void Configure(EntityTypeBuilder<DutyChange> e)
    {
        e.ToTable("grid_duty_changes");
        e.HasKey(c => c.Id);
        e.Property(c => c.DutyCode).HasMaxLength(16);
        e.Property(c => c.RegionPath).HasMaxLength(200);
        e.Property(c => c.Reason).HasMaxLength(DutyChange.ReasonMaxLength);
        e.Property(c => c.DecisionNote).HasMaxLength(DutyChange.ReasonMaxLength);
        e.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        e.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        e.HasOne<DutyKind>().WithMany().HasForeignKey(c => c.DutyCode);
        e.HasIndex(c => new { c.Status, c.RequestedAt });
    }
}

internal sealed class GridDutyConfiguration : IEntityTypeConfiguration<GridDuty>
{
    public void Configure(EntityTypeBuilder<GridDuty> e)
    {
        e.ToTable("grid_duties");
        e.HasKey(d => d.Id);
        e.Property(d => d.DutyCode).HasMaxLength(16);
        e.Property(d => d.RegionPath).HasMaxLength(200);
        e.HasOne<DutyKind>().WithMany().HasForeignKey(d => d.DutyCode);
        e.HasIndex(d => new { d.DutyCode, d.WithdrawnAt });
    }
}
