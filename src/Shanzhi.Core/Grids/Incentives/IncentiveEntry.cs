using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

public enum IncentiveReason
{
    /// <summary>A report of the user was filed (立案) by the command centre.</summary>
    ReportFiled = 1,

    /// <summary>A report of the user was closed (结案) after an independent verification.</summary>
    ReportClosed = 2,

    /// <summary>Subsidy for a completed special task (专项任务补贴).</summary>
    TaskSubsidy = 3,

    /// <summary>Points spent on a reward; a debit.</summary>
    Redemption = 4,

    /// <summary>Filing points taken back because the report was merged as a duplicate; a debit.</summary>
    Reversal = 5,
}

/// <summary>
/// One line of a user's points ledger: a credit or a debit (negative points). (reason, source) is
/// unique, so replaying a case event or a task never credits twice. The balance is the sum.
/// </summary>
[Classify(DataClass.Internal, "网格信息员积分激励", Activity = "网格积分激励")]
public sealed class IncentiveEntry
{
    public const int NoteMaxLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid UserId { get; init; }

    [Classify(DataClass.Internal, "积分类别（立案、结案、补贴、兑换，不涉及个人）")]
    public IncentiveReason Reason { get; init; }

    /// <summary>What earned or spent the points: a case id, a task id or a redemption id.</summary>
    public required string SourceKey { get; init; }

    public int Points { get; init; }

    public Guid? CaseId { get; init; }

    [Classify(DataClass.Internal, "积分说明（案件编号、兑换物品，不涉及个人）")]
    public string Note { get; init; } = "";

    public DateTimeOffset At { get; init; }

    /// <summary>Day of <see cref="At"/> in China Standard Time, for the daily cap.</summary>
    public DateOnly Day { get; init; }
}

internal sealed class IncentiveEntryConfiguration : IEntityTypeConfiguration<IncentiveEntry>
{
    public void Configure(EntityTypeBuilder<IncentiveEntry> e)
    {
        e.ToTable("grid_incentive_entries");
        e.HasKey(x => x.Id);
        e.Property(x => x.Reason).HasConversion<string>().HasMaxLength(16);
        e.Property(x => x.SourceKey).HasMaxLength(64);
        e.Property(x => x.Note).HasMaxLength(IncentiveEntry.NoteMaxLength);
        e.HasIndex(x => new { x.Reason, x.SourceKey }).IsUnique();
        e.HasIndex(x => new { x.UserId, x.Day });
    }
}
