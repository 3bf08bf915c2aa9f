using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// The exceptions of the working calendar, year by year. The State Council publishes each year's
/// holidays and make-up working days in the preceding November or December. An administrator
/// loads them here, which replaces that year's exceptions.
/// </summary>
public sealed class CalendarService(ShanzhiDbContext db, WorkingCalendarCache cache, ILogger<CalendarService> logger)
{
    public const int NoteMaxLength = 50;

    public async Task<IReadOnlyList<CalendarDay>> ListYearAsync(int year, CancellationToken cancellationToken)
    {
        var (first, last) = YearBounds(year);
        return await db.CalendarDays.AsNoTracking()
            .Where(d => d.Date >= first && d.Date <= last)
            .OrderBy(d => d.Date)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the exceptions of <paramref name="year"/> with <paramref name="days"/>: days off
    /// (any day of the week, so whole holiday ranges can be listed) and make-up working days
    /// (weekends only). Returns the number of days stored.
    /// </summary>
    public async Task<Result<int>> LoadYearAsync(int year, IReadOnlyList<CalendarDay> days, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.SystemAdmin))
        {
            return CalendarErrors.Forbidden;
        }

        if (Validate(year, days) is { } error)
        {
            return error;
        }

        var (first, last) = YearBounds(year);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.CalendarDays.Where(d => d.Date >= first && d.Date <= last).ExecuteDeleteAsync(cancellationToken);
            db.CalendarDays.AddRange(days.Select(d => new CalendarDay { Date = d.Date, IsWorkingDay = d.IsWorkingDay, Note = d.Note.Trim() }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        cache.Invalidate();
        logger.CalendarYearLoaded(year, days.Count);
        return days.Count;
    }

    internal static Error? Validate(int year, IReadOnlyList<CalendarDay> days)
    {
        if (year is < 2000 or > 2100)
        {
            return CalendarErrors.InvalidYear(year);
        }

        var seen = new HashSet<DateOnly>();
        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            Error? error =
                day.Date.Year != year ? CalendarErrors.DateOutsideYear(i, day.Date, year)
                : !seen.Add(day.Date) ? CalendarErrors.DuplicateDate(i, day.Date)
                : day.IsWorkingDay && day.Date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) ? CalendarErrors.WorkdayNotWeekend(i, day.Date)
                : string.IsNullOrWhiteSpace(day.Note) ? CalendarErrors.NoteRequired(i, day.Date)
                : day.Note.Trim().Length > NoteMaxLength ? CalendarErrors.NoteTooLong(i, day.Date)
                : null;
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static (DateOnly First, DateOnly Last) YearBounds(int year) => (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
}
