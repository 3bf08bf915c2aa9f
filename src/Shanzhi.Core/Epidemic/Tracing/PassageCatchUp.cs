using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>What one catch-up poll added to the contact index: commit rows of other writers and their identified passages.</summary>
public readonly record struct CatchUpResult(int Commits, int Passages);

/// <summary>
/// Adds to the contact index the passages that other processes (the CLI import, another web
/// instance) commit to the same store. Every <see cref="TracingOptions.CatchUpInterval"/> it reads
/// the <see cref="PassageCommit"/> rows of other writers from the last
/// <see cref="TracingOptions.CatchUpWindow"/>, loads the passages of each row not yet applied by
/// their key ranges and adds them as committed passages. It also deletes commit rows older than
/// <see cref="PassageCommit.Retention"/>.
/// </summary>
/// <remarks>
/// <para>Why a window and not "ids above the last one seen": on PostgreSQL, commit ids come from a
/// sequence when a transaction inserts its row, not when it commits, so a lower id can become
/// visible after a higher one. Each poll re-reads the ids of the whole window and skips those it
/// applied, and it drops an id from that set once the id leaves the window, so the set stays bounded.</para>
/// <para>Why applying twice is harmless: the index ignores a passage it already holds
/// (<see cref="ContactIndex"/>), so a commit that the start-up rebuild also read, or that this
/// process applies again after a restart, changes nothing. The first poll runs at start and reads
/// the whole window, which covers the transactions committed while the index was being rebuilt.</para>
/// <para>The own writer's rows are skipped by <see cref="PassageWriter.WriterId"/>, because its
/// passages reached the index as an observer already.</para>
/// </remarks>
public sealed class PassageCatchUp : BackgroundService
{
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly IServiceScopeFactory _scopes;
    private readonly ContactIndex _index;
    private readonly TracingOptions _options;
    private readonly ILogger<PassageCatchUp> _logger;
    private readonly long _ownWriterId;
    private readonly SemaphoreSlim _polling = new(1, 1);
    private HashSet<long> _applied = [];
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;
    private long _appliedCommits;

    /// <param name="writer">This process's passage writer, whose commits are skipped, or null in a process that writes none.</param>
    public PassageCatchUp(IServiceScopeFactory scopes, ContactIndex index, IOptions<TracingOptions> options, ILogger<PassageCatchUp> logger,
        PassageWriter? writer = null)
    {
        _scopes = scopes;
        _index = index;
        _options = options.Value;
        _logger = logger;
        _ownWriterId = writer?.WriterId ?? 0;
        if (_options.CatchUpInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Tracing:CatchUpInterval {_options.CatchUpInterval} is invalid. Set a positive interval such as 00:00:01.");
        }

        if (_options.CatchUpWindow <= _options.CatchUpInterval || _options.CatchUpWindow >= PassageCommit.Retention)
        {
            throw new InvalidOperationException(
                $"Tracing:CatchUpWindow {_options.CatchUpWindow} is invalid. Set it longer than Tracing:CatchUpInterval and shorter than {PassageCommit.Retention}, such as 00:10:00.");
        }
    }

    /// <summary>Commit rows of other writers applied since start, by the background loop and by <see cref="PollAsync"/>.</summary>
    public long AppliedCommits => Interlocked.Read(ref _appliedCommits);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _logger.CatchUpStarted((long)_options.CatchUpInterval.TotalMilliseconds, (long)_options.CatchUpWindow.TotalSeconds);

