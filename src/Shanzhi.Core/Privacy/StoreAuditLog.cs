using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;

namespace Shanzhi.Privacy;

/// <summary>
/// <see cref="IAuditLog"/> over the platform's store. Each append runs in its own scope, so in its
/// own connection and transaction: it never saves the caller's pending changes, and it is
/// durable when it returns. Callers append right after their own commit.
/// </summary>
public sealed class StoreAuditLog(IServiceScopeFactory scopes, TimeProvider clock) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        await AuditChain.AppendAsync(db, entry, clock.GetUtcNow(), cancellationToken);
    }

    public Task AppendInTransactionAsync(ShanzhiDbContext db, AuditEntry entry, CancellationToken cancellationToken) =>
        AuditChain.AppendInTransactionAsync(db, entry, clock.GetUtcNow(), cancellationToken);
}

/// <summary>Appends to the hash chain; <see cref="StoreAuditLog"/> and tests share it.</summary>
internal static class AuditChain
{
    /// <summary>
    /// Advances the chain head, inserts the record and stores its hash in the head, all in one
    /// transaction. The head upsert comes first and takes the head row's write lock (PostgreSQL)
    /// or the database's write lock (SQLite: the transaction's first statement is a write, so it
    /// behaves like BEGIN IMMEDIATE), so concurrent appenders in any process wait for each other
    /// and every record links to the one committed before it.
    /// </summary>
    public static async Task<AuditRecord> AppendAsync(ShanzhiDbContext db, AuditEntry entry, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await AppendInTransactionAsync(db, entry, at, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    /// <summary>
    /// Appends inside the caller's open transaction. The head row stays locked until that
    /// transaction ends, so keep the work after this call short.
    /// </summary>
    public static async Task<AuditRecord> AppendInTransactionAsync(ShanzhiDbContext db, AuditEntry entry, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("An audit record appended with the caller's changes needs the caller's transaction; begin one on the context first.");
        }

        var head = await AdvanceHeadAsync(db, cancellationToken);
        var record = AuditRecord.Chain(head.Sequence, head.Hash, at, entry);
        db.AuditRecords.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await db.AuditChainHeads
            .Where(h => h.Id == AuditChainHead.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.Hash, record.Hash), cancellationToken);
        db.Entry(record).State = EntityState.Detached;
        return record;
    }

    /// <summary>Returns the new record's sequence number and the previous record's hash.</summary>
    private static async Task<HeadRow> AdvanceHeadAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(AuditChainHead))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var id = Column(nameof(AuditChainHead.Id));
        var sequence = Column(nameof(AuditChainHead.Sequence));
        var hash = Column(nameof(AuditChainHead.Hash));

        // INSERT … ON CONFLICT … RETURNING works on PostgreSQL and on SQLite 3.35 or later. The
        // update leaves the hash alone, so RETURNING gives the previous record's hash. Only
        // identifiers from the model are spliced in; values are parameters.
        var upsert =
            $"INSERT INTO {tableName} ({id}, {sequence}, {hash}) VALUES ({{0}}, 1, {{1}}) " +
            $"ON CONFLICT ({id}) DO UPDATE SET {sequence} = {tableName}.{sequence} + 1 " +
            $"RETURNING {sequence} AS {sql.DelimitIdentifier(nameof(HeadRow.Sequence))}, {hash} AS {sql.DelimitIdentifier(nameof(HeadRow.Hash))}";
        var rows = await db.Database.SqlQueryRaw<HeadRow>(upsert, AuditChainHead.SingletonId, AuditRecord.GenesisHash)
            .ToListAsync(cancellationToken);
        return rows.Single();
    }

    private sealed class HeadRow
    {
        public long Sequence { get; init; }

        public string Hash { get; init; } = "";
    }
}
