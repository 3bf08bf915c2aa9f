using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Site rosters in memory for the gate check: (site, person key) → the days each roster entry is
/// valid. <see cref="SiteRosterLoader"/> loads them at start and polls for entries added or ended;
/// <see cref="SiteRosters"/> updates it at once for changes made in this process.
/// </summary>
/// <remarks>
/// An entry can only be shortened (<see cref="RosterEntry.End"/>), so a poll that read an entry
/// before it was ended in this process cannot lengthen it again: the shorter validity wins.
/// </remarks>
public sealed class SiteRosterDirectory
{
    private readonly ConcurrentDictionary<(long SiteId, long PersonKey), RosterSpan[]> _spans = new();
    private readonly Lock _write = new();
    private volatile bool _ready;

    public bool IsReady => _ready;

    /// <summary>Whether the person is on a roster of the site valid on <paramref name="day"/>; null while the directory is not ready.</summary>
    public bool? IsOnRoster(long siteId, long personKey, DateOnly day)
    {
        if (!_ready)
        {
            return null;
        }

        if (!_spans.TryGetValue((siteId, personKey), out var spans))
        {
            return false;
        }

        foreach (var span in spans)
        {
            if (span.ValidFrom <= day && day <= span.ValidTo)
            {
                return true;
            }
        }

        return false;
    }

    public void Apply(IEnumerable<RosterSpan> entries)
    {
        lock (_write)
        {
            foreach (var entry in entries)
            {
                var key = (entry.SiteId, entry.PersonKey);
                var spans = _spans.GetValueOrDefault(key, []);
                var at = Array.FindIndex(spans, s => s.EntryId == entry.EntryId);
                if (at < 0)
                {
                    _spans[key] = [.. spans, entry];
                }
                else if (entry.ValidTo < spans[at].ValidTo)
                {
                    var copy = (RosterSpan[])spans.Clone();
                    copy[at] = entry;
                    _spans[key] = copy;
                }
            }
        }
    }

    public void MarkReady(bool ready) => _ready = ready;
}

/// <summary>One roster entry as stored in the directory.</summary>
public readonly record struct RosterSpan(long EntryId, long SiteId, long PersonKey, DateOnly ValidFrom, DateOnly ValidTo)
{
    public static RosterSpan Of(RosterEntry entry) => new(entry.Id, entry.SiteId, entry.PersonKey, entry.ValidFrom, entry.ValidTo);
}

/// <summary>
/// Loads every roster entry at start, then every <see cref="Registry.PopulationDirectoryLoader.PollInterval"/> reads the
/// entries whose <c>created_at</c> or <c>ended_at</c> falls in the poll's stamp ranges (<see cref="StampWindows"/>), as the
/// population directory does with <c>updated_at</c>. Let L be the time from the stamp to the commit, clock skew between the
/// two processes included. An entry added or ended by another process with L up to <see cref="StampWindows.FreshAge"/>
/// reaches this process's gate checks within one poll interval. One with L up to <see cref="StampWindows.Overlap"/> arrives
/// within L plus one poll interval after its commit. At polls one second apart each change is read about 7 times.
/// </summary>
public sealed class SiteRosterLoader(IServiceScopeFactory scopes, SiteRosterDirectory directory, TimeProvider clock, ILogger<SiteRosterLoader> logger)
    : BackgroundService
{
    private DateTimeOffset? _lastPoll;

    /// <summary>Rows read by polls since this loader was created; the first poll's full read is not counted.</summary>
    internal long PolledRows { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Registry.PopulationDirectoryLoader.PollInterval, clock);
        do
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var silent = _lastPoll is { } last ? clock.GetUtcNow() - last : TimeSpan.MaxValue;
                logger.RosterPollFailed(e);
                if (silent > Registry.PopulationDirectoryLoader.MaxSilence)
                {
                    directory.MarkReady(false);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads every entry on the first call, then the entries created or ended in the poll's stamp ranges, and marks the directory ready.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var entries = db.RosterEntries.AsNoTracking();
        if (_lastPoll is { } last)
        {
            entries = entries.Where(StampedIn(StampWindows.Between(last, started)));
        }

        var rows = await entries.Select(r => new RosterSpan(r.Id, r.SiteId, r.PersonKey, r.ValidFrom, r.ValidTo)).ToListAsync(cancellationToken);
        directory.Apply(rows);
        if (_lastPoll is null)
        {
            logger.RostersLoaded(rows.Count);
        }
        else
        {
            PolledRows += rows.Count;
        }

        _lastPoll = started;
        directory.MarkReady(true);
    }

    /// <summary>Builds the filter for entries created or ended in one of <paramref name="ranges"/>.</summary>
    private static Expression<Func<RosterEntry, bool>> StampedIn(List<StampRange> ranges) => ranges.Select(StampedIn).Aggregate(Or);

    private static Expression<Func<RosterEntry, bool>> StampedIn(StampRange range)
    {
        // The lambdas capture locals rather than hold constants, so EF Core sends the bounds as parameters and reuses the compiled query.
        var from = range.From;
        if (range.Until is { } until)
        {
            return r => (r.CreatedAt >= from && r.CreatedAt < until) || (r.EndedAt >= from && r.EndedAt < until);
        }

        return r => r.CreatedAt >= from || r.EndedAt >= from;
    }

    private static Expression<Func<RosterEntry, bool>> Or(Expression<Func<RosterEntry, bool>> left, Expression<Func<RosterEntry, bool>> right)
    {
        var rightBody = ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body);
        return Expression.Lambda<Func<RosterEntry, bool>>(Expression.OrElse(left.Body, rightBody), left.Parameters);
    }
}