        // Real time, not the platform's TimeProvider: the poll is a technical cadence, and a test's
        // frozen clock must not stop it.
        using var timer = new PeriodicTimer(_options.CatchUpInterval);
        var failures = 0;
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
    /// Adds the passages of the other writers' commits in the window that were not added yet, and
    /// deletes expired commit rows at most once an hour. The background loop calls this; tests call
    /// it to poll at once. A commit that failed to load is retried by the next poll.
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
                var access = CommitAccess.For(db.Database.GetDbConnection());
                var recent = await access.ReadRecentAsync(_ownWriterId, _options.CatchUpWindow, cancellationToken);
                var (commits, passages) = (0, 0);
                foreach (var id in recent)
                {
                    if (_applied.Contains(id))
                    {
                        continue;
                    }

                    var batch = await access.ReadPassagesAsync(id, cancellationToken);
                    _index.AddCommitted(batch);
                    _applied.Add(id);
                    Interlocked.Increment(ref _appliedCommits);
                    commits++;
                    passages += batch.Count;
                }

                // Ids that left the window are read no more, so they need not be remembered.
                _applied = [.. recent.Where(_applied.Contains)];
                await PruneIfDueAsync(access, cancellationToken);
                return new CatchUpResult(commits, passages);
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

    private async Task PruneIfDueAsync(CommitAccess access, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        if (now < _nextPrune)
        {
            return;
        }

        var deleted = await access.DeleteOlderThanAsync(PassageCommit.Retention, cancellationToken);
        _nextPrune = now + PruneInterval;
        if (deleted > 0)
        {
            _logger.CommitRowsPruned(deleted, PassageCommit.Retention.TotalHours);
        }
    }

