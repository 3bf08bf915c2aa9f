using Shanzhi.Cases;

namespace Shanzhi.Web.Api;

/// <summary>Body of <c>POST /api/v1/cases</c>.</summary>
public sealed record ReportCaseBody(
    string? Title,
    string? Description,
    double? Latitude,
    double? Longitude,
    string? CategoryCode,
    string? Address,
    string? AssetCode);

/// <summary>Body of <c>POST /api/v1/cases/{id}/actions/{action}</c>; each action reads the fields it needs.</summary>
public sealed record CaseActionBody(
    string? Reason = null,
    Guid? UnitId = null,
    Guid? VerifierId = null,
    Guid? ParentCaseId = null,
    string? CategoryCode = null,
    DateTimeOffset? Deadline = null,
    int? Satisfaction = null,
    int? ExpectedEventCount = null);

public sealed record CaseDto(
    Guid Id,
    string CaseNo,
    string? ExternalRef,
    CaseChannel Channel,
    string Title,
    string Description,
    double Latitude,
    double Longitude,
    string? Address,
    string RegionCode,
    string? CategoryCode,
    CaseState State,
    string StateName,
    Guid? UnitId,
    Guid? HandlerId,
    Guid? VerifierId,
    Guid? ParentCaseId,
    DateTimeOffset ReportedAt,
    DateTimeOffset? FiledAt,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset? Deadline,
    DateTimeOffset? HandlingDeadline,
    DateTimeOffset? RequestedDeadline,
    bool Overdue,
    bool VerificationPassed,
    bool WasExtended,
    bool WasReworked,
    DateTimeOffset? EscalatedAt,
    int? Satisfaction,
    int EventCount,
    IReadOnlyList<string>? AllowedActions)
{
    public static CaseDto From(Case c, DateTimeOffset now, IReadOnlyList<CaseAction>? allowed = null) => new(
        c.Id, c.CaseNo, c.ExternalRef, c.Channel, c.Title, c.Description, c.Latitude, c.Longitude, c.Address,
        c.RegionCode, c.CategoryCode, c.State, CaseStates.ChineseName(c.State), c.UnitId, c.HandlerId, c.VerifierId,
        c.ParentCaseId, Local(c.ReportedAt), Local(c.FiledAt), Local(c.DispatchedAt), Local(c.ResolvedAt), Local(c.ClosedAt),
        Local(c.Deadline), Local(c.HandlingDeadline), Local(c.RequestedDeadline), c.IsOverdue(now), c.VerificationPassed,
        c.WasExtended, c.WasReworked, Local(c.EscalatedAt), c.Satisfaction, c.EventCount,
        allowed?.Select(CaseActionNames.ToRoute).ToList());

    private static DateTimeOffset Local(DateTimeOffset value) => ShanghaiTime.ToLocal(value);

    private static DateTimeOffset? Local(DateTimeOffset? value) => value is { } v ? ShanghaiTime.ToLocal(v) : null;
}

public sealed record CaseEventDto(
    int Sequence,
    CaseEventType Type,
    string ActionName,
    CaseState FromState,
    CaseState ToState,
    string ToStateName,
    DateTimeOffset At,
    Guid? ActorId,
    string? ActorName,
    Guid? UnitId,
    string? Reason,
    DateTimeOffset? Deadline,
    string? Value)
{
    public static CaseEventDto From(CaseEvent e) => new(
        e.Sequence, e.Type, CaseEventNames.Chinese(e.Type), e.FromState, e.ToState, CaseStates.ChineseName(e.ToState),
        ShanghaiTime.ToLocal(e.At), e.ActorId, e.ActorName, e.UnitId, e.Reason,
        e.Deadline is { } d ? ShanghaiTime.ToLocal(d) : null, e.Value);
}

public sealed record CaseMapPoint(Guid Id, string CaseNo, string Title, CaseState State, string StateName, double Latitude, double Longitude, bool Overdue);

/// <summary>Route segments of case actions: <c>request-verification</c> for <see cref="CaseAction.RequestVerification"/>.</summary>
public static class CaseActionNames
{
    private static readonly Dictionary<string, CaseAction> ByRoute =
        Enum.GetValues<CaseAction>().ToDictionary(ToRoute, a => a, StringComparer.OrdinalIgnoreCase);

    public static string ToRoute(CaseAction action) => ShanzhiJson.KebabCase(action.ToString());

    public static bool TryParse(string route, out CaseAction action) => ByRoute.TryGetValue(route, out action);

    public static IEnumerable<string> All => ByRoute.Keys;
}
