using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>A contact edge for display: the evidence with the place's name instead of its coordinates.</summary>
public sealed record ContactEdgeView(
    long From,
    long To,
    int Degree,
    long PlaceId,
    string PlaceName,
    string PlaceKindName,
    DateTimeOffset OverlapStart,
    DateTimeOffset OverlapEnd,
    int OverlapMinutes,
    string RuleSetVersion);

public sealed record TraceView(
    Guid TraceId,
    Guid InvestigationId,
    DateTimeOffset RanAt,
    string RuleSetVersion,
    long IndexPersonKey,
    int CloseContacts,
    int SecondaryContacts,
    IReadOnlyList<ContactEdgeView> Edges);

/// <summary>A passage of the trajectory query with its place's name and kind, before the Chinese names are added.</summary>
internal sealed record TrajectoryRow(DateTimeOffset OccurredAt, long PlaceId, string Name, PlaceKind Kind, PassageDirection Direction);

/// <summary>One passage of the index person: when, which place (by name), which direction.</summary>
public sealed record TrajectoryStop(DateTimeOffset OccurredAt, long PlaceId, string PlaceName, string PlaceKindName, PassageDirection Direction, string DirectionName);

public sealed partial class InvestigationService
{
    public const string TraceQuery = "trace";
    public const string TrajectoryQuery = "trajectory";
    public const string SnapshotView = "trace-snapshot";

    /// <summary>
    /// Traces the index person's contacts with the investigation's anchor and rule set, keeps the
    /// edges inside the investigation's region and date window, stores them as a snapshot and
    /// audits the query. Rejections (role, scope, closed, no tracer) are audited as well.
    /// </summary>
    public async Task<Result<TraceView>> TraceAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var bound = await BindAsync(id, TraceQuery, user, cancellationToken);
        if (bound.Error is { } refused)
        {
            return refused;
        }

        var investigation = bound.Value!;
        var tracer = tracers.LastOrDefault();
        if (tracer is null)
        {
            logger.TracerMissing(investigation.Number);
            await AuditAsync(investigation, TraceQuery, user, "outcome=refused; reason=tracer unavailable", cancellationToken);
            return InvestigationErrors.TraceUnavailable;
        }

        if (ruleSets.FindRecorded(investigation.RuleSetId, investigation.RuleSetVersion) is not { } rules)
        {
            // A custom rule set removed from configuration: its rules are gone, so the trace cannot follow them.
            logger.RuleSetRetired(investigation.Number, investigation.RuleSetId, investigation.RuleSetVersion);
            await AuditAsync(investigation, TraceQuery, user, "outcome=refused; reason=rule set retired", cancellationToken);
            return InvestigationErrors.RuleSetRetired;
        }

        var result = tracer.Trace(new TraceRequest(investigation.IndexPersonKey, ShanghaiTime.StartOfDay(investigation.AnchorDate), rules,
            investigation.ConfirmedAt));

        var places = await PlacesAsync(result.Edges.Select(e => e.PlaceId), cancellationToken);
        var inScope = InsideScope(investigation, result, places);
        var snapshot = TraceSnapshot.Of(investigation.Id, inScope, rules.Version, user.UserId, clock.GetUtcNow());
        db.TraceSnapshots.Add(snapshot);
        await db.SaveChangesAsync(cancellationToken);

