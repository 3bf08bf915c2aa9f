using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;

namespace Shanzhi.Privacy.Handlers;

public sealed record RecordInspectionRequest(DateOnly Date, string Inspector, InspectionResult Result);

public sealed record RecordFindingRequest(string Description, FindingSeverity Severity);

public sealed record PiInspectionView(Guid Id, Guid HandlerId, DateOnly Date, string Inspector, InspectionResult Result, string ResultName,
    IReadOnlyList<PiFindingView> Findings);

public sealed record PiFindingView(Guid Id, Guid InspectionId, string Description, FindingSeverity Severity, string SeverityName,
    Guid CaseId, string CaseNo);

public sealed partial class PiHandlerService
{
    /// <summary>Category of rectification cases opened from inspection findings; seeded by <see cref="PiCatalogSeeder"/>.</summary>
    public const string RectificationCategory = "P0301";

    public async Task<Result<PiInspectionView>> RecordInspectionAsync(Guid handlerId, RecordInspectionRequest request, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        var inspector = request.Inspector?.Trim() ?? "";
        if (inspector.Length == 0)
        {
            return PiHandlerErrors.InspectorRequired;
        }

        if (inspector.Length > PiHandler.OfficerNameMaxLength)
        {
            return PiHandlerErrors.TextTooLong with { Field = "inspector" };
        }

        if (!await db.PiHandlers.AnyAsync(h => h.Id == handlerId, cancellationToken))
        {
            return PiHandlerErrors.NotFound;
        }

        var inspection = new PiInspection
        {
            HandlerId = handlerId,
            Date = request.Date,
            Inspector = inspector,
            Result = request.Result,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PiInspections.Add(inspection);
        await db.SaveChangesAsync(cancellationToken);
        logger.InspectionRecorded(inspection.Id, handlerId);
        return ToView(inspection, []);
    }

    public async Task<Result<IReadOnlyList<PiInspectionView>>> ListInspectionsAsync(Guid handlerId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        if (!await db.PiHandlers.AnyAsync(h => h.Id == handlerId, cancellationToken))
        {
            return PiHandlerErrors.NotFound;
        }

        var inspections = await db.PiInspections.AsNoTracking().Where(i => i.HandlerId == handlerId).ToListAsync(cancellationToken);
        var findings = await db.PiFindings.AsNoTracking().Where(f => f.HandlerId == handlerId).ToListAsync(cancellationToken);
        return inspections
            .OrderByDescending(i => i.Date).ThenByDescending(i => i.Id)
            .Select(i => ToView(i, [.. findings.Where(f => f.InspectionId == i.Id).OrderBy(f => f.Id)]))
            .ToList();
    }

    /// <summary>
    /// Records a finding and reports a rectification case for it. The case engine needs a location
    /// and the directory keeps no address, so the case is placed at the centre of the handler's
    /// district. The case is reported first, so a rejected report leaves no finding without its case.
    /// </summary>
    public async Task<Result<PiFindingView>> RecordFindingAsync(Guid handlerId, Guid inspectionId, RecordFindingRequest request, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        var description = request.Description?.Trim() ?? "";
        if (description.Length == 0)
        {
            return PiHandlerErrors.DescriptionRequired;
        }

        if (description.Length > CaseLimits.DescriptionMaxLength || description.Length > PiHandler.TextMaxLength)
        {
            return PiHandlerErrors.TextTooLong;
        }

        var handler = await db.PiHandlers.AsNoTracking().FirstOrDefaultAsync(h => h.Id == handlerId, cancellationToken);
        if (handler is null)
        {
            return PiHandlerErrors.NotFound;
        }

        if (!await db.PiInspections.AnyAsync(i => i.Id == inspectionId && i.HandlerId == handlerId, cancellationToken))
        {
            return PiHandlerErrors.InspectionNotFound;
        }

        var centre = await db.Regions.AsNoTracking().Where(r => r.Code == handler.RegionCode)
            .Select(r => new { r.CenterLatitude, r.CenterLongitude }).FirstOrDefaultAsync(cancellationToken);
        if (centre is not { CenterLatitude: { } latitude, CenterLongitude: { } longitude })
        {
            return PiHandlerErrors.RegionHasNoCentre;
        }

        var findingId = Guid.CreateVersion7();
        var title = $"个人信息保护整改（{PiHandlerNames.Chinese(request.Severity)}）：{handler.Name}";
        var reported = await cases.ReportAsync(new ReportCaseRequest(
            title.Length > CaseLimits.TitleMaxLength ? title[..CaseLimits.TitleMaxLength] : title,
            description,
            latitude,
            longitude,
            RectificationCategory,
            Channel: CaseChannel.System,
            ExternalRef: $"pi-finding:{findingId:N}"), user, cancellationToken);
        if (reported.Error is { } error)
        {
            return error;
        }

        var @case = reported.Value!;
        var finding = new PiFinding
        {
            Id = findingId,
            InspectionId = inspectionId,
            HandlerId = handlerId,
            Description = description,
            Severity = request.Severity,
            CaseId = @case.Id,
            CaseNo = @case.CaseNo,
            CreatedAt = clock.GetUtcNow(),
        };
        db.PiFindings.Add(finding);
        await db.SaveChangesAsync(cancellationToken);
        logger.FindingOpenedCase(finding.Id, handlerId, @case.CaseNo);
        return ToView(finding);
    }

    private static PiInspectionView ToView(PiInspection i, IReadOnlyList<PiFinding> findings) => new(
        i.Id, i.HandlerId, i.Date, i.Inspector, i.Result, PiHandlerNames.Chinese(i.Result), [.. findings.Select(ToView)]);

    private static PiFindingView ToView(PiFinding f) => new(
        f.Id, f.InspectionId, f.Description, f.Severity, PiHandlerNames.Chinese(f.Severity), f.CaseId, f.CaseNo);
}
