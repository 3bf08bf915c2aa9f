using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Bench;

/// <summary>
/// Contact tracing on the in-memory index at city scale (build time, bytes per passage, first-degree
/// and first + second-degree latency), then the same first-degree query as SQL on an indexed stay
/// table in SQLite and PostgreSQL at a scale those stores can load within the run.
/// </summary>
internal static class TracingBenchmark
{
    private static readonly RuleSet FirstDegree = RuleSets.Who;
    private static readonly RuleSet SecondDegree = RuleSets.China9;

    /// <summary>The rule both the index and SQL answer in the baseline: every overlapping pair of stays of ≥ 15 minutes.</summary>
    private static readonly RuleSet PerStay = RuleSets.Who with { Cumulative = false };

    public static int Run(string[] args)
    {
        var persons = (int)Option(args, "--persons", 10_000_000);
        var passages = Option(args, "--passages", 100_000_000);
        var days = (int)Option(args, "--days", 14);
        var queries = (int)Option(args, "--queries", 2_000);
        var seed = (int)Option(args, "--seed", 20261205);
        var sqlPassages = Option(args, "--sql-passages", 2_000_000);
        var sqlQueries = (int)Option(args, "--sql-queries", 200);
        var secondQueries = (int)Option(args, "--second-queries", queries);

        Console.WriteLine($"trace benchmark: {persons:N0} persons, {passages:N0} passages over {days} days, {queries:N0} queries, seed {seed}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}");

        var build = args.Contains("--build") ? args[Array.IndexOf(args, "--build") + 1] : "both";
        Console.WriteLine($"build: {build} (add = ContactIndex.Add then EndRebuild, the baseline; bulk = RebuildBuffer then EndRebuild(buffer); both = add, then bulk, and the traces on bulk)");

        var people = QueryPersons(persons, queries, seed);
        var warmUp = QueryPersons(persons, 1_000, seed + 1);
        if (build == "both")
        {
            Build(new SyntheticPassages(persons, passages, days, seed), out _).Dispose();
            GC.Collect();
        }

        using (var index = build == "add"
            ? Build(new SyntheticPassages(persons, passages, days, seed), out _)
            : BuildBulk(new SyntheticPassages(persons, passages, days, seed)))
        {
            Latency("first degree (WHO, cumulative 15 min)", index, people, FirstDegree, warmUp);
            Latency("first + second degree (China 9th)", index, people[..Math.Min(secondQueries, people.Length)], SecondDegree, warmUp);
        }

        GC.Collect();
        if (sqlPassages > 0)
        {
            CompareWithSql(persons: (int)(sqlPassages / 10), sqlPassages, days, seed, QueryPersons((int)(sqlPassages / 10), sqlQueries, seed));
        }

        return 0;
    }

    private static ContactIndex Build(SyntheticPassages city, out TimeSpan addTime)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.BeginRebuild();
        foreach (var (id, kind) in city.Places())
        {
            index.SetPlaceKind(id, kind);
        }

        var total = Stopwatch.StartNew();
        var adding = new Stopwatch();
        city.Generate(batch =>
        {
            adding.Start();
            index.Add(batch);
            adding.Stop();
        });
        var compacting = Stopwatch.StartNew();
        index.EndRebuild();
        compacting.Stop();
        total.Stop();
        addTime = adding.Elapsed;

