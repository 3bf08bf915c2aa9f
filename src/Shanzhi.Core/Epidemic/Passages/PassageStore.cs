using System.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Passages;

/// <summary>
/// Raw ADO.NET access for the writer: one held connection, one transaction per call. Rows are
/// written in the columns and encodings EF Core uses for <see cref="Passage"/> (UTC ticks on
/// SQLite, <c>timestamptz</c> on PostgreSQL, enums as small integers), so EF reads them back.
/// </summary>
internal interface IPassageStore : IDisposable
{
    /// <summary>
    /// Inserts the rows, whose keys are distinct, in one committed transaction and returns for each
    /// whether it was new (false: that device and sequence were already stored). When any row was
    /// new, the same transaction adds a <see cref="PassageCommit"/> row naming the new rows' keys.
    /// </summary>
    /// <remarks>Synchronous: the writer calls it from a thread of its own, so that a commit waits for no thread-pool thread.</remarks>
    bool[] Insert(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt);

    /// <summary>A store for the configured provider whose commit rows carry <paramref name="writerId"/>.</summary>
    static IPassageStore For(StorageOptions storage, long writerId) => storage.Provider switch
    {
        StorageProvider.Sqlite => new SqlitePassageStore(storage.SqlitePath, writerId),
        StorageProvider.Postgres => new PostgresPassageStore(storage.ConnectionString!, writerId),
        _ => throw new InvalidOperationException($"Unknown storage provider {storage.Provider}."),
    };

    /// <summary>The encoded key ranges of the rows marked new in <paramref name="inserted"/>, or null when none was.</summary>
    static byte[]? NewKeyRanges(IReadOnlyList<PassageRecord> rows, bool[] inserted)
    {
        var keys = new List<(long, long)>();
        for (var i = 0; i < inserted.Length; i++)
        {
            if (inserted[i])
            {
                keys.Add((rows[i].DeviceId, rows[i].DeviceSequence));
            }
        }

        return keys.Count == 0 ? null : PassageKeyRanges.Encode(PassageKeyRanges.From(keys));
    }
}

internal static class PassageColumns
{
    public const string List =
        "device_id, device_sequence, entrance_id, place_id, person_key, occurred_at, direction, decision, channel, status_at_passage, received_at, occurred_hour";
}

/// <summary>
/// SQLite: one INSERT … ON CONFLICT DO NOTHING for the passages and one INSERT for the commit row.
/// Each is prepared once for the life of the connection and driven through SQLitePCLRaw directly
/// (bind, step, reset), because Microsoft.Data.Sqlite's parameter objects cost more per row than the
/// B-tree inserts. The changed-row count separates
/// new rows from duplicates. WAL with synchronous=FULL, so a commit that returned is on disk.
/// </summary>
internal sealed class SqlitePassageStore(string path, long writerId) : IPassageStore
{
    private const string InsertSql =
        $"INSERT INTO passages ({PassageColumns.List}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) " +
        "ON CONFLICT(device_id, device_sequence) DO NOTHING";

    private const string CommitSql = $"INSERT INTO {PassageCommit.Table} (writer_id, committed_at, ranges) VALUES (?1, ?2, ?3)";

    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;
    private sqlite3_stmt? _insertCommit;

