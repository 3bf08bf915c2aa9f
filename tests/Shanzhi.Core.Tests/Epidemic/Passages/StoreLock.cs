using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary>
/// Holds the passages table's write lock until disposed, so the passage writer blocks inside its
/// transaction: an uncommitted insert on SQLite, LOCK TABLE … EXCLUSIVE on PostgreSQL. Readers
/// still read. Disposing rolls back, so the SQLite lock row never lands.
/// </summary>
internal sealed class StoreLock(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    public static async Task<StoreLock> TakeAsync(TestStore store)
    {
        DbConnection connection = store.Kind == StoreKind.Sqlite
            ? new SqliteConnection($"Data Source={store.Options.SqlitePath};Pooling=False")
            : new NpgsqlConnection(store.Options.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = store.Kind == StoreKind.Sqlite
            ? "INSERT INTO passages (device_id, device_sequence, entrance_id, place_id, occurred_at, direction, decision, channel, received_at, occurred_hour) " +
              "VALUES (-1, -1, 0, 0, 0, 1, 1, 0, 0, 0)"
            : "LOCK TABLE passages IN EXCLUSIVE MODE";
        await command.ExecuteNonQueryAsync();
        return new StoreLock(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.RollbackAsync();
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
