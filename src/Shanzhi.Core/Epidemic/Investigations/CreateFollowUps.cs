using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.IO;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;

namespace Shanzhi.Epidemic.Investigations;

public sealed record FollowUpView(
    Guid Id,
    string GridCode,
    string GridName,
    Guid CaseId,
    string CaseNo,
    CaseState CaseState,
    string CaseStateName,
    int CloseContacts,
    int SecondaryContacts,
    DateTimeOffset CreatedAt);

/// <summary>
/// How many follow-up cases a request opened, how many existing cases got the grid's new contacts
/// added, how many grids already had a case with all their contacts, and every follow-up of the
/// investigation.
/// </summary>
public sealed record FollowUpResult(int Created, int Updated, int Existing, IReadOnlyList<FollowUpView> FollowUps);

public sealed partial class InvestigationService
{
    /// <summary>
    /// Opens one follow-up case per grid from the latest trace snapshot. A contact belongs to the
    /// grid of their registered home, or to the grid of the place of their first exposure when the
    /// home is unknown. A grid with any close contact gets a 密接 case (Y0201), otherwise a 次密接
    /// case (Y0202). The description carries person keys and counts only. A grid that already has
    /// a follow-up for this investigation gets the contacts its case does not follow yet. They are
    /// added to the case with a timeline event while the case is open, or get a new case when it is
    /// finished. A grid without new contacts is left alone, so the request can be repeated safely.
    /// </summary>
    public async Task<Result<FollowUpResult>> CreateFollowUpsAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, tracked: false, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        var investigation = found.Value!;
        if (!investigation.IsOpen)
        {
            return InvestigationErrors.Closed;
        }

        var snapshot = await LatestSnapshotAsync(id, cancellationToken);
        if (snapshot is null)
        {
            return InvestigationErrors.NoTrace;
        }

        var groups = await GroupByGridAsync(snapshot.Edges(), cancellationToken);
        var existing = await db.FollowUps.Where(f => f.InvestigationId == id).ToDictionaryAsync(f => f.GridCode, StringComparer.Ordinal, cancellationToken);
        var (created, updated) = (0, 0);
        foreach (var group in groups)
        {
            Result<FollowUpChange> change = existing.TryGetValue(group.GridCode, out var followUp)
                ? await AddNewContactsAsync(investigation, snapshot, followUp, group, cancellationToken)
                : await OpenFollowUpAsync(investigation, snapshot, group, cancellationToken);
            if (change.Error is { } failed)
            {
                logger.FollowUpFailed(investigation.Number, group.GridCode, failed.Code);
                return failed;
            }

            created += change.Value == FollowUpChange.Created ? 1 : 0;
            updated += change.Value == FollowUpChange.Updated ? 1 : 0;
        }

