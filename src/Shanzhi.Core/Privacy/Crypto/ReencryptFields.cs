using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Crypto;

/// <summary>Rows rewritten under the active key, per field and in total.</summary>
public sealed record ReencryptionReport(IReadOnlyList<(EncryptedField Field, int Scanned, int Rewritten)> Fields)
{
    public int Rewritten => Fields.Sum(f => f.Rewritten);
}

/// <summary>
/// Re-encrypts every registered <see cref="EncryptedField"/> under the active encryption key, in
/// batches of rows ordered by id. Each batch is one transaction that re-reads its rows. It rewrites
/// a value only if the value is still under an old key and unchanged since it was read
/// (compare-and-set), so the platform can keep writing meanwhile. Running it again resumes an
/// interrupted run.
/// </summary>
public sealed class ReencryptFields(IEnumerable<EncryptedField> fields, FieldCipher cipher, IServiceScopeFactory scopes)
{
    public async Task<ReencryptionReport> RunAsync(int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var results = new List<(EncryptedField, int, int)>();
        foreach (var field in fields.DistinctBy(f => (f.Table, f.CiphertextColumn)))
        {
            var (scanned, rewritten) = await ReencryptAsync(field, batchSize, cancellationToken);
            results.Add((field, scanned, rewritten));
        }

        return new ReencryptionReport(results);
    }

    private async Task<(int Scanned, int Rewritten)> ReencryptAsync(EncryptedField field, int batchSize, CancellationToken cancellationToken)
    {
        object? after = null;
        var scanned = 0;
        var rewritten = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

            var rows = await ReadBatchAsync(connection, transaction, field, after, batchSize, cancellationToken);
            if (rows.Count == 0)
            {
                return (scanned, rewritten);
            }

            foreach (var (id, value) in rows)
            {
                if (!cipher.IsCurrent(value))
                {
                    var fresh = cipher.Encrypt(cipher.Decrypt(value, field.Context), field.Context);
                    rewritten += await CompareAndSetAsync(connection, transaction, field, id, value, fresh, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            scanned += rows.Count;
            after = rows[^1].Id;
        }
    }

    private static async Task<List<(object Id, byte[] Value)>> ReadBatchAsync(
        DbConnection connection, DbTransaction transaction, EncryptedField field, object? after, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var where = $"{Quote(field.CiphertextColumn)} IS NOT NULL";
        if (after is not null)
        {
            where += $" AND {Quote(field.IdColumn)} > @after";
            AddParameter(command, "@after", after);
        }

        command.CommandText = $"SELECT {Quote(field.IdColumn)}, {Quote(field.CiphertextColumn)} FROM {Quote(field.Table)} WHERE {where} ORDER BY {Quote(field.IdColumn)} LIMIT {batchSize}";
        var rows = new List<(object, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetValue(0), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    private static async Task<int> CompareAndSetAsync(
        DbConnection connection, DbTransaction transaction, EncryptedField field, object id, byte[] expected, byte[] fresh, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"UPDATE {Quote(field.Table)} SET {Quote(field.CiphertextColumn)} = @fresh WHERE {Quote(field.IdColumn)} = @id AND {Quote(field.CiphertextColumn)} = @expected";
        AddParameter(command, "@fresh", fresh);
        AddParameter(command, "@id", id);
        AddParameter(command, "@expected", expected);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
