using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Bench;

/// <summary>
/// Contact tracing on the in-memory index at city scale: build time, bytes per passage, first-degree
/// and first + second-degree latency. The comparison with SQL is <see cref="TracingSqlBenchmark"/>.
/// </summary>
internal static class TracingBenchmark
{
    private static readonly RuleSet FirstDegree = RuleSets.Who;

    public static int Run(string[] args)
    {
        var persons = (int)BenchSupport.Option(args, "--persons", 10_000_000);
        var passages = BenchSupport.Option(args, "--passages", 100_000_000);
        var days = (int)BenchSupport.Option(args, "--days", 14);
        var queries = (int)BenchSupport.Option(args, "--queries", 2_000);
        var seed = (int)BenchSupport.Option(args, "--seed", 20261205);
        var secondQueries = (int)BenchSupport.Option(args, "--second-queries", queries);
        var secondDegree = args.Contains("--every-kind") ? RuleSets.China9 with { SecondDegreePlaceKinds = null } : RuleSets.China9;

        Console.WriteLine($"trace benchmark: {persons:N0} persons, {passages:N0} passages over {days} days, {queries:N0} queries, seed {seed}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}, load average {BenchSupport.LoadAverage()}");

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
            var where = secondDegree.SecondDegreePlaceKinds is { } kinds ? string.Join(", ", kinds.Order()) : "every place kind";
            Latency($"first + second degree (China 9th, second degree at {where})", index, people[..Math.Min(secondQueries, people.Length)], secondDegree, warmUp);
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

    private static void Latency(string label, ContactIndex index, long[] people, RuleSet rules, long[]? warmUp = null)
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
        var sizes = new (int Edges, int Close, int People)[people.Length];
        long edges = 0, contacts = 0;
        // Reused sets: counting must not leave garbage for the next timed trace to collect.
        var (reached, close) = (new HashSet<long>(), new HashSet<long>());
        using var process = Process.GetCurrentProcess();
        var processor = TimeSpan.Zero;
        for (var i = 0; i < people.Length; i++)
        {
            process.Refresh();
            var processorBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            var result = index.Trace(Request(people[i], rules));
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            process.Refresh();
            processor += process.TotalProcessorTime - processorBefore;
            reached.Clear();
            close.Clear();
            foreach (var edge in result.Edges)
            {
                reached.Add(edge.To);
                if (edge.Degree == 1)
                {
                    close.Add(edge.To);
                }
            }

            edges += result.Edges.Count;
            contacts += reached.Count;
            sizes[i] = (result.Edges.Count, close.Count, reached.Count);
        }

        // The result sizes of the slowest 1 % of traces, which set the p99.
        var slowest = Enumerable.Range(0, people.Length).OrderByDescending(i => micros[i]).Take(Math.Max(1, people.Length / 100)).ToList();
        Console.WriteLine($"    slowest 1 % ({slowest.Count} traces): {slowest.Average(i => micros[i]) / 1000:N1} ms, {slowest.Average(i => sizes[i].Close):N0} close contacts, " +
            $"{slowest.Average(i => sizes[i].People):N0} people and {slowest.Average(i => sizes[i].Edges):N0} edges per trace on average");

        Report(label, micros, $"{(double)edges / people.Length:F1} edges, {(double)contacts / people.Length:F1} distinct people per trace");
        Console.WriteLine($"    processor time of the process during the traces: {processor.TotalMilliseconds / people.Length:N2} ms per trace on average (all threads, GC included)");
    }

    private static void Report(string label, double[] micros, string extra)
    {
        Array.Sort(micros);
        Console.WriteLine($"  {label}: p50 {Percentile(micros, 0.50):N1} µs, p99 {Percentile(micros, 0.99):N1} µs, max {micros[^1]:N1} µs; {extra}; load average {BenchSupport.LoadAverage()}");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
