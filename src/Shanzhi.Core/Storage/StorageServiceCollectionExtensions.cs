using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Registers <see cref="ShanzhiDbContext"/> for the configured provider.</summary>
    public static IServiceCollection AddShanzhiStorage(this IServiceCollection services, StorageOptions options)
    {
        services.AddSingleton(options);

        // One instance for the host, because EF Core builds an internal service provider per logger factory.
        services.TryAddSingleton<ExpectedConflictLoggerFactory>();
        switch (options.Provider)
        {
            case StorageProvider.Sqlite:
                Directory.CreateDirectory(options.FullDataDirectory);
                services.AddDbContext<ShanzhiDbContext, SqliteShanzhiDbContext>((provider, o) => UseHostLogging(ConfigureSqlite(o, options.SqlitePath), provider));
                break;
            case StorageProvider.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException(
                        "Storage:Provider is Postgres but Storage:ConnectionString is empty; set it (or SHANZHI_Storage__ConnectionString).");
                }

                services.AddDbContext<ShanzhiDbContext, PostgresShanzhiDbContext>((provider, o) => UseHostLogging(ConfigurePostgres(o, options.ConnectionString), provider));
                break;
            default:
                throw new InvalidOperationException($"Unknown storage provider {options.Provider}.");
        }

        return services;
    }

    /// <summary>Logs through the host's logger factory with handled conflicts lowered (<see cref="ExpectedConflicts"/>); without a logger factory, as EF Core does by default.</summary>
    private static DbContextOptionsBuilder UseHostLogging(DbContextOptionsBuilder builder, IServiceProvider provider) =>
        provider.GetService<ILoggerFactory>() is null ? builder : builder.UseLoggerFactory(provider.GetRequiredService<ExpectedConflictLoggerFactory>());

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder builder, string path) =>
        builder
            .UseSqlite($"Data Source={path};Pooling=True;Default Timeout=30")
            .AddInterceptors(SqlitePragmas.Instance);

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString);

    /// <summary>
    /// WAL lets readers work beside the one writer; synchronous=FULL makes a committed transaction
    /// survive power loss, which an acknowledgement to a caller promises.
    /// </summary>
    private sealed class SqlitePragmas : DbConnectionInterceptor
    {
        public static readonly SqlitePragmas Instance = new();

        private const string Pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteShanzhiDbContext</c> build the SQLite model.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteShanzhiDbContext>
{
    public SqliteShanzhiDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteShanzhiDbContext>();
        StorageServiceCollectionExtensions.ConfigureSqlite(builder, "design-time.db");
        return new SqliteShanzhiDbContext(builder.Options);
    }
}

/// <summary>Lets <c>dotnet ef migrations add … --context PostgresShanzhiDbContext</c> build the PostgreSQL model.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresShanzhiDbContext>
{
    public PostgresShanzhiDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresShanzhiDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(builder, "Host=localhost;Database=shanzhi_design");
        return new PostgresShanzhiDbContext(builder.Options);
    }
}
