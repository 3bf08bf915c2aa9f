using Shanzhi.Cases;

namespace Shanzhi.Tests.Cases;

public sealed class WorkingCalendarTests
{
    private static readonly WorkingCalendar Calendar = FixtureCalendar.Create();

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) =>
        new(2026, month, day, hour, minute, 0, CaseWorld.Shanghai);

    [Fact]
    public void Add_hours_within_morning_period()
    {
        Assert.Equal(Local(3, 2, 11), Calendar.Add(Local(3, 2, 9), TimeLimit.Hours(2)));
    }

    [Fact]
    public void Add_skips_lunch_break()
    {
        // Monday 11:00 + 2 h: one hour to 12:00, one hour from 13:30.
        Assert.Equal(Local(3, 2, 14, 30), Calendar.Add(Local(3, 2, 11), TimeLimit.Hours(2)));
    }

    [Fact]
    public void Add_ending_on_period_end_stays_there()
    {
        Assert.Equal(Local(3, 2, 12), Calendar.Add(Local(3, 2, 8, 30), TimeSpan.FromHours(3.5)));
    }

    [Fact]
    public void Add_skips_weekend()
    {
        // Friday 16:30 + 4 h: one hour on Friday, three on Monday from 08:30.
        Assert.Equal(Local(3, 9, 11, 30), Calendar.Add(Local(3, 6, 16, 30), TimeLimit.Hours(4)));
    }

    [Fact]
    public void Add_one_working_day_keeps_time_of_day()
    {
        Assert.Equal(Local(3, 9, 10), Calendar.Add(Local(3, 6, 10), TimeLimit.Days(1)));
    }

    [Fact]
    public void Add_from_weekend_starts_at_next_working_morning()
    {
        Assert.Equal(Local(3, 9, 9, 30), Calendar.Add(Local(3, 7, 10), TimeLimit.Hours(1)));
    }

    [Fact]
    public void Add_counts_spring_festival_make_up_saturday()
    {
        // Friday Feb 13 16:30 + 2 h: Saturday Feb 14 is a make-up working day.
        Assert.Equal(Local(2, 14, 9, 30), Calendar.Add(Local(2, 13, 16, 30), TimeLimit.Hours(2)));
    }

    [Fact]
    public void Add_skips_spring_festival_holiday()
    {
        // Saturday Feb 14 17:00 + 1 h: Feb 15–23 are off, so half an hour on the 14th and half on Tuesday the 24th.
        Assert.Equal(Local(2, 24, 9), Calendar.Add(Local(2, 14, 17), TimeLimit.Hours(1)));
    }

    [Fact]
    public void Add_working_days_across_spring_festival()
    {
        // Working days from Feb 13: 13, 14 (make-up), 24, 25, 26, 27.
        Assert.Equal(Local(2, 27, 9), Calendar.Add(Local(2, 13, 9), TimeLimit.Days(5)));
    }

    [Fact]
    public void Add_reaches_second_make_up_saturday()
    {
        Assert.Equal(Local(2, 28, 9), Calendar.Add(Local(2, 27, 17), TimeLimit.Hours(1)));
    }

    [Fact]
    public void Add_returns_utc()
    {
        Assert.Equal(TimeSpan.Zero, Calendar.Add(Local(3, 2, 9), TimeLimit.Hours(1)).Offset);
    }

    [Fact]
    public void Working_day_lasts_seven_and_half_hours()
    {
        Assert.Equal(TimeSpan.FromHours(7.5), Calendar.WorkingDayLength);
    }

    [Fact]
    public void WorkingTimeBetween_across_spring_festival()
    {
        // Feb 13 from 09:00 (7 h), Feb 14 (7.5 h), Feb 24 until 09:00 (0.5 h).
        Assert.Equal(TimeSpan.FromHours(15), Calendar.WorkingTimeBetween(Local(2, 13, 9), Local(2, 24, 9)));
    }

    [Fact]
    public void WorkingTimeBetween_excludes_lunch_and_evening()
    {
        Assert.Equal(TimeSpan.FromHours(5), Calendar.WorkingTimeBetween(Local(3, 2, 11), Local(3, 2, 20)));
    }

    [Fact]
    public void WorkingTimeBetween_is_negative_when_reversed()
    {
        Assert.Equal(TimeSpan.FromHours(-2), Calendar.WorkingTimeBetween(Local(3, 2, 11), Local(3, 2, 9)));
    }

    [Theory]
    [InlineData(3, 2, 9, 0, 30)]
    [InlineData(3, 6, 17, 15, 600)]
    [InlineData(2, 12, 10, 0, 2250)]
    [InlineData(3, 7, 12, 0, 45)]
    [InlineData(2, 20, 23, 59, 1)]
    public void WorkingTimeBetween_inverts_Add(int month, int day, int hour, int minute, int minutes)
    {
        var start = Local(month, day, hour, minute);
        var workingTime = TimeSpan.FromMinutes(minutes);

        Assert.Equal(workingTime, Calendar.WorkingTimeBetween(start, Calendar.Add(start, workingTime)));
    }

    [Fact]
    public void Exceptions_override_weekdays_and_weekends()
    {
        var plain = FixtureCalendar.Create([]);

        Assert.True(plain.IsWorkingDay(new DateOnly(2026, 2, 16)));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 2, 16)));
        Assert.False(plain.IsWorkingDay(new DateOnly(2026, 2, 28)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2026, 2, 28)));
    }

    [Fact]
    public void Configured_periods_replace_default_hours()
    {
        var calendar = new WorkingCalendar(Calendar.TimeZone, [new WorkingPeriod(new TimeOnly(9, 0), new TimeOnly(17, 0))], []);

        Assert.Equal(Local(3, 3, 10), calendar.Add(Local(3, 2, 16), TimeLimit.Hours(2)));
    }

    [Fact]
    public void Overlapping_periods_are_rejected()
    {
        WorkingPeriod[] periods = [new(new TimeOnly(8, 0), new TimeOnly(12, 0)), new(new TimeOnly(11, 0), new TimeOnly(15, 0))];

        Assert.Throws<InvalidOperationException>(() => new WorkingCalendar(Calendar.TimeZone, periods, []));
    }

    [Fact]
    public void Calendar_without_working_days_fails_loudly()
    {
        var allOff = Enumerable.Range(0, 800).Select(i => new CalendarDay
        {
            Date = new DateOnly(2026, 1, 1).AddDays(i),
            IsWorkingDay = false,
            Note = "停工",
        });
        var calendar = FixtureCalendar.Create(allOff);

        Assert.Throws<InvalidOperationException>(() => calendar.Add(Local(1, 5, 9), TimeLimit.Hours(1)));
    }

    [Theory]
    [InlineData(2025, 1, 26, true)]
    [InlineData(2025, 1, 28, false)]
    [InlineData(2025, 2, 4, false)]
    [InlineData(2025, 10, 8, false)]
    [InlineData(2025, 10, 11, true)]
    [InlineData(2026, 1, 4, true)]
    [InlineData(2026, 2, 14, true)]
    [InlineData(2026, 2, 23, false)]
    [InlineData(2026, 2, 28, true)]
    [InlineData(2026, 6, 19, false)]
    [InlineData(2026, 9, 20, true)]
    [InlineData(2026, 10, 10, true)]
    public void Shipped_schedule_matches_state_council_notice(int year, int month, int day, bool isWorkingDay)
    {
        var calendar = FixtureCalendar.Create(CalendarSeeder.KnownYears.Values.SelectMany(d => d));

        Assert.Equal(isWorkingDay, calendar.IsWorkingDay(new DateOnly(year, month, day)));
    }

    [Theory]
    [InlineData(2025, 28, 5)]
    [InlineData(2026, 33, 6)]
    public void Shipped_schedule_has_all_days(int year, int daysOff, int daysWorked)
    {
        var days = CalendarSeeder.KnownYears[year];

        Assert.Equal(daysOff, days.Count(d => !d.IsWorkingDay));
        Assert.Equal(daysWorked, days.Count(d => d.IsWorkingDay));
    }

    [Fact]
    public void Add_calendar_days_ends_at_close_of_business_on_last_day()
    {
        // Monday Mar 2 10:00 + 30 days: the day of the request does not count, so Wednesday Apr 1, 17:30.
        Assert.Equal(Local(4, 1, 17, 30), Calendar.Add(Local(3, 2, 10), TimeLimit.CalendarDays(30)));
    }

    [Fact]
    public void Add_calendar_days_counts_weekends_and_holidays_inside_the_period()
    {
        // Jan 10 + 30 days = Monday Feb 9; Spring Festival comes later and does not matter.
        Assert.Equal(Local(2, 9, 17, 30), Calendar.Add(Local(1, 10, 9), TimeLimit.CalendarDays(30)));
    }

    [Fact]
    public void Add_calendar_days_moves_last_day_off_the_holiday()
    {
        // Jan 20 + 30 days = Feb 19, inside the Feb 15–23 holiday: the period ends on Tuesday Feb 24.
        Assert.Equal(Local(2, 24, 17, 30), Calendar.Add(Local(1, 20, 15), TimeLimit.CalendarDays(30)));
    }

    [Fact]
    public void Add_calendar_days_ending_on_make_up_saturday_stays_there()
    {
        // Jan 29 + 30 days = Saturday Feb 28, a make-up working day.
        Assert.Equal(Local(2, 28, 17, 30), Calendar.Add(Local(1, 29, 9), TimeLimit.CalendarDays(30)));
    }

    [Fact]
    public void Add_calendar_days_ending_on_weekend_moves_to_monday()
    {
        // Feb 5 + 30 days = Saturday Mar 7.
        Assert.Equal(Local(3, 9, 17, 30), Calendar.Add(Local(2, 5, 9), TimeLimit.CalendarDays(30)));
    }

    [Fact]
    public void Calendar_days_have_no_working_time()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.ToWorkingTime(TimeLimit.CalendarDays(30)));
    }

    [Theory]
    [InlineData(4, TimeLimitUnit.WorkingHours, "4 个工作时")]
    [InlineData(5, TimeLimitUnit.WorkingDays, "5 个工作日")]
    [InlineData(30, TimeLimitUnit.CalendarDays, "30 日（自然日）")]
    public void Limit_reads_in_chinese(int value, TimeLimitUnit unit, string expected)
    {
        Assert.Equal(expected, new TimeLimit(value, unit).ToChinese());
    }
}
