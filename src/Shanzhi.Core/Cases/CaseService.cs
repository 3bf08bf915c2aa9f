using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Privacy;
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
/// checks role and region scope before the entity checks the state machine. A case outside the
/// user's region scope is reported as not found, so its existence is not revealed. Every stored
/// report and action is appended to the audit log in the transaction that stores it; the case's
/// events stay the primary record.
/// </summary>
public sealed partial class CaseService(
    ShanzhiDbContext db,
    TimeProvider clock,
    GridLocator locator,
    WorkingCalendarCache calendars,
    CaseRouter router,
    IAuditLog audit,
    IOptions<CaseOptions> options,
    ILogger<CaseService> logger,
    IEnumerable<ICaseObserver>? observers = null)
{
    public async Task<Result<Case>> GetAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var @case = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        return @case is not null && user.CanSee(@case.RegionPath) ? @case : CaseErrors.NotFound;
    }

    /// <summary>The case's history, oldest first.</summary>
    public async Task<Result<IReadOnlyList<CaseEvent>>> GetEventsAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if ((await GetAsync(id, user, cancellationToken)).Error is { } error)
        {
            return error;
        }

        return await db.CaseEvents.AsNoTracking()
            .Where(e => e.CaseId == id)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Actions this user may take on the case now: role, unit, scope and state all allow them.</summary>
    public IReadOnlyList<CaseAction> AllowedActions(Case @case, StaffPrincipal user)
    {
        if (!user.CanSee(@case.RegionPath))
        {
            return [];
        }

        var actor = user.AsActor();
        return [.. Enum.GetValues<CaseAction>().Where(a => CasePermissions.Check(a, @case, user) is null && @case.CanApply(a, actor) is null)];
    }

    public async Task<Result<RoutingProposal>> ProposeUnitAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await GetAsync(id, user, cancellationToken);
        return found.Value is { } @case
            ? await router.ProposeAsync(@case.CategoryCode, @case.RegionPath, cancellationToken)
            : found.Error!;
    }

    /// <summary>Creates the audit record of a transition: the subject is the case id, the detail the action and states.</summary>
    private CaseAudit TransitionAudit(Case @case, string detail, Actor actor) =>
        new(audit, new AuditEntry(AuditAction.CaseTransition, actor.Id, actor.Name, "case", @case.Id.ToString("D", CultureInfo.InvariantCulture),
            Detail: $"{@case.CaseNo} {detail}"));
}
