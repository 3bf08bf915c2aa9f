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

/// <summary>How many follow-up cases a request opened, how many grids already had one, and every follow-up of the investigation.</summary>
public sealed record FollowUpResult(int Created, int Existing, IReadOnlyList<FollowUpView> FollowUps);

public sealed partial class InvestigationService
{
    /// <summary>
    /// Opens one follow-up case per grid from the latest trace snapshot. A contact belongs to the
    /// grid of their registered home, or to the grid of the place of their first exposure when the
    /// home is unknown. A grid with any close contact gets a 密接 case (Y0201), otherwise a 次密接
    /// case (Y0202). The description carries person keys and counts only. Grids that already have
    /// a follow-up for this investigation are skipped, so the request can be repeated safely.
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
        var existing = (await db.FollowUps.Where(f => f.InvestigationId == id).Select(f => f.GridCode).ToListAsync(cancellationToken)).ToHashSet();
        var created = 0;
        foreach (var group in groups.Where(g => !existing.Contains(g.GridCode)))
        {
            var opened = await OpenFollowUpAsync(investigation, snapshot, group, cancellationToken);
            if (opened.Error is { } failed)
            {
                logger.FollowUpFailed(investigation.Number, group.GridCode, failed.Code);
                return failed;
            }

            created++;
        }

        logger.FollowUpsCreated(investigation.Number, created, groups.Count - created);
        return new FollowUpResult(created, groups.Count - created, await FollowUpViewsAsync(id, cancellationToken));
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

    private async Task<Result<FollowUp>> OpenFollowUpAsync(Investigation investigation, TraceSnapshot snapshot, GridGroup group, CancellationToken cancellationToken)
    {
        var grid = await db.Regions.AsNoTracking().FirstOrDefaultAsync(r => r.Code == group.GridCode, cancellationToken);
        if (await LocateAsync(grid, group, cancellationToken) is not { } point)
        {
            return InvestigationErrors.GridWithoutLocation;
        }

        // An earlier request may have stopped after reporting the case but before saving this row.
        // The external reference finds that case, so no second one is reported.
        var externalRef = $"investigation:{investigation.Number}:{group.GridCode}";
        var @case = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.ExternalRef == externalRef, cancellationToken);
        if (@case is null)
        {
            var category = group.CloseContacts.Count > 0 ? FollowUpCatalogSeeder.CloseContactCategory : FollowUpCatalogSeeder.SecondaryContactCategory;
            var title = $"{(group.CloseContacts.Count > 0 ? "密接" : "次密接")}人员管控：流调 {investigation.Number}，{grid?.Name ?? group.GridCode}";

            // Follow-ups are reported by the platform on behalf of the investigation: contacts may
            // live outside the officer's own region, and their grid must get the case regardless.
            var reported = await cases.ReportAsync(new ReportCaseRequest(
                title.Length > CaseLimits.TitleMaxLength ? title[..CaseLimits.TitleMaxLength] : title,
                Describe(investigation, snapshot, group),
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

        var followUp = new FollowUp
        {
            InvestigationId = investigation.Id,
            TraceId = snapshot.Id,
            GridCode = group.GridCode,
            CaseId = @case.Id,
            CaseNo = @case.CaseNo,
            CloseContacts = group.CloseContacts.Count,
            SecondaryContacts = group.SecondaryContacts.Count,
            CreatedAt = clock.GetUtcNow(),
        };
        db.FollowUps.Add(followUp);
        await db.SaveChangesAsync(cancellationToken);
        return followUp;
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

    private static string Describe(Investigation investigation, TraceSnapshot snapshot, GridGroup group)
    {
        static string Keys(IReadOnlyList<long> keys) => string.Join("、", keys.Select(InvestigationNames.PersonLabel));

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"流调 {investigation.Number} 的密接追踪结果（规则集 {snapshot.RuleSetVersion}，追踪记录 {snapshot.Id:N}）。");
        text.Append(CultureInfo.InvariantCulture, $"本网格密接 {group.CloseContacts.Count} 人");
        text.Append(group.CloseContacts.Count > 0 ? "：" + Keys(group.CloseContacts) + "；" : "；");
        text.Append(CultureInfo.InvariantCulture, $"次密接 {group.SecondaryContacts.Count} 人");
        text.Append(group.SecondaryContacts.Count > 0 ? "：" + Keys(group.SecondaryContacts) + "。" : "。");
        text.Append("以上为人员编号，核实身份请在人口登记中按编号经授权查看。");
        var description = text.ToString();
        return description.Length > CaseLimits.DescriptionMaxLength ? description[..CaseLimits.DescriptionMaxLength] : description;
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
