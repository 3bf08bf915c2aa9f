using System.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Passages;

/// <summary>
/// Raw ADO.NET access for the writer: one held connection, one transaction per call. Rows are
/// written in the columns and encodings EF Core uses for <see cref="Passage"/> (UTC ticks on
/// SQLite, <c>timestamptz</c> on PostgreSQL, enums as small integers), so EF reads them back.
/// </summary>
internal interface IPassageStore : IAsyncDisposable
{
    /// <summary>
    /// Inserts the rows, whose keys are distinct, in one committed transaction and returns for each
    /// whether it was new (false: that device and sequence were already stored).
    /// </summary>
    Task<bool[]> InsertAsync(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    static IPassageStore For(StorageOptions storage) => storage.Provider switch
    {
        StorageProvider.Sqlite => new SqlitePassageStore(storage.SqlitePath),
        StorageProvider.Postgres => new PostgresPassageStore(storage.ConnectionString!),
        _ => throw new InvalidOperationException($"Unknown storage provider {storage.Provider}."),
    };
}

internal static class PassageColumns
{
    public const string List =
        "device_id, device_sequence, entrance_id, place_id, person_key, occurred_at, direction, decision, channel, status_at_passage, received_at";
}

/// <summary>
/// SQLite: one prepared INSERT … ON CONFLICT DO NOTHING reused for every row of a transaction; the
/// changed-row count separates new rows from duplicates. WAL with synchronous=FULL, so a commit that
/// returned is on disk.
/// </summary>
internal sealed class SqlitePassageStore(string path) : IPassageStore
{
    private SqliteConnection? _connection;

    public async Task<bool[]> InsertAsync(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO passages ({PassageColumns.List}) VALUES ($d, $s, $e, $p, $k, $o, $dir, $dec, $c, $st, $r) " +
                "ON CONFLICT(device_id, device_sequence) DO NOTHING";
            var device = command.Parameters.Add("$d", SqliteType.Integer);
            var sequence = command.Parameters.Add("$s", SqliteType.Integer);
            var entrance = command.Parameters.Add("$e", SqliteType.Integer);
            var place = command.Parameters.Add("$p", SqliteType.Integer);
            var person = command.Parameters.Add("$k", SqliteType.Integer);
            var occurred = command.Parameters.Add("$o", SqliteType.Integer);
            var direction = command.Parameters.Add("$dir", SqliteType.Integer);
            var decision = command.Parameters.Add("$dec", SqliteType.Integer);
            var channel = command.Parameters.Add("$c", SqliteType.Integer);
            var status = command.Parameters.Add("$st", SqliteType.Integer);
            command.Parameters.Add("$r", SqliteType.Integer).Value = receivedAt.UtcTicks;
            command.Prepare();

            var inserted = new bool[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                device.Value = row.DeviceId;
                sequence.Value = row.DeviceSequence;
                entrance.Value = row.EntranceId;
                place.Value = row.PlaceId;
                person.Value = row.PersonKey is { } key ? key : DBNull.Value;
                occurred.Value = row.OccurredAt.UtcTicks;
                direction.Value = (short)row.Direction;
                decision.Value = (short)row.Decision;
                channel.Value = (short)row.Channel;
                status.Value = row.StatusAtPassage is { } s ? (short)s : DBNull.Value;

                // The synchronous call: for SQLite the async one only wraps it and costs an allocation per row.
                inserted[i] = command.ExecuteNonQuery() == 1;
            }

            await transaction.CommitAsync(cancellationToken);
            return inserted;
        }
        catch
        {
            await DropConnectionAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: ConnectionState.Open })
        {
            return _connection;
        }

        // Not pooled: the writer keeps this connection open for its whole life.
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        // 64 MiB of page cache keeps the three secondary indexes' hot pages in memory between transactions.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        _connection = connection;
        return connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public ValueTask DisposeAsync() => new(DropConnectionAsync());
}

/// <summary>
/// PostgreSQL: the whole transaction is one INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO
/// NOTHING, which returns the keys it stored. One round trip however many rows.
/// </summary>
internal sealed class PostgresPassageStore(string connectionString) : IPassageStore
{
    private const string Sql =
        $"INSERT INTO passages ({PassageColumns.List}) " +
        "SELECT d, s, e, p, k, o, dir, dec, c, st, $11 FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS t(d, s, e, p, k, o, dir, dec, c, st) " +
        "ON CONFLICT (device_id, device_sequence) DO NOTHING RETURNING device_id, device_sequence";

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    public async Task<bool[]> InsertAsync(IReadOnlyList<PassageRecord> rows, DateTimeOffset receivedAt, CancellationToken cancellationToken)
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
        var index = new Dictionary<(long, long), int>(n);
        for (var i = 0; i < n; i++)
        {
            var row = rows[i];
            (device[i], sequence[i], entrance[i], place[i], person[i]) = (row.DeviceId, row.DeviceSequence, row.EntranceId, row.PlaceId, row.PersonKey);
            occurred[i] = row.OccurredAt.UtcDateTime;
            (direction[i], decision[i], channel[i]) = ((short)row.Direction, (short)row.Decision, (short)row.Channel);
            status[i] = row.StatusAtPassage is { } s ? (short)s : null;
            index[(row.DeviceId, row.DeviceSequence)] = i;
        }

        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Sql, connection, transaction)
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
            },
        };

        var inserted = new bool[n];
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted[index[(reader.GetInt64(0), reader.GetInt64(1))]] = true;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
