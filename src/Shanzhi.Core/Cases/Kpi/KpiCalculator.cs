using Microsoft.EntityFrameworkCore;
using Shanzhi.Storage;

namespace Shanzhi.Cases.Kpi;

/// <summary>
/// Computes case KPIs from the case event log, so every number traces back to events.
/// <para>
/// For a period [from, end) each case is judged by its events before <c>end</c>:
/// <list type="bullet">
/// <item>应结案 (due to close): the case closed in the period, or it is still open at the end, not
/// suspended (挂账 cases leave assessment until resumed), and its handling deadline falls in the
/// period. The handling deadline is the one set by the last dispatch, moved by approved
/// extensions and by resumptions. A returned case has none until it is dispatched again. A case
/// whose deadline passed in one period and which closed in a later one is due in both.</item>
/// <item>结案: a Closed event in the period. 按期结案: closed in the period and its last Resolved event is
/// at or before the handling deadline in force when it closed.</item>
/// <item>返工: a closed case with at least one VerificationFailed event. 延期: a due case with at
/// least one ExtensionApproved event.</item>
/// <item>准确派遣: a Dispatched event in the period that was not followed by a Returned event before
/// the next dispatch and before the period end.</item>
/// <item>Handling time: last Dispatched to last Resolved event of each case closed in the period.</item>
/// <item>State counts: the state after the last event before the end, for cases reported in the period.</item>
/// </list>
/// Unit rows use the unit of the last dispatch before the period end for case figures and the
/// dispatched unit for dispatch figures. Day and month rows are Asia/Shanghai calendar periods cut
/// to the query period, and each is judged at its own end.
/// </para>
/// </summary>
public sealed class KpiCalculator(ShanzhiDbContext db, TimeProvider clock, WorkingCalendarCache? calendars = null)
{
    public async Task<KpiReport> ComputeAsync(KpiQuery query, CancellationToken cancellationToken)
    {
        if (query.WorkingTime is null && calendars is not null)
        {
            // Handling time in working hours uses the business calendar the deadlines were set with.
            var calendar = await calendars.GetAsync(db, cancellationToken);
            query = query with { WorkingTime = calendar.WorkingTimeBetween };
        }

        var from = query.From?.ToUniversalTime();
        var to = (query.To ?? clock.GetUtcNow()).ToUniversalTime();
        var aggregation = new KpiAggregation(query, from ?? DateTimeOffset.MinValue, to);

        var events = new List<KpiEvent>();
        Guid? currentCase = null;
        var currentPath = "";
        await foreach (var row in StreamEvents(from, to, query.ScopePath).WithCancellation(cancellationToken))
        {
            if (row.CaseId != currentCase)
            {
                if (currentCase is not null)
                {
                    aggregation.AddCase(currentPath, events);
                }

                currentCase = row.CaseId;
                currentPath = row.RegionPath ?? "";
                events.Clear();
            }

            events.Add(new KpiEvent(row.Type, row.ToState, row.At, row.UnitId, row.Deadline));
        }

        if (currentCase is not null)
        {
            aggregation.AddCase(currentPath, events);
        }

        var names = await LoadNamesAsync(query.GroupBy, aggregation.GroupKeys, cancellationToken);
        return aggregation.ToReport(names);
    }

    /// <summary>
    /// Streams the events before <paramref name="to"/> of the cases in scope, ordered by case and
    /// sequence, untracked. Cases that reached a terminal state before <paramref name="from"/>
    /// cannot contribute and are left out in SQL.
    /// </summary>
    private IAsyncEnumerable<KpiEventRow> StreamEvents(DateTimeOffset? from, DateTimeOffset to, string? scopePath)
    {
        var cases = db.Cases.AsNoTracking().Where(c => c.ReportedAt < to);
        if (!string.IsNullOrEmpty(scopePath))
        {
            cases = cases.Where(c => c.RegionPath.StartsWith(scopePath));
        }

        if (from is { } start)
        {
            cases = cases.Where(c => !db.CaseEvents.Any(t => t.CaseId == c.Id && t.At < start
                && (t.Type == CaseEventType.Closed || t.Type == CaseEventType.Rejected || t.Type == CaseEventType.Merged)));
        }

        // The region path is read once per case, on its first event.
        return db.CaseEvents.AsNoTracking()
            .Join(cases, e => e.CaseId, c => c.Id, (e, c) => new { Event = e, c.RegionPath })
            .Where(x => x.Event.At < to)
            .OrderBy(x => x.Event.CaseId).ThenBy(x => x.Event.Sequence)
            .Select(x => new KpiEventRow(
                x.Event.CaseId,
                x.Event.Sequence == 1 ? x.RegionPath : null,
                x.Event.Type,
                x.Event.ToState,
                x.Event.At,
                x.Event.UnitId,
                x.Event.Deadline))
            .AsAsyncEnumerable();
    }

    private async Task<IReadOnlyDictionary<string, string>> LoadNamesAsync(
        KpiGrouping grouping, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        switch (grouping)
        {
            case KpiGrouping.Unit:
                var ids = keys.Where(k => k.Length > 0).Select(Guid.Parse).ToList();
                var units = await db.Units.AsNoTracking()
                    .Where(u => ids.Contains(u.Id))
                    .Select(u => new { u.Id, u.Name })
                    .ToListAsync(cancellationToken);
                var names = units.ToDictionary(u => u.Id.ToString(), u => u.Name);
                names[""] = "未派遣";
                return names;
            case KpiGrouping.District or KpiGrouping.Street or KpiGrouping.Community or KpiGrouping.Grid:
                var codes = keys.ToList();
                return await db.Regions.AsNoTracking()
                    .Where(r => codes.Contains(r.Code))
                    .ToDictionaryAsync(r => r.Code, r => r.Name, cancellationToken);
            default:
                return keys.ToDictionary(k => k, k => KpiPeriods.ChineseName(k, grouping));
        }
    }

    private sealed record KpiEventRow(
        Guid CaseId,
        string? RegionPath,
        CaseEventType Type,
        CaseState ToState,
        DateTimeOffset At,
        Guid? UnitId,
        DateTimeOffset? Deadline);
}
