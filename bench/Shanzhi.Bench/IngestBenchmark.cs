using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Bench;

/// <summary>
/// Durable passage ingest through <see cref="PassageWriter"/> (acknowledged after commit, with the
/// platform's <see cref="ContactIndex"/> as the observer, so the tracing index is maintained) on
/// SQLite and PostgreSQL, beside two baselines measured in the same process on the same store:
/// SQLite row-at-a-time autocommit inserts with synchronous=FULL, and EF Core Add + SaveChanges
/// per row.
/// </summary>
internal static class IngestBenchmark
{
    public static int Run(string[] args)
    {
        var passages = IntOption(args, "--passages", 1_000_000);
        var batch = IntOption(args, "--batch", 1_000);
        var clients = IntOption(args, "--clients", 8);
        var maxRows = IntOption(args, "--max-rows", 50_000);
        var baselineRows = IntOption(args, "--baseline-rows", 3_000);
        var postgres = StringOption(args, "--postgres") ?? Environment.GetEnvironmentVariable("SHANZHI_TEST_POSTGRES");
        var withoutIndexes = args.Contains("--without-secondary-indexes");
        var stores = (StringOption(args, "--stores") ?? "sqlite,postgres").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Console.WriteLine($"ingest benchmark: {passages:N0} passages in batches of {batch:N0} from {clients} clients, up to {maxRows:N0} rows per transaction; baselines {baselineRows:N0} rows");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}");

        foreach (var name in stores)
        {
            if (name.Equals("postgres", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(postgres))
            {
                Console.WriteLine("postgres: skipped (no --postgres and no SHANZHI_TEST_POSTGRES)");
                continue;
            }

            RunStoreAsync(name.ToLowerInvariant(), postgres, passages, batch, clients, maxRows, baselineRows, withoutIndexes).GetAwaiter().GetResult();
        }

        return 0;
    }

    private static async Task RunStoreAsync(string name, string? postgres, int passages, int batch, int clients, int maxRows, int baselineRows,
        bool withoutIndexes)
    {
        await using var store = await BenchStore.CreateAsync(name, postgres);
        Console.WriteLine();
        Console.WriteLine($"== {name}{(withoutIndexes ? ", secondary indexes dropped" : "")} ==");
        if (withoutIndexes)
        {
            // What ingest would cost if the in-memory contact index replaced the SQL indexes on passages.
            await using var schema = store.NewContext();
            await schema.Database.ExecuteSqlRawAsync(
                "DROP INDEX \"IX_passages_occurred_at\"; DROP INDEX \"IX_passages_occurred_hour_person_key_occurred_at\";");
        }

        double? autocommit = null;
        if (store.Options.Provider == StorageProvider.Sqlite)
        {
            autocommit = await SqliteAutocommitAsync(store.Options.SqlitePath, deviceId: 1, baselineRows);
            Report("SQLite autocommit, row at a time, synchronous=FULL", baselineRows, autocommit.Value);
        }

        var ef = await EfRowAtATimeAsync(store, deviceId: 2, Math.Max(1, baselineRows / 2));
        Report("EF Core Add + SaveChanges per row", Math.Max(1, baselineRows / 2), ef);

        using var index = new ContactIndex(MsOptions.Create(new TracingOptions()));
        var ours = await WriterAsync(store, index, deviceBase: 1_000, passages, batch, clients, maxRows);
        Report("PassageWriter (durable, tracing index maintained)", passages, ours);
        Console.WriteLine($"contact index: {index.PassageCount:N0} passages, {index.StayCount:N0} stays at {index.PlaceCount:N0} places for {index.PersonCount:N0} persons");

        await using var db = store.NewContext();
        var stored = await db.Passages.CountAsync();
        Console.WriteLine($"rows in passages: {stored:N0} (expected {passages + baselineRows / 2 + (autocommit is null ? 0 : baselineRows):N0})");
        if (autocommit is { } a)
        {
            Console.WriteLine($"ratio PassageWriter ÷ SQLite autocommit: {ours / a:F1}×");
        }

        Console.WriteLine($"ratio PassageWriter ÷ EF Core row at a time: {ours / ef:F1}×");
    }

