using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;

namespace Shanzhi.Bench;

/// <summary>
/// The contact index rebuild at start: synthetic passages written to a migrated store's
/// <c>passages</c> table (SQLite, then PostgreSQL when SHANZHI_TEST_POSTGRES names a server), then
/// <see cref="ContactIndexLoader.RebuildAsync"/> timed end to end beside the baseline it replaced
/// (one thread, an ADO.NET data reader over the same query) in the same process.
/// </summary>
/// <remarks>
/// Writing is set-up, not the measure: the secondary indexes of <c>passages</c> are dropped, the
/// rows go in with durability off (SQLite: prepared INSERT in transactions of a million rows;
/// PostgreSQL: binary COPY), and the indexes are recreated from their own definitions, so the
/// rebuild reads the table the migration made.
/// </remarks>
internal static class IndexRebuildBenchmark
{
    private const int RowsPerTransaction = 1_000_000;

    public static int Run(string[] args)
    {
        var passages = BenchSupport.Option(args, "--passages", 5_000_000);
        var rounds = (int)BenchSupport.Option(args, "--rounds", 1);
        var baseline = !args.Contains("--no-baseline");
        var city = new SyntheticPassages((int)(passages / 10), passages, 14, 20261205);
        Console.WriteLine($"rebuild benchmark: {passages:N0} passages, runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, load average {BenchSupport.LoadAverage()}");

        if (!args.Contains("--no-in-memory"))
        {
            InMemory(city);
        }

        var keptFolder = args.Contains("--keep-sqlite") ? args[Array.IndexOf(args, "--keep-sqlite") + 1] : null;
        if (keptFolder is not null && !args.Contains("--postgres-only"))
        {
            // The store stays in the folder, so the slow set-up (about 7 minutes for 100 M rows) runs once and the timed part can run again later.
            Directory.CreateDirectory(keptFolder);
            Measure("SQLite", new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = keptFolder }, city, WriteSqliteOnce(keptFolder), baseline, rounds);
        }
        else if (!args.Contains("--postgres-only"))
        {
            BenchSupport.InSqliteFolder("shanzhi-rebuild-", folder =>
                Measure("SQLite", new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = folder }, city, WriteSqlite, baseline, rounds));
        }

        var admin = Environment.GetEnvironmentVariable("SHANZHI_TEST_POSTGRES");
        if (args.Contains("--sqlite-only") || string.IsNullOrWhiteSpace(admin))
        {
            Console.WriteLine("PostgreSQL skipped: --sqlite-only, or SHANZHI_TEST_POSTGRES is not set");
            return 0;
        }

        BenchSupport.InPostgresDatabase(admin, "shanzhi_rebuild_", connection =>
        {
            Measure("PostgreSQL", new StorageOptions { Provider = StorageProvider.Postgres, DataDirectory = Path.GetTempPath(), ConnectionString = connection }, city, WritePostgres, baseline, rounds);
            return 0;
        });
        return 0;
    }

    private static void Measure(string label, StorageOptions storage, SyntheticPassages city, Action<StorageOptions, SyntheticPassages> write, bool baseline, int rounds)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiStorage(storage);
        // The platform's index drops passages past the movement retention when a rebuild ends; the
        // clock is set to the city's last day so that the synthetic passages are all current, as in
        // a live rebuild, and the compaction does its full work.
        services.AddSingleton<TimeProvider>(new CityClock(SyntheticPassages.Start.AddDays(city.Days)));
        services.AddShanzhiTracing();
        using var provider = services.BuildServiceProvider();
        using (var scope = provider.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            db.Database.Migrate();
        }

        using (var scope = provider.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            if (db.Places.Any())
            {
                Console.WriteLine($"{label}: places already stored");
            }
            else
            {
                db.Places.AddRange(city.Places().Select(p => new Place { Id = p.PlaceId, Name = "场所", Kind = p.Kind, GridCode = "330203001001001", RegionPath = "/330200/330203/" }));
                db.SaveChanges();
            }
        }

        var writing = Stopwatch.StartNew();
        write(storage, city);
        Console.WriteLine($"{label}: passages written and indexed in {writing.Elapsed.TotalSeconds:F1} s");

        ReadAlone(label, provider, timeOrder: true);
        ReadAlone(label, provider, timeOrder: false);

        // Rounds alternate baseline and loader, so a change in the machine's load hits both.
        for (var round = 1; round <= rounds; round++)
        {
            if (baseline)
            {
                using var scope = provider.CreateScope();
                var clock = Stopwatch.StartNew();
                var (count, stays) = RebuildWithDataReader(scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>(), city);
                Report($"{label}, round {round}, baseline (one thread, data reader)", count, stays, clock.Elapsed);
            }

            GC.Collect();
            var rebuild = Stopwatch.StartNew();
            provider.GetRequiredService<ContactIndexLoader>().RebuildAsync(CancellationToken.None).GetAwaiter().GetResult();
            rebuild.Stop();
            var index = provider.GetRequiredService<ContactIndex>();
            Report($"{label}, round {round}, ContactIndexLoader", index.PassageCount, index.StayCount, rebuild.Elapsed);
            Console.WriteLine($"  load average {BenchSupport.LoadAverage()}");
        }
    }


    /// <summary>Times the loader's reader with a consumer that only counts, in time order (what the rebuild needs) and in table order (what it would cost without the sort).</summary>
    private static void ReadAlone(string label, ServiceProvider provider, bool timeOrder)
    {
        using var scope = provider.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        db.Database.OpenConnection();
        long read = 0;
        var clock = Stopwatch.StartNew();
        ContactIndexLoader.ReadAsync(db.Database.GetDbConnection(), batch => read += batch.Length, CancellationToken.None, timeOrder).GetAwaiter().GetResult();
        Console.WriteLine($"{label}, read alone ({(timeOrder ? "ORDER BY occurred_at" : "table order")}, no index): {read:N0} passages in {clock.Elapsed.TotalSeconds:F1} s, {read / clock.Elapsed.TotalSeconds:N0} passages/s");
        db.Database.CloseConnection();
    }

    private static void Report(string label, long passages, int stays, TimeSpan elapsed) =>
        Console.WriteLine($"{label}: rebuild of {passages:N0} passages ({stays:N0} stays) in {elapsed.TotalSeconds:F1} s, " +
            $"{passages / elapsed.TotalSeconds:N0} passages/s, 100 M at this rate {100_000_000 / (passages / elapsed.TotalSeconds):N0} s");

    /// <summary>
    /// The in-memory part of both paths for the same passages, generation not timed: the incremental
    /// <see cref="ContactIndex.Add"/> (with its compaction) and the loader's bulk build.
    /// </summary>
    private static void InMemory(SyntheticPassages city)
    {
        using (var index = BenchSupport.Index(city, out var adding))
        {
            Report("in memory (ContactIndex.Add alone, compaction not included)", index.PassageCount, index.StayCount, adding);
        }

        using var bulk = BenchSupport.BulkIndex(city, out var collecting, out var building);
        Report($"in memory (bulk: RebuildBuffer.Add {collecting.TotalSeconds:F1} s + EndRebuild(buffer) {building.TotalSeconds:F1} s)", bulk.PassageCount, bulk.StayCount, collecting + building);
    }

    /// <summary>The loader before the read-ahead: one thread, <see cref="DbDataReader"/>, the same query.</summary>
    private static (long Passages, int Stays) RebuildWithDataReader(ShanzhiDbContext db, SyntheticPassages city)
    {
        using var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.BeginRebuild();
        foreach (var (id, kind) in city.Places())
        {
            index.SetPlaceKind(id, kind);
        }

        var ticks = db is SqliteShanzhiDbContext;
        var connection = db.Database.GetDbConnection();
        db.Database.OpenConnection();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT person_key, place_id, {Passage.OccurredAtColumn}, direction FROM {Passage.Table} WHERE person_key IS NOT NULL ORDER BY {Passage.OccurredAtColumn}";
            command.CommandTimeout = 0;
            using var reader = command.ExecuteReader();
            var batch = new IndexedPassage[65_536];
            var count = 0;
            while (reader.Read())
            {
                batch[count++] = new IndexedPassage(
                    reader.GetInt64(0),
                    reader.GetInt64(1),
                    ticks ? new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero) : reader.GetFieldValue<DateTimeOffset>(2),
                    (PassageDirection)reader.GetInt16(3));
                if (count == batch.Length)
                {
                    index.Add(batch);
                    count = 0;
                }
            }

            index.Add(batch.AsSpan(0, count));
        }

        db.Database.CloseConnection();
        index.EndRebuild();
        return (index.PassageCount, index.StayCount);
    }

    /// <summary>
    /// Writes the passages into the kept folder unless its marker file records that the same city
    /// (persons, passages, days and seed) was written there before.
    /// </summary>
    private static Action<StorageOptions, SyntheticPassages> WriteSqliteOnce(string folder) => (storage, city) =>
    {
        var marker = Path.Combine(folder, "written.txt");
        var expected = city.Description;
        if (File.Exists(marker) && File.ReadAllText(marker) == expected)
        {
            Console.WriteLine($"SQLite: passages already written in {folder}");
            return;
        }

        WriteSqlite(storage, city);
        File.WriteAllText(marker, expected);
    };

    private static void WriteSqlite(StorageOptions storage, SyntheticPassages city)
    {
        using var connection = new SqliteConnection($"Data Source={storage.SqlitePath};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144");
        var indexes = DropIndexes(connection, $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{Passage.Table}' AND sql IS NOT NULL");

        var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO {Passage.Table} (device_id, device_sequence, entrance_id, place_id, person_key, {Passage.OccurredAtColumn}, direction, decision, channel, received_at, occurred_hour)
            VALUES (1, $sequence, 1, $place, $person, $at, $direction, 1, 0, $at, $hour)
            """;
        var parameters = new[] { "$sequence", "$place", "$person", "$at", "$direction", "$hour" }.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
        insert.Prepare();
        long sequence = 0;
        city.Generate(batch =>
        {
            foreach (var p in batch)
            {
                (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value, parameters[4].Value, parameters[5].Value) =
                    (++sequence, p.PlaceId, p.PersonKey, p.At.UtcTicks, (short)p.Direction, Passage.HourOf(p.At));
                insert.ExecuteNonQuery();
                if (sequence % RowsPerTransaction == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction();
                    insert.Transaction = transaction;
                }
            }
        });
        transaction.Commit();
        transaction.Dispose();

        foreach (var definition in indexes)
        {
            Execute(connection, definition);
        }

        Execute(connection, "ANALYZE");
    }

    private static void WritePostgres(StorageOptions storage, SyntheticPassages city)
    {
        using var connection = new NpgsqlConnection(storage.ConnectionString);
        connection.Open();
        var indexes = DropIndexes(connection, $"SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '{Passage.Table}' AND indexname NOT LIKE 'PK%'");

        using (var copy = connection.BeginBinaryImport($"""
            COPY {Passage.Table} (device_id, device_sequence, entrance_id, place_id, person_key, {Passage.OccurredAtColumn}, direction, decision, channel, received_at, occurred_hour)
            FROM STDIN (FORMAT BINARY)
            """))
        {
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
                    copy.Write(p.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                    copy.Write((short)p.Direction, NpgsqlDbType.Smallint);
                    copy.Write((short)1, NpgsqlDbType.Smallint);
                    copy.Write((short)0, NpgsqlDbType.Smallint);
                    copy.Write(p.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                    copy.Write(Passage.HourOf(p.At), NpgsqlDbType.Bigint);
                }
            });
            copy.Complete();
        }

        foreach (var definition in indexes)
        {
            Execute(connection, definition);
        }

        Execute(connection, $"ANALYZE {Passage.Table}");
    }

    /// <summary>Drops the indexes the query lists (name, definition) and returns their definitions for recreating them after the load.</summary>
    private static List<string> DropIndexes(DbConnection connection, string sql)
    {
        var indexes = new List<(string Name, string Definition)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in indexes)
        {
            Execute(connection, $"DROP INDEX \"{name}\"");
        }

        return [.. indexes.Select(i => i.Definition)];
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }

    private sealed class CityClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
