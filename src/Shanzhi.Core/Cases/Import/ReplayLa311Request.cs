using Shanzhi.Geography;

namespace Shanzhi.Cases.Import;

/// <summary>
/// Turns one MyLA311 request into a case whose events follow the request's life with its original
/// times, through the same <see cref="Case"/> actions the console uses:
/// <list type="bullet">
/// <item>every request: Reported, Filed and Dispatched to the owner agency at its creation time;</item>
/// <item>Closed: Started at creation, then Resolved, verification requested and passed, and Closed at the close time;</item>
/// <item>Cancelled: Rejected at the close time, before filing;</item>
/// <item>Referred Out: Returned with a reason at the close time;</item>
/// <item>Open: stays Dispatched.</item>
/// </list>
/// The source records neither a start of work nor a separate verification, hence those times.
/// </summary>
internal static class ReplayLa311Request
{
    private static readonly Actor ImportActor = new(null, ImportMessages.ImportActorName);

    /// <param name="unit">Owner agency's unit; null only for cancelled requests, which are never dispatched.</param>
    public static Result<Case> Replay(La311Request request, Category category, Unit? unit, GridLocation region)
    {
        var created = request.CreatedAt;
        var report = new NewCase(
            CaseNo: CaseNo(request.SrNumber),
            Channel: CaseChannel.Import,
            Title: Truncate(ImportMessages.Title(category.Name, request.RequestType), CaseLimits.TitleMaxLength),
            Description: Truncate(
                ImportMessages.Description(request.SrNumber, request.RequestType, request.Source, request.StatusText),
                CaseLimits.DescriptionMaxLength),
            // NOTE: a case has no "unknown location"; requests without coordinates get (0, 0) and the
            // region the locator falls back to, which is the external region.
            Latitude: request.Latitude ?? 0,
            Longitude: request.Longitude ?? 0,
            RegionCode: region.RegionCode,
            RegionPath: region.RegionPath,
            CategoryCode: category.Code,
            Address: request.Address is null ? null : Truncate(request.Address, CaseLimits.AddressMaxLength),
            ExternalRef: request.SrNumber);
        var @case = Case.Report(report, ImportActor, created, created.AddHours(category.FilingLimitHours));

        if (request.Status == La311Status.Cancelled)
        {
            return Checked(@case, @case.Reject(ImportMessages.CancelledReason, ImportActor, request.ClosedAt!.Value));
        }

        var error = @case.File(category.Code, ImportActor, created, created.AddHours(category.DispatchLimitHours))
            ?? @case.Dispatch(unit!.Id, ImportActor, created, created + CalendarLimit(category.HandlingLimit));
        if (error is not null || request.Status == La311Status.Open)
        {
            return Checked(@case, error);
        }

        // The unit handles, the import verifies: distinct actor names and no ids keep the
        // verifier-is-not-the-handler rule satisfied.
        var handler = new Actor(null, unit!.Name);
        var closed = request.ClosedAt!.Value;
        if (request.Status == La311Status.ReferredOut)
        {
            return Checked(@case, @case.Return(ImportMessages.ReferredOutReason, handler, closed));
        }

        error = @case.Start(handler, created)
            ?? @case.Resolve(ImportMessages.ClosedNote, handler, closed)
            ?? @case.RequestVerification(null, ImportActor, closed, closed.AddHours(category.VerificationLimitHours))
            ?? @case.PassVerification(ImportMessages.ClosedNote, ImportActor, closed)
            ?? @case.Close(ImportActor, closed);
        return Checked(@case, error);
    }

    public static string CaseNo(string srNumber) => "LA" + srNumber;

    /// <summary>
    /// NOTE: history is replayed against the limit in plain calendar time (1 working day = 24 h),
    /// because the source city's working calendar is not loaded. On-time figures of imported cases
    /// are therefore stricter than a working-time clock would make them.
    /// </summary>
    private static TimeSpan CalendarLimit(TimeLimit limit) => limit.Unit == TimeLimitUnit.WorkingHours
        ? TimeSpan.FromHours(limit.Value)
        : TimeSpan.FromDays(limit.Value);

    private static Result<Case> Checked(Case @case, Error? error) =>
        error is null ? @case : error;

    private static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];
}
