using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>
/// The follow-up case (密接/次密接人员管控) an investigation opened for one grid. One per
/// (investigation, grid): asking again for the same grid finds this row instead of a second case,
/// and a re-trace that finds more contacts in the grid adds them to this row's case.
/// </summary>
[Classify(DataClass.Internal, "流调随访案件", Recipients = "网格员、社区工作者", Activity = "疫情防控流调")]
public sealed class FollowUp
{
    public const string Table = "investigation_follow_ups";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InvestigationId { get; init; }

    /// <summary>The latest trace snapshot whose contacts in the grid this case follows up.</summary>
    public Guid TraceId { get; private set; }

    public required string GridCode { get; init; }

    /// <summary>The grid's current follow-up case. When that case was finished, a re-trace with new contacts opens a new one here.</summary>
    public Guid CaseId { get; private set; }

    public string CaseNo { get; private set; } = "";

    public int CloseContacts { get; private set; }

    public int SecondaryContacts { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }

    public static FollowUp Open(Guid investigationId, Guid traceId, string gridCode, Guid caseId, string caseNo, int close, int secondary, DateTimeOffset at) => new()
    {
        InvestigationId = investigationId,
        TraceId = traceId,
        GridCode = gridCode,
        CaseId = caseId,
        CaseNo = caseNo,
        CloseContacts = close,
        SecondaryContacts = secondary,
        CreatedAt = at,
    };

    /// <summary>Counts contacts of <paramref name="traceId"/> added to the case, which may be a new one (<paramref name="caseId"/>).</summary>
    public void AddContacts(Guid traceId, Guid caseId, string caseNo, int close, int secondary)
    {
        TraceId = traceId;
        CaseId = caseId;
        CaseNo = caseNo;
        CloseContacts += close;
        SecondaryContacts += secondary;
    }
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
