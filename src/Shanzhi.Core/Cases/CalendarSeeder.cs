using Microsoft.EntityFrameworkCore;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// Seeds the holidays and make-up working days of the years whose State Council schedule is known,
/// unless an administrator has already loaded that year.
/// </summary>
public sealed class CalendarSeeder(WorkingCalendarCache cache) : IStoreSeeder
{
    public int Order => 50;

    /// <summary>
    /// The State Council General Office notices of 2024-11-12 (for 2025) and 2025-11-04 (for 2026):
    /// days off as inclusive ranges, and the weekend days worked instead (调休).
    /// </summary>
    internal static IReadOnlyDictionary<int, IReadOnlyList<CalendarDay>> KnownYears { get; } = new Dictionary<int, IReadOnlyList<CalendarDay>>
    {
        [2025] = Year(2025,
            [
                Off(1, 1, 1, 1, "元旦"),
                Off(1, 28, 2, 4, "春节"),
                Off(4, 4, 4, 6, "清明节"),
                Off(5, 1, 5, 5, "劳动节"),
                Off(5, 31, 6, 2, "端午节"),
                Off(10, 1, 10, 8, "国庆节、中秋节"),
            ],
            [
                Worked(1, 26, "春节调休上班"),
                Worked(2, 8, "春节调休上班"),
                Worked(4, 27, "劳动节调休上班"),
                Worked(9, 28, "国庆节调休上班"),
                Worked(10, 11, "国庆节调休上班"),
            ]),
        [2026] = Year(2026,
            [
                Off(1, 1, 1, 3, "元旦"),
                Off(2, 15, 2, 23, "春节"),
                Off(4, 4, 4, 6, "清明节"),
                Off(5, 1, 5, 5, "劳动节"),
                Off(6, 19, 6, 21, "端午节"),
                Off(9, 25, 9, 27, "中秋节"),
                Off(10, 1, 10, 7, "国庆节"),
            ],
            [
                Worked(1, 4, "元旦调休上班"),
                Worked(2, 14, "春节调休上班"),
                Worked(2, 28, "春节调休上班"),
                Worked(5, 9, "劳动节调休上班"),
                Worked(9, 20, "中秋节调休上班"),
                Worked(10, 10, "国庆节调休上班"),
            ]),
    };

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var added = 0;
        foreach (var (year, days) in KnownYears)
        {
            var first = new DateOnly(year, 1, 1);
            var last = new DateOnly(year, 12, 31);
            if (await db.CalendarDays.AnyAsync(d => d.Date >= first && d.Date <= last, cancellationToken))
            {
                continue;
            }

            db.CalendarDays.AddRange(days.Select(d => new CalendarDay { Date = d.Date, IsWorkingDay = d.IsWorkingDay, Note = d.Note }));
            added += days.Count;
        }

        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            cache.Invalidate();
        }
    }

    private static IReadOnlyList<CalendarDay> Year(int year,
        (int FromMonth, int FromDay, int ToMonth, int ToDay, string Note)[] daysOff,
        (int Month, int Day, string Note)[] workedDays)
    {
        var days = new List<CalendarDay>();
        foreach (var (fromMonth, fromDay, toMonth, toDay, note) in daysOff)
        {
            for (var date = new DateOnly(year, fromMonth, fromDay); date <= new DateOnly(year, toMonth, toDay); date = date.AddDays(1))
            {
                days.Add(new CalendarDay { Date = date, IsWorkingDay = false, Note = note });
            }
        }

        days.AddRange(workedDays.Select(w => new CalendarDay { Date = new DateOnly(year, w.Month, w.Day), IsWorkingDay = true, Note = w.Note }));

        if (CalendarService.Validate(year, days) is { } error)
        {
            throw new InvalidOperationException($"The built-in calendar of {year} is invalid: {error.Detail}");
        }

        return days;
    }

    private static (int, int, int, int, string) Off(int fromMonth, int fromDay, int toMonth, int toDay, string note) =>
        (fromMonth, fromDay, toMonth, toDay, note);

    private static (int, int, string) Worked(int month, int day, string note) => (month, day, note);
}
