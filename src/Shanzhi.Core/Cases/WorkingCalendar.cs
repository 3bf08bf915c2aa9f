namespace Shanzhi.Cases;

/// <summary>
/// Working time of the case engine's SLA clock: the working periods of a day in local time,
/// Monday to Friday, except the public holidays and make-up working days (调休) listed as
/// <see cref="CalendarDay"/> exceptions. It is immutable, and <see cref="WorkingCalendarCache"/>
/// rebuilds it when an administrator loads a year.
/// </summary>
public sealed class WorkingCalendar
{
    /// <summary>More days than this without working time means the calendar data is broken.</summary>
    private const int MaxConsecutiveDaysOff = 366;

    private readonly IReadOnlyList<WorkingPeriod> _periods;
    private readonly Dictionary<DateOnly, bool> _exceptions;

    public WorkingCalendar(TimeZoneInfo timeZone, IEnumerable<WorkingPeriod> periods, IEnumerable<CalendarDay> exceptions)
    {
        _periods = [.. periods.OrderBy(p => p.Start)];
        WorkingPeriod.EnsureValid(_periods);
        _exceptions = exceptions.ToDictionary(d => d.Date, d => d.IsWorkingDay);
        TimeZone = timeZone;
        WorkingDayLength = _periods.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Length);
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Working time of one working day. A limit of N working days is N times this.</summary>
    public TimeSpan WorkingDayLength { get; }

    public IReadOnlyList<WorkingPeriod> Periods => _periods;

    public bool IsWorkingDay(DateOnly date) =>
        _exceptions.TryGetValue(date, out var isWorkingDay)
            ? isWorkingDay
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>
    /// Returns the instant (UTC) at which <paramref name="limit"/> after <paramref name="start"/>
    /// has passed: working time for working hours and days, see <see cref="AddCalendarDays"/> for
    /// calendar days.
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeLimit limit) =>
        limit.Unit == TimeLimitUnit.CalendarDays ? AddCalendarDays(start, limit.Value) : Add(start, ToWorkingTime(limit));

    /// <summary>Working time of a limit in working hours or days; calendar days have no fixed working time.</summary>
    public TimeSpan ToWorkingTime(TimeLimit limit) => limit.Unit switch
    {
        TimeLimitUnit.WorkingHours => TimeSpan.FromHours(limit.Value),
        TimeLimitUnit.WorkingDays => WorkingDayLength * limit.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit.Unit, "Only working-time limits convert to working time."),
    };

    /// <summary>
    /// Deadline of a limit of <paramref name="days"/> calendar days counted as the Civil Code
    /// counts periods (民法典 第二百零一条、第二百零三条): the day of <paramref name="start"/> does
    /// not count, a last day that is not a working day moves to the next working day, and the
    /// period ends when business ends that day (the end of its last working period).
    /// </summary>
    public DateTimeOffset AddCalendarDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);

        var last = ToLocal(start).Date.AddDays(days);
        var daysOff = 0;
        while (!IsWorkingDay(last))
        {
            if (++daysOff > MaxConsecutiveDaysOff)
            {
                throw new InvalidOperationException(
                    $"The working calendar has no working day for {MaxConsecutiveDaysOff} days after {last:yyyy-MM-dd}; check the calendar exceptions.");
            }

            last = last.AddDays(1);
        }

        return ToInstant(last, _periods[^1].End);
    }

    /// <summary>
    /// Returns the instant (UTC) at which <paramref name="workingTime"/> of working time after
    /// <paramref name="start"/> has passed. A deadline that falls exactly on the end of a working
    /// period stays there (12:00, not 13:30).
    /// </summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);

        var (date, cursor) = ToLocal(start);
        var remaining = workingTime;
        var daysOff = 0;
        while (true)
        {
            if (IsWorkingDay(date))
            {
                daysOff = 0;
                foreach (var period in _periods)
                {
                    if (period.End <= cursor)
                    {
                        continue;
                    }

                    var from = period.Start > cursor ? period.Start : cursor;
                    var available = period.End - from;
                    if (remaining <= available)
                    {
                        return ToInstant(date, from.Add(remaining));
                    }

                    remaining -= available;
                }
            }
            else if (++daysOff > MaxConsecutiveDaysOff)
            {
                throw new InvalidOperationException(
                    $"The working calendar has no working day for {MaxConsecutiveDaysOff} days after {date:yyyy-MM-dd}; check the calendar exceptions.");
            }

            date = date.AddDays(1);
            cursor = TimeOnly.MinValue;
        }
    }

    /// <summary>Returns the working time between two instants, negative when <paramref name="to"/> is before <paramref name="from"/>.</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to < from)
        {
            return -WorkingTimeBetween(to, from);
        }

        var (firstDate, firstTime) = ToLocal(from);
        var (lastDate, lastTime) = ToLocal(to);
        var total = TimeSpan.Zero;
        for (var date = firstDate; date <= lastDate; date = date.AddDays(1))
        {
            if (!IsWorkingDay(date))
            {
                continue;
            }

            foreach (var period in _periods)
            {
                var start = date == firstDate && firstTime > period.Start ? firstTime : period.Start;
                var end = date == lastDate && lastTime < period.End ? lastTime : period.End;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }

        return total;
    }

    private (DateOnly Date, TimeOnly Time) ToLocal(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime;
        return (DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local));
    }

    private DateTimeOffset ToInstant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>A working period of the day in local time, such as 08:30–12:00.</summary>
public sealed class WorkingPeriod
{
    public WorkingPeriod()
    {
    }

    public WorkingPeriod(TimeOnly start, TimeOnly end)
    {
        Start = start;
        End = end;
    }

    public TimeOnly Start { get; set; }

    public TimeOnly End { get; set; }

    public TimeSpan Length => End - Start;

    /// <summary>Default working hours of Chinese government offices: 08:30–12:00 and 13:30–17:30.</summary>
    public static IReadOnlyList<WorkingPeriod> Default =>
    [
        new(new TimeOnly(8, 30), new TimeOnly(12, 0)),
        new(new TimeOnly(13, 30), new TimeOnly(17, 30)),
    ];

    /// <summary>Throws when periods are empty, reversed or overlapping: a configuration error found at start-up.</summary>
    public static void EnsureValid(IReadOnlyList<WorkingPeriod> ordered)
    {
        if (ordered.Count == 0)
        {
            throw new InvalidOperationException("Cases:Calendar:Periods is empty; configure at least one working period.");
        }

        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].End <= ordered[i].Start)
            {
                throw new InvalidOperationException(
                    $"Working period {ordered[i].Start:HH:mm}–{ordered[i].End:HH:mm} ends before it starts; fix Cases:Calendar:Periods.");
            }

            if (i > 0 && ordered[i].Start < ordered[i - 1].End)
            {
                throw new InvalidOperationException(
                    $"Working periods overlap at {ordered[i].Start:HH:mm}; fix Cases:Calendar:Periods.");
            }
        }
    }
}
