using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>The audit record to store with a case change, and the log that stores it.</summary>
internal sealed record CaseAudit(IAuditLog Log, AuditEntry Entry);

/// <summary>Writes of the case engine that every use case shares.</summary>
internal static class CaseStore
{
    /// <summary>
    /// Saves the case row, its new events and, when <paramref name="audit"/> is given, the audit
    /// record of the change in one transaction, so a crash cannot keep the change without its
    /// audit record. The case's EventCount is the concurrency token, so a case changed by someone
    /// else since it was loaded returns <see cref="CaseErrors.ConcurrentChange"/> and nothing is written.
    /// </summary>
    public static async Task<Error?> SaveCaseAsync(this ShanzhiDbContext db, Case @case, CaseAudit? audit, CancellationToken cancellationToken)
    {
        var loadedEventCount = @case.EventCount - @case.NewEvents.Count;
        db.CaseEvents.AddRange(@case.NewEvents);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            if (audit is not null)
            {
                await audit.Log.AppendInTransactionAsync(db, audit.Entry, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return CaseErrors.ConcurrentChange;
        }
        catch (DbUpdateException)
        {
            // A concurrent writer may also surface as a duplicate (case, sequence) event key. The
            // rollback comes first, because PostgreSQL runs no query in a failed transaction.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            var stored = await db.Cases.Where(c => c.Id == @case.Id).Select(c => c.EventCount).FirstAsync(cancellationToken);
            if (stored != loadedEventCount)
            {
                return CaseErrors.ConcurrentChange;
            }

            throw;
        }

        @case.AcceptNewEvents();
        return null;
    }

    /// <summary>
    /// Returns the next number of <paramref name="day"/>'s daily sequence. The upsert takes the
    /// counter row's write lock, so run it inside the transaction that inserts the case: concurrent
    /// reports then wait for each other and never share a number.
    /// </summary>
    public static async Task<int> NextDailySequenceAsync(this ShanzhiDbContext db, DateOnly day, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(CaseCounter))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var dayColumn = sql.DelimitIdentifier(entity.FindProperty(nameof(CaseCounter.Day))!.GetColumnName(table)!);
        var valueColumn = sql.DelimitIdentifier(entity.FindProperty(nameof(CaseCounter.Value))!.GetColumnName(table)!);

        // INSERT … ON CONFLICT … RETURNING works on PostgreSQL and on SQLite 3.35 or later. Only
        // identifiers from the model are spliced in, and the day is a parameter.
        var upsert =
            $"INSERT INTO {tableName} ({dayColumn}, {valueColumn}) VALUES ({{0}}, 1) " +
            $"ON CONFLICT ({dayColumn}) DO UPDATE SET {valueColumn} = {tableName}.{valueColumn} + 1 " +
            $"RETURNING {valueColumn} AS {sql.DelimitIdentifier("Value")}";
        var values = await db.Database.SqlQueryRaw<int>(upsert, day).ToListAsync(cancellationToken);
        return values.Single();
    }
}