    public bool[] Insert(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt)
    {
        var connection = Open();
        try
        {
            var inserted = new bool[rows.Count];
            var db = connection.Handle!;
            var statement = _insert!;
            using var transaction = connection.BeginTransaction();
            Check(db, raw.sqlite3_bind_int64(statement, 11, receivedAt.UtcTicks));
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                Check(db, raw.sqlite3_bind_int64(statement, 1, row.DeviceId));
                Check(db, raw.sqlite3_bind_int64(statement, 2, row.DeviceSequence));
                Check(db, raw.sqlite3_bind_int64(statement, 3, row.EntranceId));
                Check(db, raw.sqlite3_bind_int64(statement, 4, row.PlaceId));
                Check(db, row.PersonKey is { } key ? raw.sqlite3_bind_int64(statement, 5, key) : raw.sqlite3_bind_null(statement, 5));
                Check(db, raw.sqlite3_bind_int64(statement, 6, row.OccurredAt.UtcTicks));
                Check(db, raw.sqlite3_bind_int64(statement, 7, (short)row.Direction));
                Check(db, raw.sqlite3_bind_int64(statement, 8, (short)row.Decision));
                Check(db, raw.sqlite3_bind_int64(statement, 9, (short)row.Channel));
                Check(db, row.StatusAtPassage is { } s ? raw.sqlite3_bind_int64(statement, 10, (short)s) : raw.sqlite3_bind_null(statement, 10));
                Check(db, raw.sqlite3_bind_int64(statement, 12, Passage.HourOf(row.OccurredAt)));
                Step(db, statement);
                inserted[i] = raw.sqlite3_changes(db) == 1;
            }

            if (IPassageStore.NewKeyRanges(rows, inserted) is { } ranges)
            {
                InsertCommit(db, ranges);
            }

            transaction.Commit();
            return inserted;
        }
        catch
        {
            DropConnection();
            throw;
        }
    }

    private void InsertCommit(sqlite3 db, byte[] ranges)
    {
        var statement = _insertCommit!;
        Check(db, raw.sqlite3_bind_int64(statement, 1, writerId));

        // UTC ticks, as the context stores instants on SQLite.
        Check(db, raw.sqlite3_bind_int64(statement, 2, DateTimeOffset.UtcNow.UtcTicks));
        Check(db, raw.sqlite3_bind_blob(statement, 3, ranges));
        Step(db, statement);
    }

    /// <summary>Runs a prepared statement that returns no rows and resets it for the next use.</summary>
    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var step = raw.sqlite3_step(statement);
        // Reset before checking, so a failed statement does not stay half-run inside the rolled-back transaction.
        raw.sqlite3_reset(statement);
        if (step != raw.SQLITE_DONE)
        {
            Check(db, step);
        }
    }

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, db);
        }
    }

    private SqliteConnection Open()
    {
        if (_connection is { State: ConnectionState.Open })
        {
            return _connection;
        }

        // Not pooled: the writer keeps this connection open for its whole life.
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // 64 MiB of page cache keeps the secondary indexes' hot pages in memory between transactions.
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;";
            pragmas.ExecuteNonQuery();
            Check(connection.Handle!, raw.sqlite3_prepare_v2(connection.Handle, InsertSql, out var insert));
            try
            {
                Check(connection.Handle!, raw.sqlite3_prepare_v2(connection.Handle, CommitSql, out var insertCommit));
                (_connection, _insert, _insertCommit) = (connection, insert, insertCommit);
            }
            catch
            {
                insert.Dispose();
                throw;
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void DropConnection()
    {
        _insert?.Dispose();
        _insert = null;
        _insertCommit?.Dispose();
        _insertCommit = null;
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => DropConnection();
}

/// <summary>
/// PostgreSQL: the whole transaction is one INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO
/// NOTHING, which returns the keys it stored. When any row was new, the same statement inserts the
/// commit row, naming all the transaction's keys. Only when some rows were duplicates does a second
/// round trip narrow it to the new keys, so the usual case is one round trip however many rows.
/// </summary>
internal sealed class PostgresPassageStore(string connectionString, long writerId) : IPassageStore
{
    private const string Sql =
        $"WITH stored AS (INSERT INTO passages ({PassageColumns.List}) " +
        "SELECT d, s, e, p, k, o, dir, dec, c, st, $11, h FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12) AS t(d, s, e, p, k, o, dir, dec, c, st, h) " +
        "ON CONFLICT (device_id, device_sequence) DO NOTHING RETURNING device_id, device_sequence), " +
        $"commit_row AS (INSERT INTO {PassageCommit.Table} (writer_id, committed_at, ranges) " +
        "SELECT $13, clock_timestamp(), $14 WHERE EXISTS (SELECT 1 FROM stored) RETURNING id) " +
        "SELECT stored.device_id, stored.device_sequence, commit_row.id FROM stored CROSS JOIN commit_row";

    private const string NarrowCommitSql = $"UPDATE {PassageCommit.Table} SET ranges = $2 WHERE id = $1";

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public bool[] Insert(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt)
    {
        var n = rows.Count;
        var device = new long[n];
        var sequence = new long[n];
        var entrance = new long[n];
        var place = new long[n];
        var person = new long?[n];
        var occurred = new DateTime[n];
        var direction = new short[n];
        var decision = new short[n];
        var channel = new short[n];
        var status = new short?[n];
        var hour = new long[n];
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            (device[i], sequence[i], entrance[i], place[i], person[i]) = (row.DeviceId, row.DeviceSequence, row.EntranceId, row.PlaceId, row.PersonKey);
            occurred[i] = row.OccurredAt.UtcDateTime;
            (direction[i], decision[i], channel[i]) = ((short)row.Direction, (short)row.Decision, (short)row.Channel);
            status[i] = row.StatusAtPassage is { } s ? (short)s : null;
            hour[i] = Passage.HourOf(row.OccurredAt);
        }

        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var command = new NpgsqlCommand(Sql, connection, transaction)
        {
            Parameters =
            {
                new() { Value = device, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = sequence, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = entrance, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = place, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = person, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = occurred, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                new() { Value = direction, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint },
                new() { Value = decision, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint },
                new() { Value = channel, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint },
                new() { Value = status, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint },
                new() { Value = receivedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new() { Value = hour, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new() { Value = writerId, NpgsqlDbType = NpgsqlDbType.Bigint },
                new() { Value = PassageKeyRanges.Encode(PassageKeyRanges.From(rows.Select(r => (r.DeviceId, r.DeviceSequence)))), NpgsqlDbType = NpgsqlDbType.Bytea },
            },
        };

        var stored = new List<(long, long)>(n);
        long commitId = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                stored.Add((reader.GetInt64(0), reader.GetInt64(1)));
                commitId = reader.GetInt64(2);
            }
        }

        var inserted = Inserted(rows, stored);
        if (stored.Count > 0 && stored.Count < n && IPassageStore.NewKeyRanges(rows, inserted) is { } ranges)
        {
            // Some rows were duplicates. Naming them would make the catch-up load passages that
            // are stored already, which changes nothing in the index but costs a read.
            using var narrow = new NpgsqlCommand(NarrowCommitSql, connection, transaction)
            {
                Parameters =
                {
                    new() { Value = commitId, NpgsqlDbType = NpgsqlDbType.Bigint },
                    new() { Value = ranges, NpgsqlDbType = NpgsqlDbType.Bytea },
                },
            };
            narrow.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    /// <summary>Which rows the returned keys name; the usual case, every row new, needs no lookup.</summary>
    private static bool[] Inserted(IReadOnlyList<PassageRecord> rows, List<(long, long)> stored)
    {
        var inserted = new bool[rows.Count];
        if (stored.Count == rows.Count)
        {
            Array.Fill(inserted, true);
            return inserted;
        }

        var index = new Dictionary<(long, long), int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            index[(rows[i].DeviceId, rows[i].DeviceSequence)] = i;
        }

        foreach (var key in stored)
        {
            inserted[index[key]] = true;
        }

        return inserted;
    }

    public void Dispose() => _source.Dispose();
}
