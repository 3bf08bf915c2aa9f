using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

/// <summary>
/// An exception to the Monday–Friday week: a public holiday on a weekday, or a make-up working
/// day (调休) on a weekend. Administrators load each year's State Council schedule.
/// </summary>
[Classify(DataClass.Public, "工作日历", Activity = "工作日历")]
public sealed class CalendarDay
{
    public DateOnly Date { get; init; }

    public bool IsWorkingDay { get; init; }

    public required string Note { get; init; }
}
