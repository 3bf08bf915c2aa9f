using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Bench;

/// <summary>
/// Helpers of the tracing benchmarks: throw-away stores (each run creates its own and removes it
/// afterwards), a freshly built index, the load average and command-line options.
/// </summary>
internal static class BenchSupport
{
    /// <summary>Runs <paramref name="run"/> with a fresh folder for SQLite files and deletes the folder afterwards.</summary>
    public static void InSqliteFolder(string prefix, Action<string> run)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            run(folder);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs <paramref name="run"/> with the connection string of a new database on the server <paramref name="admin"/> names, then drops it.</summary>
    public static T InPostgresDatabase<T>(string admin, string prefix, Func<string, T> run)
    {
        var database = prefix + Guid.NewGuid().ToString("N")[..12];
        Execute(admin, $"CREATE DATABASE {database}");
        try
        {
            return run(new NpgsqlConnectionStringBuilder(admin) { Database = database, CommandTimeout = 0 }.ConnectionString);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>
    /// A fresh index holding the city's passages, as the rebuild fills it; <paramref name="adding"/>
    /// is the time spent in <see cref="ContactIndex.Add"/> alone, generation left out.
    /// </summary>
    public static ContactIndex Index(SyntheticPassages city, out TimeSpan adding)
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.BeginRebuild();
        foreach (var (id, kind) in city.Places())
        {
            index.SetPlaceKind(id, kind);
        }

        var clock = new System.Diagnostics.Stopwatch();
        city.Generate(batch =>
        {
            clock.Start();
            index.Add(batch);
            clock.Stop();
        });
        index.EndRebuild();
        adding = clock.Elapsed;
        return index;
    }

    /// <summary>
    /// A fresh index built from the city's passages the way the loader builds it: collected in a
    /// <see cref="RebuildBuffer"/> (<paramref name="collecting"/>, generation left out), then one bulk
    /// build (<paramref name="building"/>).
    /// </summary>
    public static ContactIndex BulkIndex(SyntheticPassages city, out TimeSpan collecting, out TimeSpan building)
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()));
        index.BeginRebuild();
        foreach (var (id, kind) in city.Places())
        {
            index.SetPlaceKind(id, kind);
        }

        var buffer = new RebuildBuffer();
        var clock = new System.Diagnostics.Stopwatch();
        city.Generate(batch =>
        {
            clock.Start();
            buffer.Add(batch);
            clock.Stop();
        });
        collecting = clock.Elapsed;

        clock.Restart();
        index.EndRebuild(buffer);
        building = clock.Elapsed;
        return index;
    }

    /// <summary>The system's load average over 1, 5 and 15 minutes, printed beside every result because the machine is shared.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

    /// <summary>Reads the integer after <paramref name="name"/> on the command line, or returns <paramref name="fallback"/>.</summary>
    public static long Option(string[] args, string name, long fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? long.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
