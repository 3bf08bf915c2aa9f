namespace Shanzhi.Cases.Kpi;

/// <summary>Sorts each case's contribution into the total and the rows of one report.</summary>
internal sealed class KpiAggregation(KpiQuery query, DateTimeOffset from, DateTimeOffset to)
{
    private readonly KpiTally _total = new();
    private readonly Dictionary<string, KpiTally> _groups = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> GroupKeys => _groups.Keys;

    /// <summary>Adds one case, given its region path and its events before the query end in sequence order.</summary>
    public void AddCase(string regionPath, IReadOnlyList<KpiEvent> events)
    {
        var snapshot = CaseSnapshot.At(events, to);
        Add(_total, snapshot, from, to);

        switch (query.GroupBy)
        {
            case KpiGrouping.Total:
                break;
            case KpiGrouping.Unit:
                AddByUnit(snapshot);
                break;
            case KpiGrouping.Day or KpiGrouping.Month:
                AddByPeriod(events);
                break;
            default:
                Add(Group(RegionKey(regionPath, query.GroupBy)), snapshot, from, to);
                break;
        }
    }

    public KpiReport ToReport(IReadOnlyDictionary<string, string> names)
    {
        var withWorkingTime = query.WorkingTime is not null;
        var rows = _groups
            .Where(g => !g.Value.IsEmpty)
            .Select(g => new KpiRow(g.Key, names.GetValueOrDefault(g.Key, g.Key), g.Value.ToFigures(withWorkingTime)))
            .OrderBy(r => query.GroupBy == KpiGrouping.Unit ? r.Name : r.Key, StringComparer.Ordinal)
            .ToList();
        return new KpiReport(query.From, to, query.ScopePath, query.GroupBy, _total.ToFigures(withWorkingTime), rows);
    }

    /// <summary>
    /// Returns the code at the grouping level: segment n of the path for level n (city = 1). A
    /// shorter path, such as the external region's <c>/EXTERNAL/</c>, groups under its last segment.
    /// </summary>
    internal static string RegionKey(string regionPath, KpiGrouping grouping)
    {
        var segments = regionPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "";
        }

        var depth = grouping switch
        {
            KpiGrouping.District => 2,
            KpiGrouping.Street => 3,
            KpiGrouping.Community => 4,
            _ => 5,
        };
        return segments[Math.Min(depth, segments.Length) - 1];
    }

    private void AddByUnit(CaseSnapshot snapshot)
    {
        Group(snapshot.UnitId?.ToString() ?? "").AddCase(snapshot, from, to, query.WorkingTime);
        foreach (var dispatch in snapshot.Dispatches.Where(d => d.At >= from))
        {
            Group(dispatch.UnitId?.ToString() ?? "").AddDispatch(dispatch.Returned);
        }
    }

    /// <summary>
    /// Judges the case once for every day or month it could count in: those of its events and of
    /// every deadline it was given.
    /// </summary>
    private void AddByPeriod(IReadOnlyList<KpiEvent> events)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            keys.Add(KpiPeriods.KeyOf(e.At, query.GroupBy));
            if (e.Deadline is { } deadline)
            {
                keys.Add(KpiPeriods.KeyOf(deadline, query.GroupBy));
            }
        }

        foreach (var key in keys)
        {
            var (start, end) = KpiPeriods.Bounds(key, query.GroupBy);
            start = start > from ? start : from;
            end = end < to ? end : to;
            if (start < end)
            {
                Add(Group(key), CaseSnapshot.At(events, end), start, end);
            }
        }
    }

    private void Add(KpiTally tally, CaseSnapshot snapshot, DateTimeOffset start, DateTimeOffset end)
    {
        tally.AddCase(snapshot, start, end, query.WorkingTime);
        foreach (var dispatch in snapshot.Dispatches.Where(d => d.At >= start))
        {
            tally.AddDispatch(dispatch.Returned);
        }
    }

    private KpiTally Group(string key)
    {
        if (!_groups.TryGetValue(key, out var tally))
        {
            tally = new KpiTally();
            _groups[key] = tally;
        }

        return tally;
    }
}
