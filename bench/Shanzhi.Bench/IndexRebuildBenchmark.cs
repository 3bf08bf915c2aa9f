using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;

namespace Shanzhi.Bench;

/// <summary>
/// The contact index rebuild at start: synthetic passages written to a migrated store's
/// <c>passages</c> table (SQLite, then PostgreSQL when SHANZHI_TEST_POSTGRES names a server), then
/// <see cref="ContactIndexLoader.RebuildAsync"/> timed end to end.
/// </summary>
internal static class IndexRebuildBenchmark
{
    public static int Run(string[] args)
    {
        var at = Array.IndexOf(args, "--passages");
        var passages = at >= 0 ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : 5_000_000;
        var city = new SyntheticPassages((int)(passages / 10), passages, 14, 20261205);
        Console.WriteLine($"rebuild benchmark: {passages:N0} passages, runtime {Environment.Version}, {Environment.ProcessorCount} logical processors");

        if (!args.Contains("--postgres-only"))
        {
            var folder = Path.Combine(Path.GetTempPath(), "shanzhi-rebuild-" + Guid.NewGuid().ToString("N"));
            try
            {
                Measure("SQLite", new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = folder }, city, LoadSqlite);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }

        var admin = Environment.GetEnvironmentVariable("SHANZHI_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            Console.WriteLine("PostgreSQL skipped: SHANZHI_TEST_POSTGRES is not set");
            return 0;
        }

        var database = "shanzhi_rebuild_" + Guid.NewGuid().ToString("N")[..12];
        Execute(admin, $"CREATE DATABASE {database}");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            Measure("PostgreSQL", new StorageOptions { Provider = StorageProvider.Postgres, DataDirectory = Path.GetTempPath(), ConnectionString = connection }, city, LoadPostgres);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }

        return 0;
    }

    private static void Measure(string label, StorageOptions storage, SyntheticPassages city, Action<StorageOptions, SyntheticPassages> load)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiStorage(storage);
        services.AddShanzhiTracing();
        using var provider = services.BuildServiceProvider();
        using (var scope = provider.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>().Database.Migrate();
        }

        var loading = Stopwatch.StartNew();
        load(storage, city);
        Console.WriteLine($"{label}: passages written in {loading.Elapsed.TotalSeconds:F1} s");

        var rebuild = Stopwatch.StartNew();
        provider.GetRequiredService<ContactIndexLoader>().RebuildAsync(CancellationToken.None).GetAwaiter().GetResult();
        rebuild.Stop();
        var index = provider.GetRequiredService<ContactIndex>();
        Console.WriteLine($"{label}: rebuild of {index.PassageCount:N0} passages ({index.StayCount:N0} stays) in {rebuild.Elapsed.TotalSeconds:F1} s, {index.PassageCount / rebuild.Elapsed.TotalSeconds:N0} passages/s");
    }

    private static void LoadSqlite(StorageOptions storage, SyntheticPassages city)
    {
        using var connection = new SqliteConnection($"Data Source={storage.SqlitePath}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO {Passage.Table} (device_id, device_sequence, entrance_id, place_id, person_key, {Passage.OccurredAtColumn}, direction, decision, channel, received_at)
            VALUES (1, $sequence, 1, $place, $person, $at, $direction, 1, 0, $at)
            """;
        var parameters = new[] { "$sequence", "$place", "$person", "$at", "$direction" }.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
        long sequence = 0;
        city.Generate(batch =>
        {
            foreach (var p in batch)
            {
                (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value, parameters[4].Value) =
                    (++sequence, p.PlaceId, p.PersonKey, p.At.UtcTicks, (short)p.Direction);
                insert.ExecuteNonQuery();
            }
        });
        transaction.Commit();
    }

    private static void LoadPostgres(StorageOptions storage, SyntheticPassages city)
    {
        using var connection = new NpgsqlConnection(storage.ConnectionString);
        connection.Open();
        using var copy = connection.BeginBinaryImport($"""
            COPY {Passage.Table} (device_id, device_sequence, entrance_id, place_id, person_key, {Passage.OccurredAtColumn}, direction, decision, channel, received_at)
            FROM STDIN (FORMAT BINARY)
            """);
        long sequence = 0;
        city.Generate(batch =>
        {
            foreach (var p in batch)
            {
                copy.StartRow();
                copy.Write(1L, NpgsqlDbType.Bigint);
                copy.Write(++sequence, NpgsqlDbType.Bigint);
                copy.Write(1L, NpgsqlDbType.Bigint);
                copy.Write(p.PlaceId, NpgsqlDbType.Bigint);
                copy.Write(p.PersonKey, NpgsqlDbType.Bigint);
                copy.Write(p.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                copy.Write((short)p.Direction, NpgsqlDbType.Smallint);
                copy.Write((short)1, NpgsqlDbType.Smallint);
                copy.Write((short)0, NpgsqlDbType.Smallint);
                copy.Write(p.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            }
        });
        copy.Complete();
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
