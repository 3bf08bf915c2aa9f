using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Bench;

/// <summary>
/// The tracing index against the same query as SQL on an indexed stay table, first degree and
/// first + second degree, side by side in one run for the same random persons: the synthetic city
/// is built into a <see cref="ContactIndex"/>, its stays are loaded into SQLite and PostgreSQL, and
/// every SQL result must have as many rows as the index's.
/// </summary>
/// <remarks>
/// The rules are the WHO window (first degree) and the China 9th window with second degree, both
/// judged per pair of stays (≥ 15 minutes each) rather than summed per day, so that one SQL
/// statement expresses them. Second degree follows <c>ContactSearch</c>: the contacts of each close
/// contact from that contact's first exposure to the end of the window, leaving out the index
/// person and every close contact, and only at the place kinds the rule set counts for it (a
/// <c>places</c> table gives each place's kind). <c>--every-kind</c> counts every kind, as
/// <c>cn9-2022.1</c> did.
/// </remarks>
internal static class TracingSqlBenchmark
{
    private static readonly RuleSet First = RuleSets.Who with { Cumulative = false };

    private const string Columns = "person, place, start_s, end_s";

    private const string PlacesTable = "CREATE TABLE places (place bigint PRIMARY KEY, kind integer NOT NULL)";

    // Indexes a DBA would add for "whose stays overlap this one at this place": the person's stays
    // in time order, and each place's stays by start with the columns the join reads.
    private const string Indexes = "CREATE INDEX stays_person ON stays (person, start_s); CREATE INDEX stays_place ON stays (place, start_s, end_s, person);";

