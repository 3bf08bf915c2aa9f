namespace Shanzhi.Cases.Kpi;

/// <summary>Running counts of one report group while the case events stream by.</summary>
internal sealed class KpiTally
{
    private readonly int[] _states = new int[Enum.GetValues<CaseState>().Max(s => (int)s) + 1];
    private int _reported;
    private int _due;
    private int _closed;
    private int _closedOnTime;
    private int _extended;
    private int _reworked;
    private int _dispatches;
    private int _dispatchesReturned;
    private double _handlingHours;
    private double _handlingWorkingHours;
    private int _handled;

    /// <summary>True when no case counted in the period: nothing reported, due or dispatched.</summary>
    public bool IsEmpty => _reported == 0 && _due == 0 && _dispatches == 0;

    /// <summary>Adds what one case contributes to the period [from, end), given its snapshot at the end.</summary>
    public void AddCase(CaseSnapshot snapshot, DateTimeOffset from, DateTimeOffset end, Func<DateTimeOffset, DateTimeOffset, TimeSpan>? workingTime)
    {
        if (snapshot.ReportedAt >= from && snapshot.ReportedAt < end)
        {
            _reported++;
            _states[(int)snapshot.State]++;
        }

        if (!snapshot.IsDue(from, end))
        {
            return;
        }

        _due++;
        if (snapshot.Extended)
        {
            _extended++;
        }

        if (!snapshot.IsClosedIn(from, end))
        {
            return;
        }

        _closed++;
        if (snapshot.ClosedOnTime)
        {
            _closedOnTime++;
        }

        if (snapshot.Reworked)
        {
            _reworked++;
        }

        if (snapshot.LastDispatchedAt is { } dispatched && snapshot.LastResolvedAt is { } resolved)
        {
            _handled++;
            _handlingHours += (resolved - dispatched).TotalHours;
            if (workingTime is not null)
            {
                _handlingWorkingHours += workingTime(dispatched, resolved).TotalHours;
            }
        }
    }

    public void AddDispatch(bool returned)
    {
        _dispatches++;
        if (returned)
        {
            _dispatchesReturned++;
        }
    }

    public KpiFigures ToFigures(bool withWorkingTime) => new(
        _reported,
        _due,
        _closed,
        _closedOnTime,
        _extended,
        _reworked,
        _dispatches,
        _dispatchesReturned,
        _handled == 0 ? null : _handlingHours / _handled,
        _handled == 0 || !withWorkingTime ? null : _handlingWorkingHours / _handled,
        Enum.GetValues<CaseState>().ToDictionary(s => s, s => _states[(int)s]));
}
