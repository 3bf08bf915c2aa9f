using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>Writes of the case engine that every use case shares.</summary>
internal static class CaseStore
{
    /// <summary>
    /// Saves the case row and its new events with one SaveChanges, which is one transaction. The
    /// case's EventCount is the concurrency token, so a case changed by someone else since it was
    /// loaded returns <see cref="CaseErrors.ConcurrentChange"/> and nothing is written.
    /// </summary>
    public static async Task<Error?> SaveCaseAsync(this ShanzhiDbContext db, Case @case, CancellationToken cancellationToken)
    {
        var loadedEventCount = @case.EventCount - @case.NewEvents.Count;
        db.CaseEvents.AddRange(@case.NewEvents);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return CaseErrors.ConcurrentChange;
        }
        catch (DbUpdateException)
        {
            // A concurrent writer may also surface as a duplicate (case, sequence) event key.
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
