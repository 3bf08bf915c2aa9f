using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// Loads the <see cref="PopulationDirectory"/> at start and then polls the store every
/// <see cref="PollInterval"/> for persons whose <c>updated_at</c> is at most <see cref="Overlap"/>
/// before the start of the previous poll. Every status change and every registration sets
/// <c>updated_at</c>, so a change committed by another process reaches this process's gate checks
/// within one poll interval (plus the poll's own query time). That holds while a change commits
/// within <see cref="Overlap"/> of the <c>updated_at</c> its writer stamped, clock skew between the
/// writer and this process included.
/// </summary>
/// <remarks>
/// The directory answers only while polls succeed: after <see cref="MaxSilence"/> without a
/// successful poll it is marked not ready and gate checks read the store, so a lost store
/// connection cannot leave an old green status in force.
/// </remarks>
public sealed class PopulationDirectoryLoader(IServiceScopeFactory scopes, PopulationDirectory directory, TimeProvider clock,
    ILogger<PopulationDirectoryLoader> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(10);

    private const int BatchSize = 8192;

    // The poller's clock at the start of the last successful poll (or load).
    private DateTimeOffset _lastPoll;
    private long _pruneBelow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await LoadAsync(stoppingToken);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.DirectoryLoadFailed(e);
                await Task.Delay(MaxSilence, clock, stoppingToken);
            }
        }

        using var timer = new PeriodicTimer(PollInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                var silent = clock.GetUtcNow() - _lastPoll;
                logger.DirectoryPollFailed(e, (long)silent.TotalSeconds);
                if (silent > MaxSilence)
                {
                    directory.MarkReady(false);
                }
            }
        }
    }

    /// <summary>Reads every person, then the rows changed during the read, and marks the directory ready.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        logger.DirectoryLoadStarted();
        var watch = Stopwatch.StartNew();
        var started = clock.GetUtcNow();
        var forgets = directory.ForgetSequence;

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            var count = await db.Persons.LongCountAsync(cancellationToken);
            var maxKey = await db.Persons.MaxAsync(p => (long?)p.Key, cancellationToken);
            directory.Reserve(count, maxKey ?? 0);

            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await ReadAllAsync(db.Database.GetDbConnection(), rows => directory.Apply(rows, forgets), cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        // Rows committed while the table was read may be missing from the read's snapshot.
        _lastPoll = started;
        await PollAsync(cancellationToken);
        logger.DirectoryLoaded(directory.Count, directory.MemoryBytes / (1024 * 1024), watch.ElapsedMilliseconds);
    }

    /// <summary>Applies the persons changed since <see cref="Overlap"/> before the previous poll and marks the directory ready.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var forgets = directory.ForgetSequence;
        var since = _lastPoll - Overlap;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var changed = await db.Persons.AsNoTracking()
            .Where(p => p.UpdatedAt >= since)
            .Select(p => new { p.Key, p.IdNumberIndex, p.Status, p.Residency })
            .ToListAsync(cancellationToken);
        var rows = changed.Select(p => new PopulationRow(p.Key, PopulationDirectory.Prefix(p.IdNumberIndex), p.Status, p.Residency)).ToArray();
        directory.Apply(rows, forgets);

        // Guards of forgets older than the previous poll's start protect no read still running: store reads take milliseconds, polls a second apart.
        directory.Prune(_pruneBelow);
        _pruneBelow = forgets;
        _lastPoll = started;
        directory.MarkReady(true);
    }

    /// <summary>Streams every person's key, blind-index prefix, status and residency with a plain data reader, in batches.</summary>
    internal static async Task ReadAllAsync(DbConnection connection, Action<ReadOnlySpan<PopulationRow>> consume, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = AllPersons;
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = new PopulationRow[BatchSize];
        var count = 0;
        var index = new byte[32];
        while (await reader.ReadAsync(cancellationToken))
        {
            reader.GetBytes(1, 0, index, 0, 8);
            var status = reader.GetInt32(2);
            batch[count++] = new PopulationRow(reader.GetInt64(0), PopulationDirectory.Prefix(index), status == 0 ? null : (HealthStatus)status,
                (ResidencyClass)reader.GetInt32(3));
            if (count == BatchSize)
            {
                consume(batch);
                count = 0;
            }
        }

        consume(batch.AsSpan(0, count));
    }

    // Enums are stored by name; the CASE turns them into their numbers so the reader allocates no strings.
    private static readonly string AllPersons =
        $"SELECT \"key\", id_number_index, {NumberOf<HealthStatus>("status")}, {NumberOf<ResidencyClass>("residency")} FROM {Person.Table}";

    private static string NumberOf<TEnum>(string column)
        where TEnum : struct, Enum =>
        $"CASE {column} {string.Concat(Enum.GetValues<TEnum>().Select(v => $"WHEN '{v}' THEN {Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)} "))}ELSE 0 END";
}
