using Shanzhi.Bench;

// Each benchmark is a named scenario: `dotnet run -c Release --project bench/Shanzhi.Bench -- NAME [options]`.
var benchmarks = new Dictionary<string, (string Summary, Func<string[], int> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["grid"] = ("Point → grid lookups over the generated Ningbo grids against NetTopologySuite baselines", GridLookupBenchmark.Run),
    ["ingest"] = ("Durable passage ingest on SQLite and PostgreSQL against autocommit and EF Core row-at-a-time", IngestBenchmark.Run),
    ["gate"] = ("Gate checks over HTTP on loopback Kestrel at fixed request rates (p50/p99)", GateCheckBenchmark.Run),
    ["population"] = ("Memory and lookup time of the population directory at 10 M persons against the previous dictionary cache, and its load from SQLite", PopulationDirectoryBenchmark.Run),
    ["gate-load"] = ("The load generator of `gate`, which starts it in its own process", GateCheckBenchmark.RunLoad),
    ["trace"] = ("Contact tracing on the in-memory index at 10 M persons / 100 M passages: build, memory, first and second degree", TracingBenchmark.Run),
    ["trace-sql"] = ("First and first + second degree tracing on the index against the same query as SQL in SQLite and PostgreSQL", TracingSqlBenchmark.Run),
    ["cases"] = ("Case transitions with their event log and audit records on SQLite, several clients at once against one transition at a time", CaseTransitionBenchmark.Run),
    ["rebuild"] = ("Contact index rebuild from the passages table of a SQLite and a PostgreSQL store", IndexRebuildBenchmark.Run),
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Shanzhi.Bench -- NAME [options]");
    foreach (var (name, (summary, _)) in benchmarks)
    {
        Console.Error.WriteLine($"  {name,-8} {summary}");
    }

    return 2;
}

return benchmark.Run(args[1..]);
