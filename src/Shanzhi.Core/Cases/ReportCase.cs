using System.Globalization;
using Shanzhi.Geography;
using Shanzhi.Identity;

namespace Shanzhi.Cases;

public sealed partial class CaseService
{
    /// <summary>
    /// Validates, locates and numbers a new report and stores it with its Reported event. A null
    /// <paramref name="reporter"/> is a citizen reporting through the public page or Open311.
    /// </summary>
    public async Task<Result<Case>> ReportAsync(ReportCaseRequest request, StaffPrincipal? reporter, CancellationToken cancellationToken)
    {
        if (reporter is not null && !CasePermissions.Reporters.Any(reporter.IsInRole))
        {
            return CaseErrors.ReportForbidden;
        }

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        if (locator.Locate(request.Latitude, request.Longitude) is not { } location)
        {
            return CaseErrors.OutsideCity;
        }

        if (reporter is not null && !reporter.CanSee(location.RegionPath))
        {
            return CaseErrors.OutsideReporterScope;
        }

        var categoryCode = Blank(request.CategoryCode);
        Category? category = null;
        if (categoryCode is not null)
        {
            category = await ActiveCategoryAsync(categoryCode, cancellationToken);
            if (category is null)
            {
                return CaseErrors.UnknownCategory(categoryCode);
            }
        }

        var now = clock.GetUtcNow();
        var calendar = await calendars.GetAsync(db, cancellationToken);
        var filingDeadline = calendar.Add(now, TimeLimit.Hours(category?.FilingLimitHours ?? options.Value.UncategorisedFilingLimitHours));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var caseNo = await NextCaseNumberAsync(now, calendar.TimeZone, cancellationToken);
        var @case = Case.Report(
            new NewCase(
                caseNo,
                request.Channel,
                request.Title.Trim(),
                request.Description?.Trim() ?? "",
                request.Latitude,
                request.Longitude,
                location.RegionCode,
                location.RegionPath,
                categoryCode,
                Blank(request.Address),
                Blank(request.AssetCode),
                Blank(request.ExternalRef)),
            reporter?.AsActor() ?? Actor.Public,
            now,
            filingDeadline);
        db.Cases.Add(@case);
        db.CaseEvents.AddRange(@case.NewEvents);
        await db.SaveChangesAsync(cancellationToken);
        var record = TransitionAudit(@case, $"Report: -> {@case.State}", reporter?.AsActor() ?? Actor.Public);
        await record.Log.AppendInTransactionAsync(db, record.Entry, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        @case.AcceptNewEvents();

        logger.CaseReported(@case.CaseNo, @case.Channel, @case.RegionCode);
        return @case;
    }

    private static Error? Validate(ReportCaseRequest request)
    {
        var title = request.Title?.Trim() ?? "";
        if (title.Length == 0)
        {
            return CaseErrors.TitleRequired;
        }

        if (title.Length > CaseLimits.TitleMaxLength)
        {
            return CaseErrors.TitleTooLong(title.Length);
        }

        if (request.Description?.Trim() is { Length: > CaseLimits.DescriptionMaxLength } description)
        {
            return CaseErrors.DescriptionTooLong(description.Length);
        }

        if (Blank(request.Address) is { Length: > CaseLimits.AddressMaxLength } address)
        {
            return CaseErrors.AddressTooLong(address.Length);
        }

        if (Blank(request.ExternalRef) is { Length: > CaseLimits.ExternalRefMaxLength } externalRef)
        {
            return CaseErrors.ExternalRefTooLong(externalRef.Length);
        }

        if (!Wgs84.IsLatitude(request.Latitude))
        {
            return CaseErrors.InvalidLatitude;
        }

        if (!Wgs84.IsLongitude(request.Longitude))
        {
            return CaseErrors.InvalidLongitude;
        }

        // Component id: 6 region + 2 major class + 2 minor class + 6 sequence digits.
        if (Blank(request.AssetCode) is { } asset && (asset.Length != 16 || !asset.All(char.IsAsciiDigit)))
        {
            return CaseErrors.InvalidAssetCode(asset);
        }

        return null;
    }

    /// <summary>Case number: the report date in the working calendar's time zone (yyyyMMdd) and a 6-digit daily sequence.</summary>
    private async Task<string> NextCaseNumberAsync(DateTimeOffset now, TimeZoneInfo timeZone, CancellationToken cancellationToken)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        var sequence = await db.NextDailySequenceAsync(day, cancellationToken);
        return day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("D6", CultureInfo.InvariantCulture);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