    public static int Run(string[] args)
    {
        var passages = BenchSupport.Option(args, "--passages", 10_000_000);
        var persons = (int)BenchSupport.Option(args, "--persons", passages / 10);
        var days = (int)BenchSupport.Option(args, "--days", 14);
        var queries = (int)BenchSupport.Option(args, "--queries", 200);
        var secondQueries = (int)BenchSupport.Option(args, "--second-queries", 20);
        var seed = (int)BenchSupport.Option(args, "--seed", 20261205);
        Console.WriteLine($"trace-sql benchmark: {persons:N0} persons, {passages:N0} passages over {days} days, {queries} first-degree and {secondQueries} second-degree queries, seed {seed}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, load average {BenchSupport.LoadAverage()}");

        var random = new Random(seed + 1);
        var people = Enumerable.Range(0, queries).Select(_ => SyntheticPassages.Key(random.Next(persons))).ToArray();
        var secondPeople = people[..Math.Min(secondQueries, people.Length)];
        var second = RuleSets.China9 with { Cumulative = false };
        if (args.Contains("--every-kind"))
        {
            second = second with { SecondDegreePlaceKinds = null };
        }

        Console.WriteLine($"second degree at: {(second.SecondDegreePlaceKinds is { } kinds ? string.Join(", ", kinds.Order()) : "every place kind")}");
        var city = new SyntheticPassages(persons, passages, days, seed);
        var places = city.Places().ToList();
        using var contacts = Build(city);
        var stays = contacts.ExportStays();
        var longest = stays.Max(s => s.End - s.Start);
        Console.WriteLine($"  {stays.Count:N0} stays, longest {longest:N0} s");

        var results = new List<Timings>
        {
            new("ContactIndex", Time(people, p => contacts.Trace(Request(p, First)).Edges.Count), Time(secondPeople, p => contacts.Trace(Request(p, second)).Edges.Count), TimeSpan.Zero),
        };
        results[0] = Compared(results[0], results[0]);

        if (!args.Contains("--postgres-only"))
        {
            BenchSupport.InSqliteFolder("shanzhi-trace-sql-", folder =>
                results.Add(Compared(Sqlite(Path.Combine(folder, "stays.db"), stays, places, longest, people, secondPeople, second), results[0])));
        }

        var admin = Environment.GetEnvironmentVariable("SHANZHI_TEST_POSTGRES");
        if (args.Contains("--sqlite-only") || string.IsNullOrWhiteSpace(admin))
        {
            Console.WriteLine("PostgreSQL skipped: --sqlite-only, or SHANZHI_TEST_POSTGRES is not set");
        }
        else
        {
            results.Add(Compared(BenchSupport.InPostgresDatabase(admin, "shanzhi_trace_sql_", connection => Postgres(connection, stays, places, longest, people, secondPeople, second)), results[0]));
        }

        Console.WriteLine();
        var index = results[0];
        Console.WriteLine("| Method | First p50 | First p99 | First + second p50 | First + second p99 | Load + index | ÷ index, first (p50; p99) | ÷ index, first + second (p50; p99) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Label} | {Ms(r.First.P50)} | {Ms(r.First.P99)} | {Ms(r.Second.P50)} | {Ms(r.Second.P99)} | {r.Load.TotalSeconds:F1} s | " +
                $"{r.First.P50 / index.First.P50:N1}×; {r.First.P99 / index.First.P99:N1}× | {r.Second.P50 / index.Second.P50:N1}×; {r.Second.P99 / index.Second.P99:N1}× |"));
        }

        Console.WriteLine($"load average {BenchSupport.LoadAverage()}");
        return results.Skip(1).Any(r => r.First.Mismatches + r.Second.Mismatches > 0) ? 1 : 0;
    }

    private static ContactIndex Build(SyntheticPassages city)
    {
        var clock = Stopwatch.StartNew();
        var index = BenchSupport.Index(city, out _);
        Console.WriteLine($"index: {index.PassageCount:N0} passages, {index.StayCount:N0} stays, {index.PersonCount:N0} persons, built with generation in {clock.Elapsed.TotalSeconds:F1} s");
        return index;
    }

    private static TraceRequest Request(long person, RuleSet rules) => new(person, SyntheticPassages.Start.AddDays(7).AddHours(12), rules);

    private static (int Start, int End) Window(RuleSet rules)
    {
        var window = TraceWindow.For(Request(0, rules));
        return (IndexClock.ToSeconds(window.Start), IndexClock.ToSeconds(window.End));
    }

    private static Timings Sqlite(string path, List<(long Person, long Place, int Start, int End)> stays, List<(long PlaceId, PlaceKind Kind)> places,
        int longest, long[] people, long[] secondPeople, RuleSet secondRules)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, $"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576; CREATE TABLE stays (person INTEGER NOT NULL, place INTEGER NOT NULL, start_s INTEGER NOT NULL, end_s INTEGER NOT NULL); {PlacesTable}");
        var load = Stopwatch.StartNew();
        using (var transaction = connection.BeginTransaction())
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO stays ({Columns}) VALUES ($person, $place, $start, $end)";
            var parameters = new[] { "$person", "$place", "$start", "$end" }.Select(n => insert.Parameters.Add(n, SqliteType.Integer)).ToArray();
            insert.Prepare();
            foreach (var (person, place, start, end) in stays)
            {
                (parameters[0].Value, parameters[1].Value, parameters[2].Value, parameters[3].Value) = (person, place, start, end);
                insert.ExecuteNonQuery();
            }

            insert.Parameters.Clear();
            insert.CommandText = "INSERT INTO places (place, kind) VALUES ($place, $kind)";
            var (placeId, kind) = (insert.Parameters.Add("$place", SqliteType.Integer), insert.Parameters.Add("$kind", SqliteType.Integer));
            insert.Prepare();
            foreach (var p in places)
            {
                (placeId.Value, kind.Value) = (p.PlaceId, (int)p.Kind);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Execute(connection, Indexes + " ANALYZE;");
        load.Stop();
        Console.WriteLine($"SQLite {connection.ServerVersion}: {stays.Count:N0} stays loaded and indexed in {load.Elapsed.TotalSeconds:F1} s");

        using var first = connection.CreateCommand();
        first.CommandText = FirstSql(Dialect.Sqlite);
        using var second = connection.CreateCommand();
        second.CommandText = SecondSql(Dialect.Sqlite, secondRules);
        return new Timings("SQLite", Time(people, p => Count(first, p, First, longest)), Time(secondPeople, p => Count(second, p, secondRules, longest)), load.Elapsed);

        static int Count(SqliteCommand command, long person, RuleSet rules, int longest)
        {
            var (ws, we) = Window(rules);
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$p", person);
            command.Parameters.AddWithValue("$ws", ws);
            command.Parameters.AddWithValue("$we", we);
            command.Parameters.AddWithValue("$longest", longest);
            command.Parameters.AddWithValue("$minimum", (int)rules.MinimumOverlap.TotalSeconds);
            return Rows(command);
        }
    }

    private static Timings Postgres(string connectionString, List<(long Person, long Place, int Start, int End)> stays, List<(long PlaceId, PlaceKind Kind)> places,
        int longest, long[] people, long[] secondPeople, RuleSet secondRules)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        Execute(connection, $"CREATE TABLE stays (person bigint NOT NULL, place bigint NOT NULL, start_s integer NOT NULL, end_s integer NOT NULL); {PlacesTable}");
        var load = Stopwatch.StartNew();
        using (var copy = connection.BeginBinaryImport($"COPY stays ({Columns}) FROM STDIN (FORMAT BINARY)"))
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

        using (var copy = connection.BeginBinaryImport("COPY places (place, kind) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (place, kind) in places)
            {
                copy.StartRow();
                copy.Write(place, NpgsqlDbType.Bigint);
                copy.Write((int)kind, NpgsqlDbType.Integer);
            }

            copy.Complete();
        }

        Execute(connection, Indexes);
        Execute(connection, "VACUUM ANALYZE stays");
        Execute(connection, "VACUUM ANALYZE places");
        load.Stop();
        Console.WriteLine($"PostgreSQL {connection.PostgreSqlVersion}: {stays.Count:N0} stays loaded and indexed in {load.Elapsed.TotalSeconds:F1} s");

        using var first = Prepared(connection, FirstSql(Dialect.Postgres), First, longest);
        using var second = Prepared(connection, SecondSql(Dialect.Postgres, secondRules), secondRules, longest);
        return new Timings("PostgreSQL", Time(people, p => Count(first, p)), Time(secondPeople, p => Count(second, p)), load.Elapsed);

        static NpgsqlCommand Prepared(NpgsqlConnection connection, string sql, RuleSet rules, int longest)
        {
            var (ws, we) = Window(rules);
            var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add("p", NpgsqlDbType.Bigint);
            command.Parameters.Add("ws", NpgsqlDbType.Integer).Value = ws;
            command.Parameters.Add("we", NpgsqlDbType.Integer).Value = we;
            command.Parameters.Add("longest", NpgsqlDbType.Integer).Value = longest;
            command.Parameters.Add("minimum", NpgsqlDbType.Integer).Value = (int)rules.MinimumOverlap.TotalSeconds;
            command.Prepare();
            return command;
        }

        static int Count(NpgsqlCommand command, long person)
        {
            command.Parameters["p"].Value = person;
            return Rows(command);
        }
    }

    private enum Dialect
    {
        Sqlite,
        Postgres,
    }

    /// <summary>Every stay of another person overlapping one of the index person's stays inside the window by at least the minimum.</summary>
    private static string FirstSql(Dialect dialect) => Portable(dialect, """
        SELECT b.person AS contact, a.place, GREATEST(a.start_s, b.start_s, @ws) AS os, LEAST(a.end_s, b.end_s, @we) AS oe
        FROM stays a JOIN stays b
          ON b.place = a.place AND b.start_s >= a.start_s - @longest AND b.start_s < LEAST(a.end_s, @we) AND b.end_s > GREATEST(a.start_s, @ws)
        WHERE a.person = @p AND a.start_s < @we AND a.end_s > @ws AND b.person <> @p
          AND LEAST(a.end_s, b.end_s, @we) - GREATEST(a.start_s, b.start_s, @ws) >= @minimum
        """);

    /// <summary>
    /// The first-degree rows, then for each close contact the stays of others overlapping the
    /// contact's stays from its first exposure to the end of the window, leaving out the index
    /// person and the close contacts themselves.
    /// </summary>
    private static string SecondSql(Dialect dialect, RuleSet rules) => Portable(dialect, $"""
        WITH first AS ({FirstSql(Dialect.Postgres)}),
        exposed AS (SELECT contact, MIN(os) AS since FROM first GROUP BY contact)
        SELECT 1 AS degree, contact, place, os, oe FROM first
        UNION ALL
        SELECT 2, d.person, c.place, GREATEST(c.start_s, d.start_s, e.since), LEAST(c.end_s, d.end_s, @we)
        FROM exposed e
        JOIN stays c ON c.person = e.contact AND c.start_s < @we AND c.end_s > e.since
        {KindFilter(rules)}
        JOIN stays d
          ON d.place = c.place AND d.start_s >= c.start_s - @longest AND d.start_s < LEAST(c.end_s, @we) AND d.end_s > GREATEST(c.start_s, e.since)
        WHERE d.person <> e.contact AND d.person <> @p AND d.person NOT IN (SELECT contact FROM exposed)
          AND LEAST(c.end_s, d.end_s, @we) - GREATEST(c.start_s, d.start_s, e.since) >= @minimum
        """);

    /// <summary>Joins the close contact's stays to their place's kind when the rule set counts some kinds only.</summary>
    private static string KindFilter(RuleSet rules) => rules.SecondDegreePlaceKinds is { } kinds
        ? $"JOIN places k ON k.place = c.place AND k.kind IN ({string.Join(", ", kinds.Select(kind => (int)kind).Order())})"
        : "";

    /// <summary>SQLite spells GREATEST/LEAST as the many-argument MAX/MIN and names parameters with $.</summary>
    private static string Portable(Dialect dialect, string sql) => dialect == Dialect.Postgres
        ? sql
        : sql.Replace("GREATEST(", "MAX(", StringComparison.Ordinal).Replace("LEAST(", "MIN(", StringComparison.Ordinal).Replace('@', '$');

    private static int Rows(DbCommand command)
    {
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    /// <summary>Per-query wall-clock times, and the row count of each result for the comparison.</summary>
    private static Measured Time(long[] people, Func<long, int> run)
    {
        // Every method warms up alike: at least three queries and two seconds, the same persons
        // again below with the timer on. Two seconds, because tiered compilation swaps in the
        // index's optimised code only after a 100 ms delay, longer than a few fast traces take.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 3 || warming.Elapsed < TimeSpan.FromSeconds(2); i++)
        {
            run(people[i % people.Length]);
        }

        var micros = new double[people.Length];
        var rows = new int[people.Length];
        for (var i = 0; i < people.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            rows[i] = run(people[i]);
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var sorted = micros.Order().ToArray();
        return new Measured(Percentile(sorted, 0.50), Percentile(sorted, 0.99), rows, 0);
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Counts the results whose row count differs from the index's and prints the method's line.</summary>
    private static Timings Compared(Timings timings, Timings index)
    {
        var first = timings.First with { Mismatches = timings.First.Rows.Where((r, i) => r != index.First.Rows[i]).Count() };
        var second = timings.Second with { Mismatches = timings.Second.Rows.Where((r, i) => r != index.Second.Rows[i]).Count() };
        Console.WriteLine($"  {timings.Label}: first degree p50 {Ms(first.P50)}, p99 {Ms(first.P99)}, {first.Rows.Average():N0} rows per query; " +
            $"first + second p50 {Ms(second.P50)}, p99 {Ms(second.P99)}, {(second.Rows.Length == 0 ? 0 : second.Rows.Average()):N0} rows per query; " +
            $"results whose row count differs from the index: {first.Mismatches} of {first.Rows.Length}, {second.Mismatches} of {second.Rows.Length}");
        return timings with { First = first, Second = second };
    }

    private static string Ms(double micros) => micros >= 1_000
        ? (micros / 1_000).ToString("N1", CultureInfo.InvariantCulture) + " ms"
        : micros.ToString("N0", CultureInfo.InvariantCulture) + " µs";

    private static void Execute(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.ExecuteNonQuery();
    }


    private sealed record Measured(double P50, double P99, int[] Rows, int Mismatches);

    private sealed record Timings(string Label, Measured First, Measured Second, TimeSpan Load);
}
