using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Investigations;

public sealed record OpenInvestigationRequest(
    long IndexPersonKey,
    DateTimeOffset ConfirmedAt,
    DateOnly AnchorDate,
    AnchorKind AnchorKind,
    string RuleSetId,
    string RuleSetVersion,
    string LegalBasis,
    string? LegalBasisNote,
    string ScopeRegionCode,
    DateOnly ScopeFrom,
    DateOnly ScopeTo,
    string Purpose);

public sealed record InvestigationView(
    Guid Id,
    string Number,
    long IndexPersonKey,
    DateTimeOffset ConfirmedAt,
    DateOnly AnchorDate,
    AnchorKind AnchorKind,
    string AnchorKindName,
    string RuleSetId,
    string RuleSetVersion,
    string RuleSetName,
    string LegalBasis,
    string LegalBasisText,
    string? LegalBasisNote,
    string ScopeRegionCode,
    string ScopeRegionName,
    DateOnly ScopeFrom,
    DateOnly ScopeTo,
    string Purpose,
    string OpenedByName,
    DateTimeOffset OpenedAt,
    InvestigationState State,
    string StateName,
    DateTimeOffset? ClosedAt,
    string? CloseReason);

/// <summary>
/// Investigations (流调) and the purpose binding of movement data. Only epidemic officers
/// (<see cref="Roles.EpidemicOfficer"/>) use them, and only inside their region scope. Tracing and
/// trajectory queries (RunTrace.cs) go through an open investigation and are audited, refusals too;
/// follow-up cases (CreateFollowUps.cs) come from a stored trace snapshot.
/// </summary>
public sealed partial class InvestigationService(
    ShanzhiDbContext db,
    CaseService cases,
    IAuditLog audit,
    IEnumerable<IContactTracer> tracers,
    RuleSetCatalog ruleSets,
    TimeProvider clock,
    ILogger<InvestigationService> logger)
{
    public const string SubjectType = "Investigation";

    public static bool MayUse(StaffPrincipal user) => user.IsInRole(Roles.EpidemicOfficer);

    public async Task<Result<InvestigationView>> OpenAsync(OpenInvestigationRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return InvestigationErrors.Forbidden;
        }

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var region = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == request.ScopeRegionCode.Trim(), cancellationToken);
        if (region is null)
        {
            return InvestigationErrors.UnknownRegion;
        }

        if (!user.CanSee(region.Path))
        {
            return InvestigationErrors.RegionOutsideUserScope;
        }

        if (!await db.Persons.AnyAsync(p => p.Key == request.IndexPersonKey, cancellationToken))
        {
            return InvestigationErrors.UnknownPerson;
        }

        var now = clock.GetUtcNow();
        var investigation = new Investigation
        {
            Number = await NextNumberAsync(now, cancellationToken),
            IndexPersonKey = request.IndexPersonKey,
            ConfirmedAt = request.ConfirmedAt.ToUniversalTime(),
            AnchorDate = request.AnchorDate,
            AnchorKind = request.AnchorKind,
            RuleSetId = ruleSets.Find(request.RuleSetId)!.Id,
            RuleSetVersion = request.RuleSetVersion,
            LegalBasis = request.LegalBasis,
            LegalBasisNote = Blank(request.LegalBasisNote),
            ScopeRegionCode = region.Code,
            ScopePath = region.Path,
            ScopeFrom = request.ScopeFrom,
            ScopeTo = request.ScopeTo,
            Purpose = request.Purpose.Trim(),
            OpenedById = user.UserId,
            OpenedByName = user.DisplayName,
            OpenedAt = now,
        };
        db.Investigations.Add(investigation);
        await db.SaveChangesAsync(cancellationToken);
        logger.InvestigationOpened(investigation.Number, investigation.ScopeRegionCode);
        return ToView(investigation, region.Name);
    }

    public async Task<Result<InvestigationView>> CloseAsync(Guid id, string? reason, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return InvestigationErrors.ReasonRequired;
        }

        if (trimmed.Length > Investigation.NoteMaxLength)
        {
            return InvestigationErrors.ReasonTooLong;
        }

        if (IdentifiersInText.Contains(trimmed))
        {
            return InvestigationErrors.IdentifierInText("reason");
        }

        var found = await FindAsync(id, user, tracked: true, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        var investigation = found.Value!;
        if (investigation.Close(trimmed, clock.GetUtcNow()) is { } refused)
        {
            return refused;
        }

        await db.SaveChangesAsync(cancellationToken);
        logger.InvestigationClosed(investigation.Number);
        return ToView(investigation, await RegionNameAsync(investigation.ScopeRegionCode, cancellationToken));
    }

    public async Task<Result<InvestigationView>> GetAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, tracked: false, cancellationToken);
        return found.Error is { } error
            ? error
            : ToView(found.Value!, await RegionNameAsync(found.Value!.ScopeRegionCode, cancellationToken));
    }

    /// <summary>The investigations inside the user's scope, newest first.</summary>
    public async Task<Result<IReadOnlyList<InvestigationView>>> ListAsync(StaffPrincipal user, InvestigationState? state, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return InvestigationErrors.Forbidden;
        }

        var query = db.Investigations.AsNoTracking().Where(i => i.ScopePath.StartsWith(user.ScopePath));
        if (state is { } wanted)
        {
            query = query.Where(i => i.State == wanted);
        }

        var rows = await query.OrderByDescending(i => i.OpenedAt).Take(500).ToListAsync(cancellationToken);
        var codes = rows.Select(r => r.ScopeRegionCode).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        return rows.Select(r => ToView(r, names.GetValueOrDefault(r.ScopeRegionCode, r.ScopeRegionCode))).ToList();
    }

    /// <summary>
    /// An investigation the user may work on: the role, then existence, then the region scope. One
    /// outside the scope gets the error of a missing one, so another district cannot learn which ids
    /// exist. The refusal reason keeps the difference for the audit log.
    /// </summary>
    private async Task<Lookup<Investigation>> FindAsync(Guid id, StaffPrincipal user, bool tracked, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return Lookup<Investigation>.Refused(InvestigationErrors.Forbidden, Lookup.RoleNotAllowed);
        }

        var query = tracked ? db.Investigations : db.Investigations.AsNoTracking();
        var investigation = await query.FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (investigation is null)
        {
            return Lookup<Investigation>.Missing(InvestigationErrors.NotFound);
        }

        return user.CanSee(investigation.ScopePath) ? investigation : Lookup<Investigation>.Refused(InvestigationErrors.NotFound, Lookup.OutOfScope);
    }

    private Error? Validate(OpenInvestigationRequest request)
    {
        if (ruleSets.Find(request.RuleSetId) is not { } offered)
        {
            return InvestigationErrors.UnknownRuleSet;
        }

        if (offered.Version != request.RuleSetVersion)
        {
            return InvestigationErrors.UnknownRuleSetVersion;
        }

        // The confirmation ends the trace window as the isolation time, so a future one would trace days that have not happened.
        if (request.ConfirmedAt > clock.GetUtcNow().AddMinutes(5))
        {
            return InvestigationErrors.ConfirmedInFuture;
        }

        if (LegalBases.Find(request.LegalBasis) is null)
        {
            return InvestigationErrors.UnknownLegalBasis;
        }

        var note = Blank(request.LegalBasisNote);
        if (request.LegalBasis == LegalBases.Other && note is null)
        {
            return InvestigationErrors.NoteRequired;
        }

        if (note is { Length: > Investigation.NoteMaxLength })
        {
            return InvestigationErrors.NoteTooLong;
        }

        if (IdentifiersInText.Contains(note))
        {
            return InvestigationErrors.IdentifierInText("legalBasisNote");
        }

        var purpose = request.Purpose?.Trim() ?? "";
        if (purpose.Length == 0)
        {
            return InvestigationErrors.PurposeRequired;
        }

        if (purpose.Length > Investigation.PurposeMaxLength)
        {
            return InvestigationErrors.PurposeTooLong;
        }

        if (IdentifiersInText.Contains(purpose))
        {
            return InvestigationErrors.IdentifierInText("purpose");
        }

        // Checked here as well as by the HTTP body reader, so every caller gets the message that names the range.
        if (PlatformDates.Check(("scopeFrom", request.ScopeFrom), ("scopeTo", request.ScopeTo), ("anchorDate", request.AnchorDate)) is { } outOfRange)
        {
            return outOfRange;
        }

        var days = request.ScopeTo.DayNumber - request.ScopeFrom.DayNumber + 1;
        if (days is < 1 or > InvestigationErrors.MaxWindowDays)
        {
            return InvestigationErrors.InvalidWindow;
        }

        return request.AnchorDate < request.ScopeFrom || request.AnchorDate > request.ScopeTo
            ? InvestigationErrors.AnchorOutsideWindow
            : null;
    }

    /// <summary>LD + Beijing date + 3-digit daily sequence. The unique index on the number turns a rare race into a retryable conflict.</summary>
    private async Task<string> NextNumberAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prefix = "LD" + DateOnly.FromDateTime(ShanghaiTime.ToLocal(now).DateTime).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-";
        var count = await db.Investigations.CountAsync(i => i.Number.StartsWith(prefix), cancellationToken);
        return prefix + (count + 1).ToString("D3", CultureInfo.InvariantCulture);
    }

    private async Task<string> RegionNameAsync(string code, CancellationToken cancellationToken) =>
        await db.Regions.AsNoTracking().Where(r => r.Code == code).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken) ?? code;

    private InvestigationView ToView(Investigation i, string regionName) => new(
        i.Id,
        i.Number,
        i.IndexPersonKey,
        i.ConfirmedAt,
        i.AnchorDate,
        i.AnchorKind,
        InvestigationNames.Chinese(i.AnchorKind),
        i.RuleSetId,
        i.RuleSetVersion,
        ruleSets.FindRecorded(i.RuleSetId, i.RuleSetVersion)?.Name ?? $"{i.RuleSetId} {i.RuleSetVersion}",
        i.LegalBasis,
        LegalBases.Find(i.LegalBasis)?.Text ?? i.LegalBasis,
        i.LegalBasisNote,
        i.ScopeRegionCode,
        regionName,
        i.ScopeFrom,
        i.ScopeTo,
        i.Purpose,
        i.OpenedByName,
        i.OpenedAt,
        i.State,
        InvestigationNames.Chinese(i.State),
        i.ClosedAt,
        i.CloseReason);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class InvestigationNames
{
    public static string Chinese(AnchorKind kind) => kind == AnchorKind.Onset ? "发病日期" : "采样日期";

    public static string Chinese(InvestigationState state) => state == InvestigationState.Open ? "调查中" : "已结案";

    /// <summary>A person key as shown to staff: P and the number, so it is not mistaken for a count.</summary>
    public static string PersonLabel(long key) => "P" + key.ToString(CultureInfo.InvariantCulture);
}