    public override void Dispose()
    {
        _polling.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The provider-specific SQL of the catch-up. Ages are measured on the database server's clock on
    /// PostgreSQL and on the system clock on SQLite, the clocks the writers stamp their rows with.
    /// </summary>
    private abstract class CommitAccess(DbConnection connection)
    {
        private const string Columns = "p.person_key, p.place_id, p.occurred_at, p.direction";

        protected DbConnection Connection { get; } = connection;

        public static CommitAccess For(DbConnection connection) => connection switch
        {
            SqliteConnection sqlite => new SqliteAccess(sqlite),
            NpgsqlConnection postgres => new PostgresAccess(postgres),
            _ => throw new NotSupportedException($"No passage catch-up for {connection.GetType().Name}."),
        };

        /// <summary>Ids of the commit rows from the last <paramref name="window"/> written by writers other than <paramref name="ownWriterId"/>, in id order.</summary>
        public abstract Task<List<long>> ReadRecentAsync(long ownWriterId, TimeSpan window, CancellationToken cancellationToken);

        /// <summary>Deletes the commit rows older than <paramref name="age"/> and returns how many it deleted.</summary>
        public abstract Task<int> DeleteOlderThanAsync(TimeSpan age, CancellationToken cancellationToken);

        /// <summary>The identified passages a commit row names; the retention job may have deleted some of them since.</summary>
        public async Task<List<IndexedPassage>> ReadPassagesAsync(long commitId, CancellationToken cancellationToken)
        {
            await using var command = Connection.CreateCommand();
            command.CommandText = $"SELECT ranges FROM {PassageCommit.Table} WHERE id = @id";
            AddParameter(command, "id", commitId);
            var ranges = await command.ExecuteScalarAsync(cancellationToken) is byte[] bytes ? PassageKeyRanges.Decode(bytes) : [];
            var passages = new List<IndexedPassage>();
            if (ranges.Length > 0)
            {
                await ReadPassagesAsync(ranges, passages, cancellationToken);
            }

            return passages;
        }

        protected abstract Task ReadPassagesAsync(PassageKeyRange[] ranges, List<IndexedPassage> passages, CancellationToken cancellationToken);

        protected static void AddParameter(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        protected static async Task<List<long>> ReadIdsAsync(DbCommand command, CancellationToken cancellationToken)
        {
            var ids = new List<long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                ids.Add(reader.GetInt64(0));
            }

            return ids;
        }

        /// <summary>
        /// SQLite: one primary-key range read per run of sequences. The store is local, so a query
        /// per range costs no round trip.
        /// </summary>
        private sealed class SqliteAccess(SqliteConnection connection) : CommitAccess(connection)
        {
            public override async Task<List<long>> ReadRecentAsync(long ownWriterId, TimeSpan window, CancellationToken cancellationToken)
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = $"SELECT id FROM {PassageCommit.Table} WHERE committed_at >= @since AND writer_id <> @own ORDER BY id";
                AddParameter(command, "since", (DateTimeOffset.UtcNow - window).UtcTicks);
                AddParameter(command, "own", ownWriterId);
                return await ReadIdsAsync(command, cancellationToken);
            }

            public override async Task<int> DeleteOlderThanAsync(TimeSpan age, CancellationToken cancellationToken)
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = $"DELETE FROM {PassageCommit.Table} WHERE committed_at < @cutoff";
                AddParameter(command, "cutoff", (DateTimeOffset.UtcNow - age).UtcTicks);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }

            protected override async Task ReadPassagesAsync(PassageKeyRange[] ranges, List<IndexedPassage> passages, CancellationToken cancellationToken)
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = $"SELECT {Columns} FROM {Passage.Table} p " +
                    "WHERE p.device_id = @device AND p.device_sequence BETWEEN @first AND @last AND p.person_key IS NOT NULL";
                var device = command.CreateParameter();
                var first = command.CreateParameter();
                var last = command.CreateParameter();
                (device.ParameterName, first.ParameterName, last.ParameterName) = ("device", "first", "last");
                command.Parameters.AddRange(new[] { device, first, last });
                foreach (var range in ranges)
                {
                    (device.Value, first.Value, last.Value) = (range.DeviceId, range.FirstSequence, range.LastSequence);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        // SQLite stores instants as UTC ticks (the context's value converter).
                        passages.Add(new IndexedPassage(reader.GetInt64(0), reader.GetInt64(1), new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero),
                            (PassageDirection)reader.GetInt16(3)));
                    }
                }
            }
        }

        /// <summary>PostgreSQL: all ranges of a commit row in one query, joined to the primary key through <c>unnest</c>.</summary>
        private sealed class PostgresAccess(NpgsqlConnection connection) : CommitAccess(connection)
        {
            public override async Task<List<long>> ReadRecentAsync(long ownWriterId, TimeSpan window, CancellationToken cancellationToken)
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = $"SELECT id FROM {PassageCommit.Table} WHERE committed_at >= clock_timestamp() - @window AND writer_id <> @own ORDER BY id";
                AddParameter(command, "window", window);
                AddParameter(command, "own", ownWriterId);
                return await ReadIdsAsync(command, cancellationToken);
            }

            public override async Task<int> DeleteOlderThanAsync(TimeSpan age, CancellationToken cancellationToken)
            {
                await using var command = Connection.CreateCommand();
                command.CommandText = $"DELETE FROM {PassageCommit.Table} WHERE committed_at < clock_timestamp() - @age";
                AddParameter(command, "age", age);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            }

            protected override async Task ReadPassagesAsync(PassageKeyRange[] ranges, List<IndexedPassage> passages, CancellationToken cancellationToken)
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT {Columns} FROM unnest(@devices, @firsts, @lasts) AS r(device_id, first_sequence, last_sequence) " +
                    $"JOIN {Passage.Table} p ON p.device_id = r.device_id AND p.device_sequence BETWEEN r.first_sequence AND r.last_sequence WHERE p.person_key IS NOT NULL",
                    (NpgsqlConnection)Connection)
                {
                    Parameters =
                    {
                        new("devices", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ranges.Select(r => r.DeviceId).ToArray() },
                        new("firsts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ranges.Select(r => r.FirstSequence).ToArray() },
                        new("lasts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ranges.Select(r => r.LastSequence).ToArray() },
                    },
                };
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    passages.Add(new IndexedPassage(reader.GetInt64(0), reader.GetInt64(1), new DateTimeOffset(reader.GetFieldValue<DateTime>(2)),
                        (PassageDirection)reader.GetInt16(3)));
                }
            }
        }
    }
}
