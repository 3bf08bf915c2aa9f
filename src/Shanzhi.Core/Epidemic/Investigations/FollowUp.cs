using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>
/// The follow-up case (密接/次密接人员管控) an investigation opened for one grid. One per
/// (investigation, grid): asking again for the same grid finds this row instead of a second case.
/// </summary>
[Classify(DataClass.Internal, "流调随访案件", Recipients = "网格员、社区工作者", Activity = "疫情防控流调")]
public sealed class FollowUp
{
    public const string Table = "investigation_follow_ups";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InvestigationId { get; init; }

    /// <summary>The trace snapshot whose contacts this case follows up.</summary>
    public Guid TraceId { get; init; }

    public required string GridCode { get; init; }

    public Guid CaseId { get; init; }

    public required string CaseNo { get; init; }

    public int CloseContacts { get; init; }

    public int SecondaryContacts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class FollowUpConfiguration : IEntityTypeConfiguration<FollowUp>
{
    public void Configure(EntityTypeBuilder<FollowUp> e)
    {
        e.ToTable(FollowUp.Table);
        e.HasKey(f => f.Id);
        e.Property(f => f.GridCode).HasMaxLength(32);
        e.Property(f => f.CaseNo).HasMaxLength(32);
        e.HasOne<Investigation>().WithMany().HasForeignKey(f => f.InvestigationId);
        e.HasIndex(f => new { f.InvestigationId, f.GridCode }).IsUnique();
    }
}
