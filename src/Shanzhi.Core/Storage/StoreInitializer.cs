using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Storage;

/// <summary>Fills a new store with reference data. Each module registers its own; all are idempotent.</summary>
public interface IStoreSeeder
{
    /// <summary>Seeders run in ascending order: geography before units before accounts.</summary>
    int Order { get; }

    Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken);
}

/// <summary>Migrates the store to the latest schema and runs every registered seeder.</summary>
public sealed partial class StoreInitializer(IServiceProvider services, ILogger<StoreInitializer> logger)
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            LogMigrating(pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(pending.Count);
        }

        foreach (var seeder in scope.ServiceProvider.GetServices<IStoreSeeder>().OrderBy(s => s.Order))
        {
            await seeder.SeedAsync(db, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Applying {Count} store migrations: {Migrations}")]
    private partial void LogMigrating(int count, string migrations);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Applied {Count} store migrations; the store is at the latest schema")]
    private partial void LogMigrated(int count);
}
