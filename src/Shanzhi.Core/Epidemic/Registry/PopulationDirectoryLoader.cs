using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// Loads the <see cref="PopulationDirectory"/> at start and then polls the store every <see cref="PollInterval"/> for
/// persons whose <c>updated_at</c> falls in the poll's stamp ranges (<see cref="StampWindows"/>). Every status change and
/// every registration sets <c>updated_at</c>. Let L be the time from a writer's stamp to its commit on this process's
/// clock, so that clock skew between the two processes counts in L. A change that another process commits with L up to
/// <see cref="FreshAge"/> reaches this process's gate checks within one poll interval, plus the poll's own query time.
/// A change with L up to <see cref="Overlap"/> arrives within L plus one poll interval after its commit.
/// </summary>
/// <remarks>
/// <para>
/// A writer may commit a row some time after stamping it, so a poll must also read stamps older than the previous poll.
/// Reading every stamp of the last <see cref="Overlap"/> at every poll would read each change about 30 times, which after
/// an upstream update of a million persons keeps a core busy. Instead every poll reads the stamps from
/// <see cref="FreshAge"/> before the previous poll's start on, and reads an older stamp once more as its age passes each
/// of <see cref="RereadAges"/>. The remarks on <see cref="StampWindows"/> show why this keeps the guarantee above. At polls
/// one second apart each change is read about 7 times: about 3 times while fresh and once at each of the 4 reread ages.
/// </para>
/// <para>
/// A failed poll does not move the previous poll's start, so the next successful poll reads the ranges of both. The
/// directory serves gate checks only while polls succeed: after <see cref="MaxSilence"/> without a successful poll it is marked not
/// ready and gate checks read the store, so a lost store connection cannot leave an old green status in force.
/// </para>
/// </remarks>
public sealed class PopulationDirectoryLoader(IServiceScopeFactory scopes, PopulationDirectory directory, TimeProvider clock,
    ILogger<PopulationDirectoryLoader> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The maximum time from a writer's <c>updated_at</c> stamp to its commit that polls still cover, clock skew included.</summary>
    public static readonly TimeSpan Overlap = StampWindows.Overlap;

    public static readonly TimeSpan MaxSilence = TimeSpan.FromSeconds(10);

    /// <summary>How long before the previous poll's start a stamp is still read by every poll.</summary>
    public static readonly TimeSpan FreshAge = StampWindows.FreshAge;

    /// <summary>The ages at which a stamp older than <see cref="FreshAge"/> is read once more. Each is at most twice the one before.</summary>
    public static readonly IReadOnlyList<TimeSpan> RereadAges = StampWindows.RereadAges;

    private const int BatchSize = 8192;

    // The poller's clock at the start of the last successful poll (or load).
    private DateTimeOffset _lastPoll;
    private long _pruneBelow;

    /// <summary>Rows read by polls since this loader was created; the load's full read is not counted.</summary>
    internal long PolledRows { get; private set; }

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

            await ReadPersonsAsync(db, null, rows => directory.Apply(rows, forgets), cancellationToken);
        }

        // Rows committed while the table was read may be missing from the read's snapshot.
        _lastPoll = started;
        await PollAsync(cancellationToken);
        logger.DirectoryLoaded(directory.Count, directory.MemoryBytes / (1024 * 1024), watch.ElapsedMilliseconds);
    }

    /// <summary>Applies the persons whose <c>updated_at</c> falls in this poll's stamp ranges (<see cref="StampWindows.Between"/>) and marks the directory ready.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        var forgets = directory.ForgetSequence;
        var ranges = StampWindows.Between(_lastPoll, started);

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            PolledRows += await ReadPersonsAsync(db, ranges, rows => directory.Apply(rows, forgets), cancellationToken);
        }

        // Guards of forgets older than the previous poll's start protect no read still running: store reads take milliseconds, polls a second apart.
        directory.Prune(_pruneBelow);
        _pruneBelow = forgets;
        _lastPoll = started;
        directory.MarkReady(true);
    }

    /// <summary>Streams every person's key, blind-index prefix, status and residency with a plain data reader, in batches, and returns the number of rows read.</summary>
    internal static async Task<long> ReadAllAsync(DbConnection connection, Action<ReadOnlySpan<PopulationRow>> consume, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = AllPersons;
        command.CommandTimeout = 0;
        return await ReadRowsAsync(command, consume, cancellationToken);
    }

    /// <summary>Streams every person, or with <paramref name="ranges"/> the persons whose <c>updated_at</c> falls in one of them, as <see cref="ReadAllAsync"/> does.</summary>
    private static async Task<long> ReadPersonsAsync(ShanzhiDbContext db, List<StampRange>? ranges, Action<ReadOnlySpan<PopulationRow>> consume,
        CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = AllPersons;
            if (ranges is null)
            {
                command.CommandTimeout = 0;
            }
            else
            {
                AddStampFilter(db, command, ranges);
            }

            return await ReadRowsAsync(command, consume, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void AddStampFilter(ShanzhiDbContext db, DbCommand command, List<StampRange> ranges)
    {
        // The property's type mapping converts each bound to the stored form: UTC ticks on SQLite, timestamptz on PostgreSQL.
        var updatedAt = db.Model.FindEntityType(typeof(Person))!.FindProperty(nameof(Person.UpdatedAt))!;
        var column = updatedAt.GetColumnName();
        var mapping = updatedAt.GetRelationalTypeMapping();

        var conditions = new List<string>(ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            var from = mapping.CreateParameter(command, $"@from{i}", ranges[i].From);
            command.Parameters.Add(from);
            if (ranges[i].Until is { } until)
            {
                var before = mapping.CreateParameter(command, $"@until{i}", until);
                command.Parameters.Add(before);
                conditions.Add($"({column} >= {from.ParameterName} AND {column} < {before.ParameterName})");
            }
            else
            {
                conditions.Add($"{column} >= {from.ParameterName}");
            }
        }

        command.CommandText += $" WHERE {string.Join(" OR ", conditions)}";
    }

    private static async Task<long> ReadRowsAsync(DbCommand command, Action<ReadOnlySpan<PopulationRow>> consume, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var batch = ArrayPool<PopulationRow>.Shared.Rent(BatchSize);
        try
        {
            var count = 0;
            var read = 0L;
            var index = new byte[8];

            // Over 100k rows, Microsoft.Data.Sqlite 10 allocated about 380 bytes per row for GetBytes on the blind index and ran 3 to 4
            // times slower than GetFieldValue, which allocates only the 32-byte array. Npgsql 10's GetBytes allocated nothing.
            var readWholeIndex = reader is SqliteDataReader;
            while (await reader.ReadAsync(cancellationToken))
            {
                ulong prefix;
                if (readWholeIndex)
                {
                    prefix = PopulationDirectory.Prefix(reader.GetFieldValue<byte[]>(1));
                }
                else
                {
                    reader.GetBytes(1, 0, index, 0, 8);
                    prefix = PopulationDirectory.Prefix(index);
                }

                var status = reader.GetInt32(2);
                batch[count++] = new PopulationRow(reader.GetInt64(0), prefix, status == 0 ? null : (HealthStatus)status, (ResidencyClass)reader.GetInt32(3));
                read++;
                if (count == BatchSize)
                {
                    consume(batch.AsSpan(0, count));
                    count = 0;
                }
            }

            consume(batch.AsSpan(0, count));
            return read;
        }
        finally
        {
            ArrayPool<PopulationRow>.Shared.Return(batch);
        }
    }

    // Enums are stored by name; the CASE turns them into their numbers so the reader allocates no strings.
    private static readonly string AllPersons =
        $"SELECT \"key\", id_number_index, {NumberOf<HealthStatus>("status")}, {NumberOf<ResidencyClass>("residency")} FROM {Person.Table}";

    private static string NumberOf<TEnum>(string column)
        where TEnum : struct, Enum =>
        $"CASE {column} {string.Concat(Enum.GetValues<TEnum>().Select(v => $"WHEN '{v}' THEN {Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)} "))}ELSE 0 END";
}

