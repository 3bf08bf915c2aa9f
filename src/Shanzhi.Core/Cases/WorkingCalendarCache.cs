using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// Holds the current <see cref="WorkingCalendar"/> for the whole process. It loads the calendar
/// exceptions on first use and again after <see cref="Invalidate"/>, which
/// <see cref="CalendarService"/> calls when an administrator loads a year.
/// </summary>
// NOTE: the cache lives in one process. With several web servers, the servers that did not load
// the year keep the old calendar until they restart.
public sealed class WorkingCalendarCache(IOptions<CaseOptions> options)
{
    private readonly Lock _gate = new();
    private WorkingCalendar? _current;
    private int _version;

    public async ValueTask<WorkingCalendar> GetAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        int version;
        lock (_gate)
        {
            if (_current is { } current)
            {
                return current;
            }

            version = _version;
        }

        var days = await db.CalendarDays.AsNoTracking().ToListAsync(cancellationToken);
        var settings = options.Value.Calendar;
        var calendar = new WorkingCalendar(
            TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone), settings.EffectivePeriods, days);

        lock (_gate)
        {
            // A load that raced with Invalidate may have read the old exceptions: use it once, keep nothing.
            if (version == _version)
            {
                _current = calendar;
            }
        }

        return calendar;
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _current = null;
            _version++;
        }
    }
}