    private static void Report(string method, int rows, double perSecond) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method,-52} {rows,11:N0} rows {perSecond,12:N0} /s"));

    private static async Task<double> WriterAsync(BenchStore store, ContactIndex observer, int deviceBase, int passages, int batch, int clients, int maxRows)
    {
        var options = MsOptions.Create(new PassageIngestOptions { QueueCapacity = clients * 4, MaxRowsPerTransaction = maxRows });
        await using var writer = new PassageWriter(store.Options, [observer], options, TimeProvider.System, NullLogger<PassageWriter>.Instance);
        await writer.SubmitAsync([Synthetic(deviceBase - 1, 0)], CancellationToken.None);

        // Every client's batches are built before the clock starts, so the rate and the CPU figure
        // below count the writer, the store and the contact index, not the benchmark's own row
        // generation on the same cores.
        var perClient = passages / clients;
        var batches = Enumerable.Range(0, clients).Select(c => Batches(deviceBase + c, perClient, batch)).ToArray();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(batches.Select(own => Task.Run(async () =>
        {
            foreach (var rows in own)
            {
                while (true)
                {
                    var result = await writer.SubmitAsync(rows, CancellationToken.None);
                    if (result.IsSuccess)
                    {
                        break;
                    }

                    if (result.Error != PassageErrors.QueueFull)
                    {
                        throw new InvalidOperationException(result.Error!.Code);
                    }

                    await Task.Delay(1);
                }
            }
        })));
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"writer phase: {watch.Elapsed.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F2} s CPU in this process ({perClient * clients / cpu.TotalSeconds:N0} passages per CPU second)"));

        var (transactions, written, inStore, inObservers) = writer.Statistics;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"writer: {transactions:N0} transactions of {written / (double)Math.Max(1, transactions):N0} rows on average; {inStore.TotalSeconds:F2} s in the store, {inObservers.TotalSeconds:F2} s in the observers and after"));

        // The warm-up row is not counted.
        await using var db = store.NewContext();
        await db.Passages.Where(p => p.DeviceId == deviceBase - 1).ExecuteDeleteAsync();
        return perClient * clients / watch.Elapsed.TotalSeconds;
    }

    private static PassageRecord[][] Batches(long device, int rows, int batch) =>
        [.. Enumerable.Range(0, rows).Select(s => Synthetic(device, s)).Chunk(batch)];

    private static async Task<double> SqliteAutocommitAsync(string path, long deviceId, int rows)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
            await pragmas.ExecuteNonQueryAsync();
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO passages ({PassageColumns.List}) VALUES ($d, $s, $e, $p, $k, $o, $dir, $dec, $c, $st, $r, $h)";
        var parameters = new[] { "$d", "$s", "$e", "$p", "$k", "$o", "$dir", "$dec", "$c", "$st", "$r", "$h" }
            .Select(n => insert.Parameters.Add(n, SqliteType.Integer))
            .ToArray();
        insert.Prepare();

        var watch = Stopwatch.StartNew();
        for (var s = 0; s < rows; s++)
        {
            var p = Synthetic(deviceId, s);
            object?[] values = [p.DeviceId, p.DeviceSequence, p.EntranceId, p.PlaceId, p.PersonKey, p.OccurredAt.UtcTicks,
                (short)p.Direction, (short)p.Decision, (short)p.Channel, (short)p.StatusAtPassage!.Value, DateTimeOffset.UtcNow.UtcTicks,
                Passage.HourOf(p.OccurredAt)];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }

            insert.ExecuteNonQuery();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> EfRowAtATimeAsync(BenchStore store, long deviceId, int rows)
    {
        await using var db = store.NewContext();
        var watch = Stopwatch.StartNew();
        for (var s = 0; s < rows; s++)
        {
            var p = Synthetic(deviceId, s);
            db.Passages.Add(new Passage
            {
                DeviceId = p.DeviceId, DeviceSequence = p.DeviceSequence, EntranceId = p.EntranceId, PlaceId = p.PlaceId,
                PersonKey = p.PersonKey, OccurredAt = p.OccurredAt, Direction = p.Direction, Decision = p.Decision,
                Channel = p.Channel, StatusAtPassage = p.StatusAtPassage, ReceivedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();

            // Cleared so the baseline does not slow down from a growing change tracker.
            db.ChangeTracker.Clear();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A passage with the skew of a city: 2,000 places, of which the first 20 (hubs) take half the
    /// traffic; 1 M persons. Each device's passages are 8 s apart, plus up to 8 s of jitter, in
    /// sequence order, as live gates report them (1 M passages from 8 devices span about 12 days).
    /// </summary>
    private static PassageRecord Synthetic(long device, long sequence)
    {
        var h = (ulong)(device * 1_000_003 + sequence) * 0x9E3779B97F4A7C15UL;
        var place = (h & 1) == 0 ? (long)(h >> 1) % 20 : 20 + (long)(h >> 1) % 1_980;
        var person = 1 + (long)((h >> 20) % 1_000_000);
        var at = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero).AddSeconds(sequence * 8 + (double)((h >> 8) % 8));
        return new PassageRecord(device, sequence, place * 4, place, person, at, PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green);
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        StringOption(args, name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    private static string? StringOption(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>A fresh, migrated store in a temporary folder or a new PostgreSQL database, removed afterwards.</summary>
    private sealed class BenchStore(StorageOptions options, string? admin, string? database) : IAsyncDisposable
    {
        public StorageOptions Options { get; } = options;

        public static async Task<BenchStore> CreateAsync(string name, string? admin)
        {
            var folder = Path.Combine(Path.GetTempPath(), "shanzhi-bench", Guid.NewGuid().ToString("N"));
            BenchStore store;
            if (name == "sqlite")
            {
                store = new BenchStore(new StorageOptions { Provider = StorageProvider.Sqlite, DataDirectory = folder }, null, null);
            }
            else
            {
                var database = "shanzhi_bench_" + Guid.NewGuid().ToString("N")[..12];
                await using (var connection = new NpgsqlConnection(admin))
                {
                    await connection.OpenAsync();
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                    await create.ExecuteNonQueryAsync();
                }

                var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
                store = new BenchStore(new StorageOptions { Provider = StorageProvider.Postgres, DataDirectory = folder, ConnectionString = connectionString },
                    admin, database);
            }

            Directory.CreateDirectory(folder);
            await using var db = store.NewContext();
            await db.Database.MigrateAsync();
            return store;
        }

        public ShanzhiDbContext NewContext()
        {
            if (Options.Provider == StorageProvider.Sqlite)
            {
                var builder = new DbContextOptionsBuilder<SqliteShanzhiDbContext>();
                StorageServiceCollectionExtensions.ConfigureSqlite(builder, Options.SqlitePath);
                return new SqliteShanzhiDbContext(builder.Options);
            }

            var pg = new DbContextOptionsBuilder<PostgresShanzhiDbContext>();
            StorageServiceCollectionExtensions.ConfigurePostgres(pg, Options.ConnectionString!);
            return new PostgresShanzhiDbContext(pg.Options);
        }

        public async ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            if (admin is not null && database is not null)
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }

            Directory.Delete(Options.FullDataDirectory, recursive: true);
        }
    }
}
