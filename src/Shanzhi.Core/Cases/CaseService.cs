using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>A new report from any channel, before validation.</summary>
public sealed record ReportCaseRequest(
    string Title,
    string? Description,
    double Latitude,
    double Longitude,
    string? CategoryCode = null,
    string? Address = null,
    string? AssetCode = null,
    CaseChannel Channel = CaseChannel.Console,
    string? ExternalRef = null);

/// <summary>An action on an existing case with the inputs the action needs.</summary>
public sealed record CaseActionRequest(
    CaseAction Action,
    string? Reason = null,
    Guid? UnitId = null,
    Guid? VerifierId = null,
    Guid? ParentCaseId = null,
    string? CategoryCode = null,
    DateTimeOffset? Deadline = null,
    int? Satisfaction = null,
    int? ExpectedEventCount = null);

/// <summary>Filters of the case list; all optional.</summary>
public sealed record CaseQuery(
    CaseState? State = null,
    string? CategoryCode = null,
    string? RegionCode = null,
    bool? Overdue = null,
    string? Text = null,
    Guid? UnitId = null,
    int Page = 1,
    int PageSize = 20);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>The unit routing proposes for a case and why.</summary>
public sealed record RoutingProposal(Guid UnitId, string UnitName, string Rule);

/// <summary>
/// Application service of the case engine: every channel reports and acts through it, and it
/// checks role and region scope before the entity checks the state machine.
/// </summary>
// TODO: contract stub; the implementation replaces these bodies.
public sealed class CaseService(ShanzhiDbContext db, TimeProvider clock, GridLocator locator)
{
    public Task<Result<Case>> ReportAsync(ReportCaseRequest request, StaffPrincipal? reporter, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{db}{clock}{locator}");

    public Task<Result<Case>> GetAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<Result<IReadOnlyList<CaseEvent>>> GetEventsAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<PagedResult<Case>> QueryAsync(CaseQuery query, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<Result<Case>> ActAsync(Guid id, CaseActionRequest request, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Actions this user may take on the case now: role, unit, scope and state all allow them.</summary>
    public IReadOnlyList<CaseAction> AllowedActions(Case @case, StaffPrincipal user) =>
        throw new NotImplementedException();

    public Task<Result<RoutingProposal>> ProposeUnitAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Open cases of the same category near the case, reported within the duplicate window.</summary>
    public Task<Result<IReadOnlyList<Case>>> ProposeDuplicatesAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}

/// <summary>Photos attached to cases: checked, stored under the data folder, served within scope.</summary>
// TODO: contract stub; the implementation replaces these bodies.
public sealed class AttachmentService(ShanzhiDbContext db, StorageOptions storage, TimeProvider clock)
{
    public Task<Result<Attachment>> AddAsync(Guid caseId, AttachmentStage stage, string contentType, Stream content,
        StaffPrincipal user, CancellationToken cancellationToken) => throw new NotImplementedException($"{db}{storage}{clock}");

    public Task<Result<(Attachment Attachment, Stream Content)>> OpenAsync(Guid attachmentId, StaffPrincipal user,
        CancellationToken cancellationToken) => throw new NotImplementedException();

    public Task<Result<IReadOnlyList<Attachment>>> ListAsync(Guid caseId, StaffPrincipal user, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
