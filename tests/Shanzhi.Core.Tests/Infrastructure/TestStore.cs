using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shanzhi.Storage;

namespace Shanzhi.Tests.Infrastructure;

/// <summary>Database engines every store test runs on.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A fresh, migrated store for one test: a new SQLite file in a temporary folder, or a new database
/// on the PostgreSQL server named by SHANZHI_TEST_POSTGRES. Without that variable PostgreSQL tests
/// are skipped with a visible reason, except under CI (CI=true), where they fail instead.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    public const string PostgresVariable = "SHANZHI_TEST_POSTGRES";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestStore(StoreKind kind, StorageOptions options, string? adminConnectionString, string? databaseName)
    {
        Kind = kind;
        Options = options;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    /// <summary>Both engines, for <c>[MemberData]</c> on store tests.</summary>
    public static TheoryData<StoreKind> Kinds => new(StoreKind.Sqlite, StoreKind.Postgres);

    public StoreKind Kind { get; }

    public StorageOptions Options { get; }

    public static async Task<TestStore> CreateAsync(StoreKind kind)
    {
        var folder = Path.Combine(Path.GetTempPath(), "shanzhi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        TestStore store;
        if (kind == StoreKind.Sqlite)
        {
            store = new TestStore(kind, new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = folder }, null, null);
        }
        else
        {
            var admin = RequirePostgres();
            var name = "shanzhi_test_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"CREATE DATABASE {name}";
                await command.ExecuteNonQueryAsync();
            }

            var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
            store = new TestStore(kind, new StorageOptions
            {
                Provider = StorageProvider.Postgres,
                DataDirectory = folder,
                ConnectionString = builder.ConnectionString,
            }, admin, name);
        }

        await using var db = store.NewContext();
        await db.Database.MigrateAsync();
        return store;
    }

    /// <summary>Returns the admin connection string, or skips (fails under CI) when none is configured.</summary>
    public static string RequirePostgres()
    {
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"{PostgresVariable} is not set under CI; .ci/run must start PostgreSQL and export it.");
            }

            Assert.Skip($"PostgreSQL store test skipped: set {PostgresVariable} to an admin connection string to run it.");
        }

        return admin!;
    }

    /// <summary>A context on this store; <paramref name="configure"/> may add options, such as turning an EF warning into an exception.</summary>
    public ShanzhiDbContext NewContext(Action<DbContextOptionsBuilder>? configure = null)
    {
        if (Kind == StoreKind.Sqlite)
        {
            var builder = new DbContextOptionsBuilder<SqliteShanzhiDbContext>();
            StorageServiceCollectionExtensions.ConfigureSqlite(builder, Options.SqlitePath);
            configure?.Invoke(builder);
            return new SqliteShanzhiDbContext(builder.Options);
        }

        var pg = new DbContextOptionsBuilder<PostgresShanzhiDbContext>();
        StorageServiceCollectionExtensions.ConfigurePostgres(pg, Options.ConnectionString!);
        configure?.Invoke(pg);
        return new PostgresShanzhiDbContext(pg.Options);
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_adminConnectionString is not null && _databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = $"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)";
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(Options.FullDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; the next run uses a new one.
        }
    }
}