        var unchanged = groups.Count - created - updated;
        logger.FollowUpsCreated(investigation.Number, created, updated, unchanged);
        return new FollowUpResult(created, updated, unchanged, await FollowUpViewsAsync(id, cancellationToken));
    }

    private enum FollowUpChange
    {
        Created,
        Updated,
        Unchanged,
    }

    public async Task<Result<IReadOnlyList<FollowUpView>>> ListFollowUpsAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var found = await FindAsync(id, user, tracked: false, cancellationToken);
        if (found.Error is { } error)
        {
            return error;
        }

        return await FollowUpViewsAsync(id, cancellationToken);
    }

    /// <summary>Contacts of one grid with the place of each one's first exposure (to locate the case when the grid has no boundary).</summary>
    private sealed record GridGroup(string GridCode, IReadOnlyList<long> CloseContacts, IReadOnlyList<long> SecondaryContacts, IReadOnlyList<long> PlaceIds);

    private async Task<List<GridGroup>> GroupByGridAsync(IReadOnlyList<ContactEdge> edges, CancellationToken cancellationToken)
    {
        var contacts = edges
            .GroupBy(e => e.To)
            .Select(g => (Key: g.Key, Degree: g.Min(e => e.Degree), PlaceId: g.OrderBy(e => e.OverlapStart).First().PlaceId))
            .ToList();
        var keys = contacts.Select(c => c.Key).ToList();
        var homes = await db.Persons.AsNoTracking().Where(p => keys.Contains(p.Key) && p.HomeGridCode != null)
            .ToDictionaryAsync(p => p.Key, p => p.HomeGridCode!, cancellationToken);
        var places = await PlacesAsync(contacts.Select(c => c.PlaceId), cancellationToken);

        return contacts
            .Select(c => (c.Key, c.Degree, c.PlaceId, Grid: homes.GetValueOrDefault(c.Key) ?? places.GetValueOrDefault(c.PlaceId)?.GridCode))
            .Where(c => c.Grid is not null)
            .GroupBy(c => c.Grid!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GridGroup(
                g.Key,
                [.. g.Where(c => c.Degree == 1).Select(c => c.Key).Order()],
                [.. g.Where(c => c.Degree != 1).Select(c => c.Key).Order()],
                [.. g.Select(c => c.PlaceId).Distinct()]))
            .ToList();
    }

    private async Task<Result<FollowUpChange>> OpenFollowUpAsync(Investigation investigation, TraceSnapshot snapshot, GridGroup group, CancellationToken cancellationToken)
    {
        var reported = await ReportFollowUpCaseAsync(investigation, snapshot, group, $"investigation:{investigation.Number}:{group.GridCode}", cancellationToken);
        if (reported.Error is { } error)
        {
            return error;
        }

        var @case = reported.Value!;
        db.FollowUps.Add(FollowUp.Open(investigation.Id, snapshot.Id, group.GridCode, @case.Id, @case.CaseNo,
            group.CloseContacts.Count, group.SecondaryContacts.Count, clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        return FollowUpChange.Created;
    }

    /// <summary>
    /// Adds the contacts of <paramref name="group"/> that <paramref name="followUp"/>'s case does not
    /// follow yet, which are those missing from the grid's contacts in the snapshot the case was last
    /// brought up to date with. An open case gets a timeline event that lists them by person key, as its description lists
    /// the first ones. A finished case cannot take them, so they get a new case of their own.
    /// </summary>
    private async Task<Result<FollowUpChange>> AddNewContactsAsync(Investigation investigation, TraceSnapshot snapshot, FollowUp followUp, GridGroup group,
        CancellationToken cancellationToken)
    {
        if (followUp.TraceId == snapshot.Id)
        {
            return FollowUpChange.Unchanged;
        }

        // NOTE: when the earlier snapshot has expired (movement retention), the case's contacts are
        // unknown, so every contact of the grid is added again. A repeated name is safer than a
        // contact without a case.
        var earlier = await db.TraceSnapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == followUp.TraceId, cancellationToken);
        var followed = earlier is null ? [] : (await GroupByGridAsync(earlier.Edges(), cancellationToken))
            .Where(g => g.GridCode == group.GridCode).SelectMany(g => g.CloseContacts.Concat(g.SecondaryContacts)).ToHashSet();
        var added = group with
        {
            CloseContacts = [.. group.CloseContacts.Where(k => !followed.Contains(k))],
            SecondaryContacts = [.. group.SecondaryContacts.Where(k => !followed.Contains(k))],
        };
        if (added.CloseContacts.Count + added.SecondaryContacts.Count == 0)
        {
            return FollowUpChange.Unchanged;
        }

        var tracked = await db.FollowUps.FirstAsync(f => f.Id == followUp.Id, cancellationToken);
        var @case = await db.Cases.FirstAsync(c => c.Id == followUp.CaseId, cancellationToken);
        var change = FollowUpChange.Updated;
        if (CaseStates.IsTerminal(@case.State))
        {
            // The external reference has at most 64 characters. The last 12 hex digits of a version 7
            // Guid are random, enough to tell this grid's snapshots apart and to find the case again
            // when a retry follows a request that stopped after reporting it.
            var reported = await ReportFollowUpCaseAsync(investigation, snapshot, added,
                $"investigation:{investigation.Number}:{group.GridCode}:{snapshot.Id.ToString("N")[^12..]}", cancellationToken);
            if (reported.Error is { } error)
            {
                return error;
            }

            (@case, change) = (reported.Value!, FollowUpChange.Created);
        }
        else
        {
            @case.RecordPersonsAdded(Describe(investigation, snapshot, added, "重新追踪新增", CaseLimits.ReasonMaxLength), Actor.System, clock.GetUtcNow());
            if (await db.SaveCaseAsync(@case, audit: null, cancellationToken) is { } concurrent)
            {
                return concurrent;
            }
        }

        tracked.AddContacts(snapshot.Id, @case.Id, @case.CaseNo, added.CloseContacts.Count, added.SecondaryContacts.Count);
        await db.SaveChangesAsync(cancellationToken);
        return change;
    }

    /// <summary>
    /// Reports the follow-up case of one grid, or finds it by <paramref name="externalRef"/> when an
    /// earlier request stopped after reporting the case but before saving its follow-up row.
    /// </summary>
    private async Task<Result<Case>> ReportFollowUpCaseAsync(Investigation investigation, TraceSnapshot snapshot, GridGroup group, string externalRef,
        CancellationToken cancellationToken)
    {
        var grid = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == group.GridCode, cancellationToken);
        if (await LocateAsync(grid, group, cancellationToken) is not { } point)
        {
            return InvestigationErrors.GridWithoutLocation;
        }

        var @case = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.ExternalRef == externalRef, cancellationToken);
        if (@case is null)
        {
            var category = group.CloseContacts.Count > 0 ? FollowUpCatalogSeeder.CloseContactCategory : FollowUpCatalogSeeder.SecondaryContactCategory;
            var title = $"{(group.CloseContacts.Count > 0 ? "密接" : "次密接")}人员管控：流调 {investigation.Number}，{grid?.Name ?? group.GridCode}";

            // Follow-ups are reported by the platform on behalf of the investigation: contacts may
            // live outside the officer's own region, and their grid must get the case regardless.
            var reported = await cases.ReportAsync(new ReportCaseRequest(
                title.Length > CaseLimits.TitleMaxLength ? title[..CaseLimits.TitleMaxLength] : title,
                Describe(investigation, snapshot, group, "本网格", CaseLimits.DescriptionMaxLength),
                point.Latitude,
                point.Longitude,
                category,
                Channel: CaseChannel.System,
                ExternalRef: externalRef), StaffPrincipal.System, cancellationToken);
            if (reported.Error is { } error)
            {
                return error;
            }

            @case = reported.Value!;
        }

        return @case;
    }

    /// <summary>A point inside the grid: inside its boundary, else its centre, else a place of the group.</summary>
    private async Task<(double Latitude, double Longitude)?> LocateAsync(Region? grid, GridGroup group, CancellationToken cancellationToken)
    {
        if (grid?.Boundary is { } boundary)
        {
            var inside = new WKBReader().Read(boundary).InteriorPoint;
            return (inside.Y, inside.X);
        }

        if (grid is { CenterLatitude: { } latitude, CenterLongitude: { } longitude })
        {
            return (latitude, longitude);
        }

        var place = await db.Places.AsNoTracking().Where(p => group.PlaceIds.Contains(p.Id) && p.GridCode == group.GridCode)
            .Select(p => new { p.Latitude, p.Longitude }).FirstOrDefaultAsync(cancellationToken);
        return place is null ? null : (place.Latitude, place.Longitude);
    }

    /// <summary>The case text about <paramref name="group"/>'s contacts: person keys and counts, after <paramref name="lead"/> (本网格, 重新追踪新增).</summary>
    private static string Describe(Investigation investigation, TraceSnapshot snapshot, GridGroup group, string lead, int maxLength)
    {
        static string Keys(IReadOnlyList<long> keys) => string.Join("、", keys.Select(InvestigationNames.PersonLabel));

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"流调 {investigation.Number} 的密接追踪结果（规则集 {snapshot.RuleSetVersion}，追踪记录 {snapshot.Id:N}）。");
        text.Append(CultureInfo.InvariantCulture, $"{lead}密接 {group.CloseContacts.Count} 人");
        text.Append(group.CloseContacts.Count > 0 ? "：" + Keys(group.CloseContacts) + "；" : "；");
        text.Append(CultureInfo.InvariantCulture, $"次密接 {group.SecondaryContacts.Count} 人");
        text.Append(group.SecondaryContacts.Count > 0 ? "：" + Keys(group.SecondaryContacts) + "。" : "。");
        text.Append("以上为人员编号，核实身份请在人口登记中按编号经授权查看。");
        var description = text.ToString();
        return description.Length > maxLength ? description[..maxLength] : description;
    }

    private async Task<List<FollowUpView>> FollowUpViewsAsync(Guid investigationId, CancellationToken cancellationToken)
    {
        var rows = await (
                from f in db.FollowUps.AsNoTracking()
                join c in db.Cases.AsNoTracking() on f.CaseId equals c.Id
                where f.InvestigationId == investigationId
                orderby f.GridCode
                select new { FollowUp = f, c.State })
            .ToListAsync(cancellationToken);
        var codes = rows.Select(r => r.FollowUp.GridCode).ToList();
        var names = await db.Regions.AsNoTracking().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
        return [.. rows.Select(r => new FollowUpView(
            r.FollowUp.Id,
            r.FollowUp.GridCode,
            names.GetValueOrDefault(r.FollowUp.GridCode, r.FollowUp.GridCode),
            r.FollowUp.CaseId,
            r.FollowUp.CaseNo,
            r.State,
            CaseStates.ChineseName(r.State),
            r.FollowUp.CloseContacts,
            r.FollowUp.SecondaryContacts,
            r.FollowUp.CreatedAt))];
    }
}