        var bytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"index: {index.PassageCount:N0} passages, {index.StayCount:N0} stays, {index.PersonCount:N0} persons, {index.PlaceCount:N0} places");
        Console.WriteLine($"  build: {adding.Elapsed.TotalSeconds:F1} s in ContactIndex.Add ({index.PassageCount / adding.Elapsed.TotalSeconds:N0} passages/s), {total.Elapsed.TotalSeconds:F1} s with generation, of which {compacting.Elapsed.TotalSeconds:F1} s compacting (EndRebuild); add + compaction {(adding.Elapsed + compacting.Elapsed).TotalSeconds:F1} s; peak working set so far {PeakWorkingSetMiB():N0} MiB");
        Console.WriteLine($"  memory: {bytes / 1048576.0:N0} MiB managed heap growth, {(double)bytes / index.PassageCount:F2} bytes per passage, {(double)bytes / index.StayCount:F2} bytes per stay");
        return index;
    }

    /// <summary>The rebuild's bulk path from memory: passages into a <see cref="RebuildBuffer"/>, then one bulk build.</summary>
    private static ContactIndex BuildBulk(SyntheticPassages city)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = BenchSupport.BulkIndex(city, out var collecting, out var building);

        var bytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        var total = collecting + building;
        Console.WriteLine($"index (bulk): {index.PassageCount:N0} passages, {index.StayCount:N0} stays, {index.PersonCount:N0} persons, {index.PlaceCount:N0} places");
        Console.WriteLine($"  build: {total.TotalSeconds:F1} s ({index.PassageCount / total.TotalSeconds:N0} passages/s): {collecting.TotalSeconds:F1} s in RebuildBuffer.Add, {building.TotalSeconds:F1} s in EndRebuild(buffer); peak working set so far {PeakWorkingSetMiB():N0} MiB");
        Console.WriteLine($"  memory: {bytes / 1048576.0:N0} MiB managed heap growth, {(double)bytes / index.PassageCount:F2} bytes per passage, {(double)bytes / index.StayCount:F2} bytes per stay");
        return index;
    }

    /// <summary>The process's peak resident set (VmHWM), or 0 where /proc is missing.</summary>
    private static long PeakWorkingSetMiB()
    {
        const string Status = "/proc/self/status";
        var line = File.Exists(Status) ? File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    private static long[] QueryPersons(int persons, int count, int seed)
    {
        var random = new Random(seed + 1);
        return [.. Enumerable.Range(0, count).Select(_ => SyntheticPassages.Key(random.Next(persons)))];
    }

    private static TraceRequest Request(long person, RuleSet rules) =>
        new(person, SyntheticPassages.Start.AddDays(7).AddHours(12), rules);

    private static double[] Latency(string label, ContactIndex index, long[] people, RuleSet rules, long[]? warmUp = null)
    {
        warmUp ??= people;
        // Warm up for two seconds, not a number of traces: tiered compilation swaps in optimised code
        // only after a method has run for a while (a 100 ms delay that restarts on every new method),
        // so fifty fast first-degree traces still timed partly unoptimised code. The warm-up traces
        // other persons than the timed ones, so the timed ones do not find their stays in the cache.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < Math.Min(50, people.Length / 5) || warming.Elapsed < TimeSpan.FromSeconds(2); i++)
        {
            index.Trace(Request(warmUp[i % warmUp.Length], rules));
        }

        var micros = new double[people.Length];
        long edges = 0, contacts = 0;
        for (var i = 0; i < people.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var result = index.Trace(Request(people[i], rules));
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            edges += result.Edges.Count;
            contacts += result.Edges.Select(e => e.To).Distinct().Count();
        }

        Report(label, micros, $"{(double)edges / people.Length:F1} edges, {(double)contacts / people.Length:F1} distinct people per trace");
        return micros;
    }

    private static void Report(string label, double[] micros, string extra)
    {
        Array.Sort(micros);
        Console.WriteLine($"  {label}: p50 {Percentile(micros, 0.50):N1} µs, p99 {Percentile(micros, 0.99):N1} µs, max {micros[^1]:N1} µs; {extra}");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static void CompareWithSql(int persons, long passages, int days, int seed, long[] people)
    {
        Console.WriteLine($"SQL baseline at {persons:N0} persons / {passages:N0} passages, {people.Length} queries, rule: each pair of stays overlapping ≥ 15 min (WHO window)");
        using var index = Build(new SyntheticPassages(persons, passages, days, seed), out _);
        var stays = index.ExportStays();
        var longest = stays.Max(s => s.End - s.Start);
        var expected = people.Select(p => index.Trace(Request(p, PerStay)).Edges.Count).ToArray();
        var ours = Median(Latency("index", index, people, PerStay));

        var folder = Path.Combine(Path.GetTempPath(), "shanzhi-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var sqlite = SqliteBaseline(Path.Combine(folder, "stays.db"), stays, longest, people, expected);
            Console.WriteLine($"  SQLite p50 ÷ index p50: {sqlite / ours:N0}×");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        var admin = Environment.GetEnvironmentVariable("SHANZHI_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(admin))
        {
            Console.WriteLine("  PostgreSQL baseline skipped: SHANZHI_TEST_POSTGRES is not set");
            return;
        }

        var postgres = PostgresBaseline(admin, stays, longest, people, expected);
        Console.WriteLine($"  PostgreSQL p50 ÷ index p50: {postgres / ours:N0}×");
    }

    private static double SqliteBaseline(string path, List<(long Person, long Place, int Start, int End)> stays, int longest, long[] people, int[] expected)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE stays (person INTEGER NOT NULL, place INTEGER NOT NULL, start_s INTEGER NOT NULL, end_s INTEGER NOT NULL)");
        var load = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO stays VALUES ($person, $place, $start, $end)";
            var parameters = new[] { "$person", "$place", "$start", "$end" }.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
            foreach (var (person, place, start, end) in stays)
            {
                (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value) = (person, place, start, end);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute(connection, "CREATE INDEX stays_person ON stays (person, start_s); CREATE INDEX stays_place ON stays (place, start_s, end_s, person); ANALYZE");
        Console.WriteLine($"  SQLite: {stays.Count:N0} stays loaded and indexed in {load.Elapsed.TotalSeconds:F1} s");

        using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT b.person, a.place, MAX(a.start_s, b.start_s, $ws), MIN(a.end_s, b.end_s, $we)
            FROM stays a JOIN stays b
              ON b.place = a.place AND b.start_s >= a.start_s - $longest AND b.start_s < MIN(a.end_s, $we) AND b.end_s > MAX(a.start_s, $ws)
            WHERE a.person = $p AND a.start_s < $we AND a.end_s > $ws AND b.person <> $p
              AND MIN(a.end_s, b.end_s, $we) - MAX(a.start_s, b.start_s, $ws) >= $minimum
            """;
        return TimeSql("SQLite", people, expected, longest, (person, ws, we, minimum) =>
        {
            query.Parameters.Clear();
            query.Parameters.AddWithValue("$p", person);
            query.Parameters.AddWithValue("$ws", ws);
            query.Parameters.AddWithValue("$we", we);
            query.Parameters.AddWithValue("$longest", longest);
            query.Parameters.AddWithValue("$minimum", minimum);
            using var reader = query.ExecuteReader();
            var rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            return rows;
        });
    }

    private static double PostgresBaseline(string admin, List<(long Person, long Place, int Start, int End)> stays, int longest, long[] people, int[] expected)
    {
        var database = "shanzhi_bench_" + Guid.NewGuid().ToString("N")[..12];
        using (var server = new NpgsqlConnection(admin))
        {
            server.Open();
            Execute(server, $"CREATE DATABASE {database}");
        }

        try
        {
            using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString);
            connection.Open();
            Execute(connection, "CREATE TABLE stays (person bigint NOT NULL, place bigint NOT NULL, start_s integer NOT NULL, end_s integer NOT NULL)");
            var load = Stopwatch.StartNew();
            using (var copy = connection.BeginBinaryImport("COPY stays (person, place, start_s, end_s) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var (person, place, start, end) in stays)
                {
                    copy.StartRow();
                    copy.Write(person, NpgsqlDbType.Bigint);
                    copy.Write(place, NpgsqlDbType.Bigint);
                    copy.Write(start, NpgsqlDbType.Integer);
                    copy.Write(end, NpgsqlDbType.Integer);
                }

                copy.Complete();
            }

            Execute(connection, "CREATE INDEX stays_person ON stays (person, start_s); CREATE INDEX stays_place ON stays (place, start_s, end_s, person); ANALYZE stays");
            Console.WriteLine($"  PostgreSQL: {stays.Count:N0} stays loaded and indexed in {load.Elapsed.TotalSeconds:F1} s");

            using var query = new NpgsqlCommand("""
                SELECT b.person, a.place, GREATEST(a.start_s, b.start_s, @ws), LEAST(a.end_s, b.end_s, @we)
                FROM stays a JOIN stays b
                  ON b.place = a.place AND b.start_s >= a.start_s - @longest AND b.start_s < LEAST(a.end_s, @we) AND b.end_s > GREATEST(a.start_s, @ws)
                WHERE a.person = @p AND a.start_s < @we AND a.end_s > @ws AND b.person <> @p
                  AND LEAST(a.end_s, b.end_s, @we) - GREATEST(a.start_s, b.start_s, @ws) >= @minimum
                """, connection);
            var p = query.Parameters.Add("p", NpgsqlDbType.Bigint);
            var ws = query.Parameters.Add("ws", NpgsqlDbType.Integer);
            var we = query.Parameters.Add("we", NpgsqlDbType.Integer);
            query.Parameters.Add("longest", NpgsqlDbType.Integer).Value = longest;
            var minimum = query.Parameters.Add("minimum", NpgsqlDbType.Integer);
            query.Prepare();
            return TimeSql("PostgreSQL", people, expected, longest, (person, from, to, least) =>
            {
                (p.Value, ws.Value, we.Value, minimum.Value) = (person, from, to, least);
                using var reader = query.ExecuteReader();
                var rows = 0;
                while (reader.Read())
                {
                    rows++;
                }

                return rows;
            });
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            using var server = new NpgsqlConnection(admin);
            server.Open();
            Execute(server, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>Times the query for every person and checks it returns as many overlaps as the index.</summary>
    private static double TimeSql(string label, long[] people, int[] expected, int longest, Func<long, int, int, int, int> run)
    {
        var window = TraceWindow.For(Request(0, PerStay));
        var (ws, we) = (IndexClock.ToSeconds(window.Start), IndexClock.ToSeconds(window.End));
        var minimum = (int)PerStay.MinimumOverlap.TotalSeconds;
        var micros = new double[people.Length];
        var mismatches = 0;
        for (var i = 0; i < people.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var rows = run(people[i], ws, we, minimum);
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            mismatches += rows == expected[i] ? 0 : 1;
        }

        var median = Median(micros);
        Report(label, micros, $"{mismatches} of {people.Length} answers differ from the index; longest stay {longest:N0} s");
        return median;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Option(string[] args, string name, long fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
