using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;

namespace Shanzhi.Bench;

/// <summary>
/// Memory and lookup time of the <see cref="PopulationDirectory"/> at city scale, beside the two
/// concurrent dictionaries of the previous <c>PersonLookup</c> cache (hex blind index → key, key →
/// status and expiry) holding the same persons, and the load of the directory from a SQLite
/// <c>persons</c> table through <see cref="PopulationDirectoryLoader"/>'s reader.
/// </summary>
/// <remarks>
/// Memory is the managed heap's growth after a full collection (<see cref="GC.GetTotalMemory(bool)"/>),
/// so it includes every array and object the structure keeps. The blind-index prefixes are random
/// (a keyed HMAC is uniform), person keys dense from 1, as the store's identity column gives them.
/// </remarks>
internal static class PopulationDirectoryBenchmark
{
    public static int Run(string[] args)
    {
        var persons = (int)BenchSupport.Option(args, "--persons", 10_000_000);
        var baselinePersons = (int)BenchSupport.Option(args, "--baseline-persons", 1_000_000);
        var loadPersons = (int)BenchSupport.Option(args, "--load-persons", 1_000_000);
        var lookups = (int)BenchSupport.Option(args, "--lookups", 2_000_000);
        Console.WriteLine($"population benchmark: {persons:N0} persons in the directory, {baselinePersons:N0} in the dictionary baseline, {loadPersons:N0} loaded from SQLite; load average {BenchSupport.LoadAverage()}");

        var random = new Random(20261205);
        var prefixes = new ulong[persons];
        for (var i = 0; i < persons; i++)
        {
            prefixes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
        }

        Directory(prefixes, lookups);
        Dictionaries(prefixes.AsSpan(0, Math.Min(baselinePersons, persons)).ToArray(), lookups);
        if (loadPersons > 0)
        {
            BenchSupport.InSqliteFolder("shanzhi-bench-population-", folder => Load(folder, prefixes.AsSpan(0, Math.Min(loadPersons, persons)).ToArray()));
        }

        return 0;
    }

    private static void Directory(ulong[] prefixes, int lookups)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var directory = new PopulationDirectory();
        directory.Reserve(prefixes.Length, prefixes.Length);
        var batch = new PopulationRow[8192];
        for (var start = 0; start < prefixes.Length; start += batch.Length)
        {
            var count = Math.Min(batch.Length, prefixes.Length - start);
            for (var i = 0; i < count; i++)
            {
                var key = start + i + 1;
                batch[i] = new PopulationRow(key, prefixes[key - 1], (HealthStatus)(key % 3 + 1), ResidencyClass.Permanent);
            }

            directory.Apply(batch.AsSpan(0, count), 0);
        }

        var build = watch.Elapsed;
        directory.MarkReady(true);
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var index = new byte[32];
        var random = new Random(7);
        var found = 0L;
        watch.Restart();
        for (var i = 0; i < lookups; i++)
        {
            var key = random.Next(prefixes.Length) + 1;
            BitConverter.TryWriteBytes(index, prefixes[key - 1]);
            if (directory.FindByIndex(index, out var person) == DirectoryAnswer.Found && directory.FindStatus(person, out _, out _) == DirectoryAnswer.Found)
            {
                found++;
            }
        }

        var perLookup = watch.Elapsed.TotalNanoseconds / lookups;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"population directory: {prefixes.Length:N0} persons, heap {(after - before) / (double)prefixes.Length:F1} B/person ({directory.MemoryBytes / (double)prefixes.Length:F1} B/person in its arrays), built in {build.TotalSeconds:F1} s, find by index + status {perLookup:F0} ns ({found:N0} of {lookups:N0} found)"));
        GC.KeepAlive(directory);
    }

    /// <summary>The previous cache's layout: 64-character hex strings to keys, and keys to (status, expiry).</summary>
    private static void Dictionaries(ulong[] prefixes, int lookups)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        var keys = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var statuses = new ConcurrentDictionary<long, (HealthStatus? Status, DateTimeOffset Expires)>();
        var index = new byte[32];
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < prefixes.Length; i++)
        {
            BitConverter.TryWriteBytes(index, prefixes[i]);
            keys[Convert.ToHexString(index)] = i + 1;
            statuses[i + 1] = (HealthStatus.Green, expires);
        }

        var build = watch.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var random = new Random(7);
        var found = 0L;
        var now = DateTimeOffset.UtcNow;
        watch.Restart();
        for (var i = 0; i < lookups; i++)
        {
            var n = random.Next(prefixes.Length);
            BitConverter.TryWriteBytes(index, prefixes[n]);
            if (keys.TryGetValue(Convert.ToHexString(index), out var key) && statuses.TryGetValue(key, out var status) && status.Expires > now)
            {
                found++;
            }
        }

        var perLookup = watch.Elapsed.TotalNanoseconds / lookups;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"previous cache (two ConcurrentDictionary): {prefixes.Length:N0} persons, heap {(after - before) / (double)prefixes.Length:F1} B/person, built in {build.TotalSeconds:F1} s, find by index + status {perLookup:F0} ns ({found:N0} of {lookups:N0} found)"));
        GC.KeepAlive(keys);
        GC.KeepAlive(statuses);
    }

    /// <summary>Writes the persons into a SQLite table with the store's column names and times the directory's load from it.</summary>
    private static void Load(string folder, ulong[] prefixes)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "population.db")}");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE {Person.Table} (\"key\" INTEGER PRIMARY KEY, id_number_index BLOB NOT NULL, residency TEXT NOT NULL, status TEXT NULL)";
            create.ExecuteNonQuery();
        }

        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO {Person.Table} (\"key\", id_number_index, residency, status) VALUES ($key, $index, 'Permanent', $status)";
            var key = insert.Parameters.Add("$key", SqliteType.Integer);
            var index = insert.Parameters.Add("$index", SqliteType.Blob);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var bytes = new byte[32];
            for (var i = 0; i < prefixes.Length; i++)
            {
                BitConverter.TryWriteBytes(bytes, prefixes[i]);
                key.Value = i + 1;
                index.Value = bytes;
                status.Value = i % 10 == 0 ? DBNull.Value : "Green";
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        var directory = new PopulationDirectory();
        directory.Reserve(prefixes.Length, prefixes.Length);
        var watch = Stopwatch.StartNew();
        PopulationDirectoryLoader.ReadAllAsync(connection, rows => directory.Apply(rows, 0), CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load from SQLite: {directory.Count:N0} persons in {watch.Elapsed.TotalSeconds:F2} s ({directory.Count / watch.Elapsed.TotalSeconds:N0} persons/s)"));
    }
}
