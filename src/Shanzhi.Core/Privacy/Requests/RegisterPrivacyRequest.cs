using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Requests;

/// <summary>A request, complaint or report received by phone or letter, as staff register it.</summary>
/// <param name="Kind">Wire name of <see cref="PrivacyRequestKind"/>: access, correction, deletion, complaint or report.</param>
/// <param name="DistrictCode">County-level region (GB/T 2260) the person names; the case sits at its centre.</param>
/// <param name="Description">What the request is about, without the requester's identity.</param>
/// <param name="PiHandlerId">For a complaint or report: the enterprise in the handler directory it is about.</param>
public sealed record PrivacyRequestInput(string? Kind, string? DistrictCode, string? Description, Guid? PiHandlerId = null);

/// <summary>
/// Turns a personal-information request into a case of the matching module category. These
/// requests concern no place, so the case is located at the centre of the district the person
/// gives, which is enough for routing, region scope and statistics. The requester's identity
/// stays out of the case, because contact details belong in the call or letter record.
/// </summary>
public sealed class RegisterPrivacyRequest(ShanzhiDbContext db, CaseService cases, TimeProvider clock)
{
    public static IReadOnlyDictionary<string, PrivacyRequestKind> KindNames { get; } = new Dictionary<string, PrivacyRequestKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["access"] = PrivacyRequestKind.Access,
        ["correction"] = PrivacyRequestKind.Correction,
        ["deletion"] = PrivacyRequestKind.Deletion,
        ["complaint"] = PrivacyRequestKind.Complaint,
        ["report"] = PrivacyRequestKind.Report,
    };

    public async Task<Result<Case>> RegisterAsync(PrivacyRequestInput input, StaffPrincipal staff, CancellationToken cancellationToken)
    {
        if (input.Kind is null || !KindNames.TryGetValue(input.Kind.Trim(), out var kind))
        {
            return PrivacyRequestErrors.UnknownKind(input.Kind);
        }

        if (string.IsNullOrWhiteSpace(input.Description))
        {
            return PrivacyRequestErrors.DescriptionRequired;
        }

        var districtCode = input.DistrictCode?.Trim() ?? "";
        var district = await db.Regions.AsNoTracking()
            .Where(r => r.Code == districtCode && r.Level == RegionLevel.District)
            .Select(r => new { r.CenterLatitude, r.CenterLongitude })
            .FirstOrDefaultAsync(cancellationToken);
        if (district is not { CenterLatitude: { } latitude, CenterLongitude: { } longitude })
        {
            return PrivacyRequestErrors.UnknownDistrict(districtCode);
        }

        if (input.PiHandlerId is { } handlerId)
        {
            if (kind is not (PrivacyRequestKind.Complaint or PrivacyRequestKind.Report))
            {
                return PrivacyRequestErrors.HandlerOnlyForComplaints;
            }

            if (!await db.PiHandlers.AnyAsync(h => h.Id == handlerId, cancellationToken))
            {
                return PrivacyRequestErrors.UnknownHandler;
            }
        }

        var category = PrivacyCaseCatalog.For(kind);
        var group = PrivacyCaseCatalog.Groups.Single(g => g.Code == category.Code[..3]).Name;
        var request = new ReportCaseRequest($"{group}：{category.Name}", input.Description, latitude, longitude, category.Code);
        var result = await cases.ReportAsync(request, staff, cancellationToken);
        if (result.Value is { } @case && input.PiHandlerId is { } linkedHandler)
        {
            // NOTE: the link is saved after the case commit; a failure here leaves the case without its link.
            db.PiHandlerComplaints.Add(new Handlers.PiHandlerComplaint { CaseId = @case.Id, HandlerId = linkedHandler, LinkedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }

        return result;
    }
}

public static class PrivacyRequestErrors
{
    public static readonly Error DescriptionRequired = Error.Invalid("privacy.description_required", "description",
        "请填写请求事项，例如“请求查阅 2026 年 3 月上报案件中记录的本人信息”。请勿填写请求人的姓名、证件号码、电话或住址。");

    public static readonly Error HandlerOnlyForComplaints = Error.Invalid("privacy.handler_not_allowed", "piHandlerId",
        "只有个人信息投诉（complaint）和违法举报（report）可以关联被投诉的个人信息处理者。");

    public static readonly Error UnknownHandler = Error.Invalid("privacy.unknown_handler", "piHandlerId",
        "所选个人信息处理者不存在，请先在个人信息处理者名录中登记。");

    public static Error UnknownKind(string? kind) => Error.Invalid("privacy.unknown_kind", "kind",
        $"请求类型“{kind}”无效。可选：access（查阅复制）、correction（更正补充）、deletion（删除）、complaint（个人信息投诉）、report（个人信息违法举报）。");

    public static Error UnknownDistrict(string districtCode) => Error.Invalid("privacy.unknown_district", "districtCode",
        $"区县代码“{districtCode}”不存在或没有中心点。请填写请求人所在区县的 6 位行政区划代码，例如 330203（海曙区）。");
}