        await AuditAsync(investigation, TraceQuery, user, string.Create(CultureInfo.InvariantCulture,
            $"outcome=ok; snapshot={snapshot.Id:N}; edges={inScope.Edges.Count}; close={snapshot.CloseContacts}; secondary={snapshot.SecondaryContacts}; dropped_outside_scope={result.Edges.Count - inScope.Edges.Count}"),
            cancellationToken);
        logger.Traced(investigation.Number, snapshot.CloseContacts, snapshot.SecondaryContacts, snapshot.Id);
        return ToView(investigation, snapshot, places);
    }

    /// <summary>The latest stored trace of an investigation, or null when none was run. Viewing it is audited; it needs no open investigation.</summary>
    public async Task<Result<TraceView?>> LatestTraceAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, tracked: false, cancellationToken);
        if (found.Error is { } error)
        {
            await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType, id.ToString(),
                null, $"kind={SnapshotView}; outcome=refused; reason={found.RefusalReason ?? "no such investigation"}"), cancellationToken);
            return error;
        }

        var investigation = found.Value!;
        var snapshot = await LatestSnapshotAsync(id, cancellationToken);
        if (snapshot is null)
        {
            return (TraceView?)null;
        }

        await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType, investigation.Id.ToString(),
            Purpose(investigation), $"kind={SnapshotView}; snapshot={snapshot.Id:N}"), cancellationToken);
        var edges = snapshot.Edges();
        return ToView(investigation, snapshot, await PlacesAsync(edges.Select(e => e.PlaceId), cancellationToken));
    }

    /// <summary>The index person's passages inside the investigation's region and date window, by place name only; audited.</summary>
    public async Task<Result<IReadOnlyList<TrajectoryStop>>> TrajectoryAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var bound = await BindAsync(id, TrajectoryQuery, user, cancellationToken);
        if (bound.Error is { } refused)
        {
            return refused;
        }

        var investigation = bound.Value!;
        var (start, end) = investigation.Window;
        var wholeHours = await Trajectory(db, investigation.IndexPersonKey, Passage.HoursBetween(start, end), investigation.ScopePath)
            .ToListAsync(cancellationToken);
        var rows = wholeHours.Where(r => r.OccurredAt >= start && r.OccurredAt < end).ToList();

        await AuditAsync(investigation, TrajectoryQuery, user,
            string.Create(CultureInfo.InvariantCulture, $"outcome=ok; passages={rows.Count}; places={rows.Select(r => r.PlaceId).Distinct().Count()}"),
            cancellationToken);
        return rows.Select(r => new TrajectoryStop(r.OccurredAt, r.PlaceId, r.Name, EpidemicNames.Chinese(r.Kind), r.Direction,
            r.Direction == PassageDirection.In ? "进入" : "离开")).ToList();
    }

    /// <summary>
    /// Selects a person's passages in the given hours (<see cref="Passage.OccurredHour"/>) at places
    /// under <paramref name="scope"/>, in time order, by one seek of the (hour, person, time) index
    /// per hour. The caller trims the first and last hour to its exact window.
    /// </summary>
    /// <remarks>
    /// The query has no condition on the time itself. With one, SQLite after ANALYZE estimates a
    /// range on the (time) index as selective (its statistics keep no distribution of the values)
    /// and reads every passage of the window instead of the person's.
    /// </remarks>
    internal static IQueryable<TrajectoryRow> Trajectory(ShanzhiDbContext db, long personKey, long[] hours, string scope) =>
        from p in db.Passages.AsNoTracking()
        join place in db.Places.AsNoTracking() on p.PlaceId equals place.Id
        where hours.Contains(p.OccurredHour) && p.PersonKey == personKey && place.RegionPath.StartsWith(scope)
        orderby p.OccurredAt
        select new TrajectoryRow(p.OccurredAt, p.PlaceId, place.Name, place.Kind, p.Direction);

    /// <summary>
    /// The purpose binding: the role, the investigation, the user's region scope and an open state.
    /// Every rejection is audited with its reason.
    /// </summary>
    private async Task<Result<Investigation>> BindAsync(Guid id, string kind, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, tracked: false, cancellationToken);
        if (found.Error is { } error)
        {
            var reason = found.RefusalReason ?? "no such investigation";
            await audit.AppendAsync(new AuditEntry(AuditAction.TrajectoryQueried, user.UserId, user.DisplayName, SubjectType, id.ToString(),
                null, $"kind={kind}; outcome=refused; reason={reason}"), cancellationToken);
            logger.QueryRefused(kind, id, reason);
            return error;
        }

        var investigation = found.Value!;
        if (!investigation.IsOpen)
        {
            await AuditAsync(investigation, kind, user, "outcome=refused; reason=closed", cancellationToken);
            logger.QueryRefused(kind, id, "closed");
            return InvestigationErrors.Closed;
        }

        return investigation;
    }

    /// <summary>Close-contact edges inside the region and date window, and secondary edges from the close contacts that remain.</summary>
    private static TraceResult InsideScope(Investigation investigation, TraceResult result, IReadOnlyDictionary<long, Place> places)
    {
        bool Inside(ContactEdge e) =>
            investigation.Covers(e.OverlapStart)
            && places.TryGetValue(e.PlaceId, out var place)
            && place.RegionPath.StartsWith(investigation.ScopePath, StringComparison.Ordinal);

        var first = result.Edges.Where(e => e.Degree == 1 && Inside(e)).ToList();
        var close = first.Select(e => e.To).ToHashSet();
        var second = result.Edges.Where(e => e.Degree == 2 && close.Contains(e.From) && Inside(e));
        return result with { Edges = [.. first, .. second] };
    }

    private async Task<Dictionary<long, Place>> PlacesAsync(IEnumerable<long> ids, CancellationToken cancellationToken)
    {
        var placeIds = ids.Distinct().ToList();
        return await db.Places.AsNoTracking().Where(p => placeIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }

    private async Task<TraceSnapshot?> LatestSnapshotAsync(Guid investigationId, CancellationToken cancellationToken) =>
        await db.TraceSnapshots.AsNoTracking().Where(s => s.InvestigationId == investigationId)
            .OrderByDescending(s => s.RanAt).ThenByDescending(s => s.Id).FirstOrDefaultAsync(cancellationToken);

    private Task AuditAsync(Investigation investigation, string kind, StaffPrincipal user, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(AuditAction.TrajectoryQueried, user.UserId, user.DisplayName, SubjectType, investigation.Id.ToString(),
            Purpose(investigation), $"kind={kind}; {detail}"), cancellationToken);

    /// <summary>The audit purpose names the investigation and its legal basis; the free-text purpose stays in the investigation record.</summary>
    private static string Purpose(Investigation investigation) => $"流调 {investigation.Number}（{investigation.LegalBasis}）";

    private static TraceView ToView(Investigation investigation, TraceSnapshot snapshot, IReadOnlyDictionary<long, Place> places) => new(
        snapshot.Id,
        investigation.Id,
        snapshot.RanAt,
        snapshot.RuleSetVersion,
        investigation.IndexPersonKey,
        snapshot.CloseContacts,
        snapshot.SecondaryContacts,
        [.. snapshot.Edges().Select(e => new ContactEdgeView(
            e.From,
            e.To,
            e.Degree,
            e.PlaceId,
            places.TryGetValue(e.PlaceId, out var place) ? place.Name : $"场所 {e.PlaceId}",
            place is null ? "" : EpidemicNames.Chinese(place.Kind),
            e.OverlapStart,
            e.OverlapEnd,
            (int)Math.Round(e.Overlap.TotalMinutes),
            e.RuleSetVersion))]);
}
