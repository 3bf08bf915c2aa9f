using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>The id of a <see cref="PassageCommit"/> row and the writer that wrote it.</summary>
internal readonly record struct CommitRef(long Id, long WriterId);

/// <summary>
/// The provider-specific SQL of <see cref="PassageCatchUp"/>. Ages are measured on the database
/// server's clock on PostgreSQL and on the system clock on SQLite, the clocks the writers stamp
/// their rows with.
/// </summary>
internal abstract class PassageCommitAccess(DbConnection connection)
{
    private const string Columns = "p.person_key, p.place_id, p.occurred_at, p.direction";

    protected DbConnection Connection { get; } = connection;

    public static PassageCommitAccess For(DbConnection connection) => connection switch
    {
        SqliteConnection sqlite => new SqliteAccess(sqlite),
        NpgsqlConnection postgres => new PostgresAccess(postgres),
        _ => throw new NotSupportedException($"No passage catch-up for {connection.GetType().Name}."),
    };

    /// <summary>
    /// The id of the last row written more than <paramref name="age"/> ago, or 0 when there is none.
    /// One lookup in the committed_at index, where <c>max(id)</c> would read every older entry. On
    /// PostgreSQL rows written within microseconds may have ids in the other order, which moves the
    /// start by a row or two at the edge of the window.
    /// </summary>
    public async Task<long> ReadLastIdOlderThanAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT id FROM {PassageCommit.Table} WHERE committed_at < {CutoffSql} ORDER BY committed_at DESC LIMIT 1";
        AddCutoff(command, age);
        return await command.ExecuteScalarAsync(cancellationToken) is long id ? id : 0;
    }

    /// <summary>The rows with ids above <paramref name="afterId"/>, in id order: a primary-key range read.</summary>
    public async Task<List<CommitRef>> ReadAboveAsync(long afterId, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = $"SELECT id, writer_id FROM {PassageCommit.Table} WHERE id > @after ORDER BY id";
        AddParameter(command, "after", afterId);
        return await ReadRefsAsync(command, cancellationToken);
    }

    /// <summary>Those of the rows with the given ids that are visible now, in id order.</summary>
    public abstract Task<List<CommitRef>> ReadByIdsAsync(long[] ids, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes at most <paramref name="limit"/> rows with ids up to <paramref name="maxId"/> that are
    /// older than <paramref name="age"/>, the lowest ids first, in one statement and so in one
    /// transaction, and returns how many it deleted.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(long maxId, TimeSpan age, int limit, CancellationToken cancellationToken)
    {
        await using var command = Connection.CreateCommand();
        command.CommandText = $"DELETE FROM {PassageCommit.Table} WHERE id IN " +
            $"(SELECT id FROM {PassageCommit.Table} WHERE id <= @max AND committed_at < {CutoffSql} ORDER BY id LIMIT @limit)";
        AddParameter(command, "max", maxId);
        AddParameter(command, "limit", limit);
        AddCutoff(command, age);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

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

    /// <summary>SQL for the instant <c>age</c> before now on the clock the writers stamp committed_at with, bound by <see cref="AddCutoff"/>.</summary>
    protected abstract string CutoffSql { get; }

    protected abstract void AddCutoff(DbCommand command, TimeSpan age);

    protected abstract Task ReadPassagesAsync(PassageKeyRange[] ranges, List<IndexedPassage> passages, CancellationToken cancellationToken);

    protected static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    protected static async Task<List<CommitRef>> ReadRefsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<CommitRef>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CommitRef(reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }

    /// <summary>
    /// SQLite: one primary-key range read per run of sequences. The store is local, so a query
    /// per range or per id costs no round trip.
    /// </summary>
    private sealed class SqliteAccess(SqliteConnection connection) : PassageCommitAccess(connection)
    {
        protected override string CutoffSql => "@cutoff";

        protected override void AddCutoff(DbCommand command, TimeSpan age) => AddParameter(command, "cutoff", (DateTimeOffset.UtcNow - age).UtcTicks);

        public override async Task<List<CommitRef>> ReadByIdsAsync(long[] ids, CancellationToken cancellationToken)
        {
            await using var command = Connection.CreateCommand();
            command.CommandText = $"SELECT id, writer_id FROM {PassageCommit.Table} WHERE id = @id";
            var id = command.CreateParameter();
            id.ParameterName = "id";
            command.Parameters.Add(id);
            var rows = new List<CommitRef>();
            foreach (var value in ids.Order())
            {
                id.Value = value;
                rows.AddRange(await ReadRefsAsync(command, cancellationToken));
            }

            return rows;
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
    private sealed class PostgresAccess(NpgsqlConnection connection) : PassageCommitAccess(connection)
    {
        protected override string CutoffSql => "clock_timestamp() - @age";

        protected override void AddCutoff(DbCommand command, TimeSpan age) => AddParameter(command, "age", age);

        public override async Task<List<CommitRef>> ReadByIdsAsync(long[] ids, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand($"SELECT id, writer_id FROM {PassageCommit.Table} WHERE id = ANY(@ids) ORDER BY id", (NpgsqlConnection)Connection)
            {
                Parameters = { new("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = ids } },
            };
            return await ReadRefsAsync(command, cancellationToken);
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
