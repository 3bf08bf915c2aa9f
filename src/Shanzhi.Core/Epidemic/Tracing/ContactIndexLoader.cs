using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Storage;
using SQLitePCL;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// Rebuilds the <see cref="ContactIndex"/> at start from the identified passages. A second thread
/// reads the store into pooled batches while this one numbers the previous batch's persons and
/// places into a <see cref="RebuildBuffer"/>, so the read and that work overlap; when the read
/// ends, the index pairs all passages and lays out the stays in one bulk build. Passages committed
/// while it runs are held back by the index and built in (<see cref="ContactIndex.BeginRebuild"/>).
/// </summary>
/// <remarks>
/// Reads go below the ADO.NET data reader to save its per-row cost. SQLite steps a prepared
/// statement through SQLitePCLRaw and reads the columns as integers, and PostgreSQL streams
/// <c>COPY (SELECT …) TO STDOUT (FORMAT BINARY)</c>. Only the four columns the index keeps are
/// read, in table order: the bulk build sorts each person's passages itself, so the database
/// need not sort the table by <c>occurred_at</c>.
/// </remarks>
public sealed class ContactIndexLoader(IServiceScopeFactory scopes, ContactIndex index, ILogger<ContactIndexLoader> logger) : BackgroundService
{
    private const int BatchSize = 65_536;

    /// <summary>Batches the reader may run ahead of the index: enough to ride out a slow Add, few enough to bound memory (about 2.5 MiB each).</summary>
    private const int BatchesAhead = 4;

    private const string Unordered = $"SELECT person_key, place_id, {Passage.OccurredAtColumn}, direction FROM {Passage.Table} WHERE person_key IS NOT NULL";

    private const string InTimeOrder = $"{Unordered} ORDER BY {Passage.OccurredAtColumn}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RebuildAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            index.EndRebuild();
            logger.RebuildFailed(e);
        }
    }

    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        logger.RebuildStarted();
        var clock = Stopwatch.StartNew();
        index.BeginRebuild();

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        await foreach (var place in db.Places.AsNoTracking().Select(p => new { p.Id, p.Kind }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            index.SetPlaceKind(place.Id, place.Kind);
        }

        var passages = new RebuildBuffer();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await ReadAsync(connection, batch => passages.Add(batch), cancellationToken, timeOrder: false);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        index.EndRebuild(passages);
        logger.RebuildFinished(index.PassageCount, index.StayCount, index.PersonCount, index.PlaceCount, clock.ElapsedMilliseconds);
    }

    /// <summary>
    /// Streams the identified passages to <paramref name="consume"/>, read on a second thread, in
    /// time order when <paramref name="timeOrder"/> is true and in table order otherwise. The
    /// benchmark times the read alone with a consumer that only counts, in both orders.
    /// </summary>
    internal static async Task ReadAsync(DbConnection connection, Action<ReadOnlySpan<IndexedPassage>> consume, CancellationToken cancellationToken, bool timeOrder)
    {
        var query = timeOrder ? InTimeOrder : Unordered;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pipe = new BatchPipe(stop.Token);
        var reading = Task.Factory.StartNew(() =>
        {
            try
            {
                switch (connection)
                {
                    case SqliteConnection sqlite:
                        ReadSqlite(sqlite, query, pipe);
                        break;
                    case NpgsqlConnection postgres:
                        ReadPostgres(postgres, query, pipe);
                        break;
                    default:
                        throw new NotSupportedException($"No passage reader for {connection.GetType().Name}.");
                }

                pipe.Complete(null);
            }
            catch (Exception e)
            {
                pipe.Complete(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            await foreach (var (passages, count) in pipe.Full.ReadAllAsync(cancellationToken))
            {
                consume(passages.AsSpan(0, count));
                pipe.Return(passages);
            }
        }
        finally
        {
            // A failed Add or a cancelled start must not leave the reader blocked on a full pipe.
            await stop.CancelAsync();
            await reading;
        }
    }

    private static void ReadSqlite(SqliteConnection connection, string query, BatchPipe pipe)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, query, out var statement));
        using (statement)
        {
            var batch = pipe.Rent();
            var count = 0;
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                // SQLite stores instants as UTC ticks (the context's value converter).
                batch[count++] = new IndexedPassage(
                    raw.sqlite3_column_int64(statement, 0),
                    raw.sqlite3_column_int64(statement, 1),
                    new DateTimeOffset(raw.sqlite3_column_int64(statement, 2), TimeSpan.Zero),
                    (PassageDirection)raw.sqlite3_column_int(statement, 3));
                if (count == BatchSize)
                {
                    pipe.Publish(batch, count);
                    (batch, count) = (pipe.Rent(), 0);
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                Check(db, rc);
            }

            pipe.Publish(batch, count);
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    private static void ReadPostgres(NpgsqlConnection connection, string query, BatchPipe pipe)
    {
        using var export = connection.BeginBinaryExport($"COPY ({query}) TO STDOUT (FORMAT BINARY)");
        export.Timeout = Timeout.InfiniteTimeSpan;
        var batch = pipe.Rent();
        var count = 0;
        while (export.StartRow() != -1)
        {
            batch[count++] = new IndexedPassage(
                export.Read<long>(NpgsqlDbType.Bigint),
                export.Read<long>(NpgsqlDbType.Bigint),
                new DateTimeOffset(export.Read<DateTime>(NpgsqlDbType.TimestampTz)),
                (PassageDirection)export.Read<short>(NpgsqlDbType.Smallint));
            if (count == BatchSize)
            {
                pipe.Publish(batch, count);
                (batch, count) = (pipe.Rent(), 0);
            }
        }

        pipe.Publish(batch, count);
    }

    /// <summary>Full batches from the reader to the index and the emptied arrays back, so a rebuild allocates only <see cref="BatchesAhead"/> + 2 arrays.</summary>
    private sealed class BatchPipe(CancellationToken stop)
    {
        private readonly Channel<(IndexedPassage[] Passages, int Count)> _full =
            Channel.CreateBounded<(IndexedPassage[], int)>(new BoundedChannelOptions(BatchesAhead) { SingleReader = true, SingleWriter = true });

        private readonly ConcurrentBag<IndexedPassage[]> _empty = [];

        public ChannelReader<(IndexedPassage[] Passages, int Count)> Full => _full.Reader;

        public IndexedPassage[] Rent() => _empty.TryTake(out var batch) ? batch : new IndexedPassage[BatchSize];

        public void Return(IndexedPassage[] batch) => _empty.Add(batch);

        /// <summary>Hands a batch to the index, waiting while the pipe is full; throws when the load was stopped.</summary>
        public void Publish(IndexedPassage[] batch, int count)
        {
            if (count == 0)
            {
                return;
            }

            var write = _full.Writer.WriteAsync((batch, count), stop);
            if (!write.IsCompletedSuccessfully)
            {
                write.AsTask().GetAwaiter().GetResult();
            }
        }

        public void Complete(Exception? error) => _full.Writer.TryComplete(error);
    }
}
