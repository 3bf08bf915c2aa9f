using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>What one catch-up poll added to the contact index: commit rows of other writers and their identified passages.</summary>
public readonly record struct CatchUpResult(int Commits, int Passages);

/// <summary>
/// Adds to the contact index the passages that other processes (the CLI import, another web
/// instance) commit to the same store. Every <see cref="TracingOptions.CatchUpInterval"/> it reads
/// the <see cref="PassageCommit"/> rows above the highest id read so far (a primary-key range),
/// loads the passages of each row of another writer by their key ranges and adds them as committed
/// passages. Every minute it deletes, in small batches, settled commit rows older than
/// <see cref="TracingOptions.CommitRetention"/>.
/// </summary>
/// <remarks>
/// <para>Gaps: on PostgreSQL, commit ids come from a sequence when a transaction inserts its row,
/// not when it commits, so a lower id can become visible after a higher one, and a rolled-back
/// transaction leaves an id that never appears. Each poll therefore also reads the missing ids
/// below the highest one read (the gaps), and gives up a gap after
/// <see cref="TracingOptions.CatchUpGapTimeout"/>. Every id at or below <see cref="Watermark"/>, the
/// id below the lowest open gap, is settled: read or given up. On SQLite write transactions are
/// serialised, so ids become visible in order and no gap occurs.</para>
/// <para>Why applying twice is harmless: the index ignores a passage it already contains
/// (<see cref="ContactIndex"/>), so a commit that the start-up rebuild also read, or that this
/// process applies again after a restart, changes nothing. The first poll starts after the last
/// commit row older than <see cref="TracingOptions.CatchUpWindow"/>, which covers the transactions
/// committed while the index was being rebuilt.</para>
/// <para>The own writer's rows are read but skipped by <see cref="PassageWriter.WriterId"/>, because
/// its passages reached the index as an observer already.</para>
/// </remarks>
public sealed class PassageCatchUp : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>Pause between two prune statements, so that the gate checks' transactions get the SQLite write lock in between.</summary>
    private static readonly TimeSpan PrunePause = TimeSpan.FromMilliseconds(5);

    private readonly IServiceScopeFactory _scopes;
    private readonly ContactIndex _index;
    private readonly TracingOptions _options;
    private readonly ILogger<PassageCatchUp> _logger;
    private readonly long _ownWriterId;
    private readonly SemaphoreSlim _polling = new(1, 1);

    /// <summary>Missing ids below <see cref="_highestRead"/>, with the <see cref="Stopwatch"/> timestamp of the poll that first missed them.</summary>
    private readonly SortedDictionary<long, long> _gaps = [];

    private long _highestRead = -1;
    private long _watermark = -1;
    private long _appliedCommits;

    // The highest place id whose kind the index was given by a poll.
    private long _highestPlaceId;
    private long _commitRowsRead;
    private long _pruneStatements;

    /// <param name="writer">This process's passage writer, whose commits are skipped, or null in a process that writes none.</param>
    public PassageCatchUp(IServiceScopeFactory scopes, ContactIndex index, IOptions<TracingOptions> options, ILogger<PassageCatchUp> logger,
        PassageWriter? writer = null)
    {
        _scopes = scopes;
        _index = index;
        _options = options.Value;
        _logger = logger;
        _ownWriterId = writer?.WriterId ?? 0;
        Validate(_options);
    }

    /// <summary>Commit rows of other writers applied since start, by the background loop and by <see cref="PollAsync"/>.</summary>
    public long AppliedCommits => Interlocked.Read(ref _appliedCommits);

    /// <summary>Commit rows read by the polls since start, of all writers (for tests).</summary>
    internal long CommitRowsRead => Interlocked.Read(ref _commitRowsRead);

    /// <summary>DELETE statements run by <see cref="PruneAsync"/> since start (for tests).</summary>
    internal long PruneStatements => Interlocked.Read(ref _pruneStatements);

    /// <summary>The highest commit id at or below which every id is settled (read or given up), or -1 before the first poll.</summary>
    internal long Watermark => Interlocked.Read(ref _watermark);

    private static void Validate(TracingOptions options)
    {
        if (options.CatchUpInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Tracing:CatchUpInterval {options.CatchUpInterval} is invalid. Set a positive interval such as 00:00:01.");
        }

        if (options.CatchUpGapTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Tracing:CatchUpGapTimeout {options.CatchUpGapTimeout} is invalid. Set a positive time such as 00:01:00.");
        }

        if (options.CatchUpWindow <= options.CatchUpInterval)
        {
            throw new InvalidOperationException(
                $"Tracing:CatchUpWindow {options.CatchUpWindow} is invalid. Set it longer than Tracing:CatchUpInterval, such as 00:10:00.");
        }

        if (options.CommitRetention <= options.CatchUpWindow || options.CommitRetention <= options.CatchUpGapTimeout)
        {
            throw new InvalidOperationException(
                $"Tracing:CommitRetention {options.CommitRetention} is invalid. Set it longer than Tracing:CatchUpWindow and Tracing:CatchUpGapTimeout, such as 01:00:00.");
        }

        if (options.CommitPruneBatchSize <= 0)
        {
            throw new InvalidOperationException($"Tracing:CommitPruneBatchSize {options.CommitPruneBatchSize} is invalid. Set a positive number of rows such as 2000.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.CatchUpStarted((long)_options.CatchUpInterval.TotalMilliseconds, (long)_options.CatchUpWindow.TotalSeconds);

        // Real time, not the platform's TimeProvider: the poll is a technical cadence, and a test's
        // frozen clock must not stop it.
        using var timer = new PeriodicTimer(_options.CatchUpInterval);
        var failures = 0;
        var nextPrune = DateTimeOffset.UtcNow + PruneInterval;
        try
        {
            do
            {
                try
                {
                    var result = await PollAsync(stoppingToken);
                    if (result.Commits > 0)
                    {
                        _logger.CaughtUp(result.Commits, result.Passages);
                    }

                    failures = 0;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    if ((failures & (failures - 1)) == 0)
                    {
                        _logger.CatchUpFailed(failures, e);
                    }
                }

                if (DateTimeOffset.UtcNow >= nextPrune)
                {
                    await PruneLoggedAsync(stoppingToken);
                    nextPrune = DateTimeOffset.UtcNow + PruneInterval;
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        finally
        {
            _logger.CatchUpStopped();
        }
    }

    /// <summary>
    /// Adds the passages of the other writers' commits that became visible since the last poll,
    /// including those that fill a gap, and moves <see cref="Watermark"/>. The background loop calls
    /// this; tests call it to poll at once. A commit that failed to load is retried by the next poll.
    /// </summary>
    public async Task<CatchUpResult> PollAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await LoadNewPlaceKindsAsync(db, cancellationToken);
                return await ReadAndApplyAsync(db, PassageCommitAccess.For(db.Database.GetDbConnection()), cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        finally
        {
            _polling.Release();
        }
    }

    private async Task<CatchUpResult> ReadAndApplyAsync(ShanzhiDbContext db, PassageCommitAccess access, CancellationToken cancellationToken)
    {
        if (_highestRead < 0)
        {
            _highestRead = await access.ReadLastIdOlderThanAsync(_options.CatchUpWindow, cancellationToken);
            Interlocked.Exchange(ref _watermark, _highestRead);
        }

        var now = Stopwatch.GetTimestamp();
        var totals = new CatchUpResult(0, 0);
        if (_gaps.Count > 0)
        {
            var filled = await access.ReadByIdsAsync([.. _gaps.Keys], cancellationToken);
            Interlocked.Add(ref _commitRowsRead, filled.Count);
            foreach (var commit in filled)
            {
                totals = await ApplyAsync(db, access, commit, totals, cancellationToken);
                _gaps.Remove(commit.Id);
            }
        }

        var rows = await access.ReadAboveAsync(_highestRead, cancellationToken);
        Interlocked.Add(ref _commitRowsRead, rows.Count);
        foreach (var commit in rows)
        {
            // NOTE: one entry per missing id, so an id sequence set forward by hand by millions
            // would hold that many entries until they time out.
            for (var missing = _highestRead + 1; missing < commit.Id; missing++)
            {
                _gaps.TryAdd(missing, now);
            }

            totals = await ApplyAsync(db, access, commit, totals, cancellationToken);
            _highestRead = commit.Id;
        }

        GiveUpExpiredGaps(now);
        Interlocked.Exchange(ref _watermark, _gaps.Count > 0 ? _gaps.Keys.First() - 1 : _highestRead);
        return totals;
    }

    private async Task<CatchUpResult> ApplyAsync(ShanzhiDbContext db, PassageCommitAccess access, CommitRef commit, CatchUpResult totals,
        CancellationToken cancellationToken)
    {
        if (commit.WriterId == _ownWriterId)
        {
            return totals;
        }

        var batch = await access.ReadPassagesAsync(commit.Id, cancellationToken);
        await LoadPlaceKindsAsync(db, batch, cancellationToken);
        _index.AddCommitted(batch);
        Interlocked.Increment(ref _appliedCommits);
        return new CatchUpResult(totals.Commits + 1, totals.Passages + batch.Count);
    }

    /// <summary>
    /// Gives the index the kinds of the places registered since the last poll, by any instance.
    /// A gate check at such a place that another instance's device sends to this instance is
    /// indexed by this instance's own writer, which has no kind for the place without this.
    /// </summary>
    /// <remarks>
    /// NOTE: on PostgreSQL a place whose id commits after a higher one is not seen here. Its kind
    /// still arrives with other instances' passages (<see cref="LoadPlaceKindsAsync"/>) and at restart.
    /// </remarks>
    private async Task LoadNewPlaceKindsAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var places = await db.Places.AsNoTracking().Where(p => p.Id > _highestPlaceId).OrderBy(p => p.Id)
            .Select(p => new { p.Id, p.Kind }).ToListAsync(cancellationToken);
        foreach (var place in places)
        {
            _index.SetPlaceKind(place.Id, place.Kind);
            _highestPlaceId = place.Id;
        }
    }

    /// <summary>
    /// Gives the index the kind of each place in <paramref name="batch"/> it has none for, before the
    /// passages are added. A place registered by another web instance reaches only that instance's
    /// index through <see cref="IPlaceObserver"/>, and without its kind this index would pair its
    /// passages with the unknown-kind dwell (2 h instead of 12 h at a residential compound).
    /// </summary>
    private async Task LoadPlaceKindsAsync(ShanzhiDbContext db, List<IndexedPassage> batch, CancellationToken cancellationToken)
    {
        var unknown = batch.Select(p => p.PlaceId).Distinct().Where(id => _index.PlaceKindOf(id) is null).ToList();
        if (unknown.Count == 0)
        {
            return;
        }

        var places = await db.Places.AsNoTracking().Where(p => unknown.Contains(p.Id)).Select(p => new { p.Id, p.Kind }).ToListAsync(cancellationToken);
        foreach (var place in places)
        {
            _index.SetPlaceKind(place.Id, place.Kind);
        }
    }

    /// <summary>Drops the gaps first missed more than the gap timeout before <paramref name="now"/>, logging each run of consecutive ids once.</summary>
    private void GiveUpExpiredGaps(long now)
    {
        var expired = _gaps.Where(g => Stopwatch.GetElapsedTime(g.Value, now) >= _options.CatchUpGapTimeout).Select(g => g.Key).ToList();
        for (var start = 0; start < expired.Count;)
        {
            var end = start;
            while (end + 1 < expired.Count && expired[end + 1] == expired[end] + 1)
            {
                end++;
            }

            _logger.CommitGapGivenUp(expired[start], expired[end], (long)_options.CatchUpGapTimeout.TotalSeconds);
            start = end + 1;
        }

        foreach (var id in expired)
        {
            _gaps.Remove(id);
        }
    }

    private async Task PruneLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PruneAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.CommitPruneFailed(e);
        }
    }

    /// <summary>
    /// Deletes the settled commit rows (ids up to <see cref="Watermark"/>) older than
    /// <see cref="TracingOptions.CommitRetention"/>, at most <see cref="TracingOptions.CommitPruneBatchSize"/>
    /// per statement with a short pause between statements, and returns how many it deleted. Nothing
    /// is deleted before the first poll.
    /// </summary>
    internal async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var settled = Watermark;
        if (settled <= 0)
        {
            return 0;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var access = PassageCommitAccess.For(db.Database.GetDbConnection());
            var total = 0;
            while (true)
            {
                var deleted = await access.DeleteExpiredAsync(settled, _options.CommitRetention, _options.CommitPruneBatchSize, cancellationToken);
                total += deleted;
                Interlocked.Increment(ref _pruneStatements);
                if (deleted < _options.CommitPruneBatchSize)
                {
                    break;
                }

                await Task.Delay(PrunePause, cancellationToken);
            }

            if (total > 0)
            {
                _logger.CommitRowsPruned(total, _options.CommitRetention.TotalMinutes);
            }

            return total;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public override void Dispose()
    {
        _polling.Dispose();
        base.Dispose();
    }
}
