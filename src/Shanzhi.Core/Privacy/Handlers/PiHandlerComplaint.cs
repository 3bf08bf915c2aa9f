using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Privacy.Handlers;

/// <summary>
/// Links a personal-information complaint or report case to the enterprise it is about, so a
/// supervisor sees a handler's complaints beside its inspections.
/// </summary>
[Classify(DataClass.Internal, "个人信息投诉举报与被投诉处理者的关联", Activity = "个人信息处理者名录")]
public sealed class PiHandlerComplaint
{
    public Guid CaseId { get; init; }

    public Guid HandlerId { get; init; }

    public DateTimeOffset LinkedAt { get; init; }
}

/// <summary>A complaint case of a handler as the directory lists it.</summary>
public sealed record PiHandlerComplaintView(Guid CaseId, string CaseNo, string? CategoryCode, CaseState State, string StateName, DateTimeOffset ReportedAt);

internal sealed class PiHandlerComplaintConfiguration : IEntityTypeConfiguration<PiHandlerComplaint>
{
    public void Configure(EntityTypeBuilder<PiHandlerComplaint> builder)
    {
        builder.HasKey(c => c.CaseId);
        builder.HasIndex(c => c.HandlerId);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId);
        builder.HasOne<PiHandler>().WithMany().HasForeignKey(c => c.HandlerId);
    }
}

public sealed partial class PiHandlerService
{
    /// <summary>Complaint and report cases linked to the handler, newest first.</summary>
    public async Task<Result<IReadOnlyList<PiHandlerComplaintView>>> ListComplaintsAsync(Guid handlerId, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        if (!await db.PiHandlers.AnyAsync(h => h.Id == handlerId, cancellationToken))
        {
            return PiHandlerErrors.NotFound;
        }

        var rows = await (from link in db.PiHandlerComplaints
                          join @case in db.Cases on link.CaseId equals @case.Id
                          where link.HandlerId == handlerId
                          orderby @case.ReportedAt descending
                          select new { @case.Id, @case.CaseNo, @case.CategoryCode, @case.State, @case.ReportedAt })
            .AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => new PiHandlerComplaintView(r.Id, r.CaseNo, r.CategoryCode, r.State, CaseStates.ChineseName(r.State),
            ShanghaiTime.ToLocal(r.ReportedAt))).ToList();
    }
}
