using System.Diagnostics;
using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO;
using Shanzhi.Geography;

namespace Shanzhi.Bench;

/// <summary>
/// Single-threaded point → grid lookups over the generated Ningbo grids: the <see cref="GridLocator"/>
/// raster index against NetTopologySuite STRtree + PreparedGeometry and against a linear scan.
/// </summary>
/// <remarks>
/// A scenario runner rather than BenchmarkDotNet: each round times one pass over a fixed set of
/// random points and the median of the rounds is reported. The whole run takes under a minute on
/// a 2-core machine, where BenchmarkDotNet's default jobs take several.
/// </remarks>
internal static class GridLookupBenchmark
{
    public static int Run(string[] args)
    {
        var points = IntOption(args, "--points", 1_000_000);
        var linearPoints = IntOption(args, "--linear-points", 20_000);
        var rounds = IntOption(args, "--rounds", 9);
        var seed = IntOption(args, "--seed", 20261204);

        Console.WriteLine($"grid benchmark: {points:N0} points ({linearPoints:N0} for the linear scan), {rounds} rounds, seed {seed}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}");

        var setup = Stopwatch.StartNew();
        var regions = NingboRegions.Create(DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1)));
        Console.WriteLine($"region tree: {regions.Count:N0} regions in {setup.ElapsedMilliseconds:N0} ms");

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var load = Stopwatch.StartNew();
        var locator = new GridLocator();
        locator.Load(regions);
        load.Stop();
        var indexBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        Console.WriteLine($"GridLocator.Load: {locator.Count:N0} grids, {locator.RegionCount:N0} regions indexed in {load.ElapsedMilliseconds:N0} ms, about {indexBytes / (1024.0 * 1024):F1} MiB");

        var reader = new WKBReader();
        var grids = regions
            .Where(r => r.Level == RegionLevel.Grid)
            .Select(r => (r.Code, Boundary: reader.Read(r.Boundary)))
            .Select(g => new LinearEntry(g.Boundary.EnvelopeInternal, PreparedGeometryFactory.Prepare(g.Boundary), g.Code))
            .ToArray();
        var tree = new STRtree<(IPreparedGeometry Prepared, string Code)>();
        foreach (var grid in grids)
        {
            tree.Insert(grid.Envelope, (grid.Prepared, grid.Code));
        }

        tree.Build();

        var city = reader.Read(regions.Single(r => r.Level == RegionLevel.City).Boundary).EnvelopeInternal;
        var random = new Random(seed);
        var xs = new double[points];
        var ys = new double[points];
        var geometries = new Point[points];
        for (var i = 0; i < points; i++)
        {
            xs[i] = city.MinX + (random.NextDouble() * city.Width);
            ys[i] = city.MinY + (random.NextDouble() * city.Height);
            geometries[i] = new Point(xs[i], ys[i]);
        }

        Console.WriteLine($"city bounding box {city.MinX:F4}..{city.MaxX:F4} °E, {city.MinY:F4}..{city.MaxY:F4} °N");

        var disagreements = 0;
        var hits = 0;
        for (var i = 0; i < points; i++)
        {
            var ours = locator.Locate(ys[i], xs[i]);
            var theirs = LocateWithTree(tree, geometries[i]);
            hits += theirs is null ? 0 : 1;
            if (ours?.RegionCode != theirs && !(theirs is null && ours is { Level: not RegionLevel.Grid }))
            {
                disagreements++;
            }
        }

        Console.WriteLine($"agreement: {points - disagreements:N0} of {points:N0} points give the same grid as the STRtree; {hits:N0} points fall in a grid");

        var rates = Measure(rounds, [
            new Scenario("GridLocator (raster index)", points, i => locator.Locate(ys[i], xs[i]) is null ? 0 : 1),
            new Scenario("NTS STRtree + PreparedGeometry", points, i => LocateWithTree(tree, geometries[i]) is null ? 0 : 1),
            new Scenario("Linear scan, envelope test + PreparedGeometry", linearPoints, i => LocateLinearly(grids, geometries[i]) is null ? 0 : 1),
        ]);
        var ourRate = rates[0];
        var treeRate = rates[1];

        Console.WriteLine();
        Console.WriteLine("| Method | Lookups/s (median) | ns/lookup | GridLocator ÷ method |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, rate) in new[] { "GridLocator (raster index)", "NTS STRtree + PreparedGeometry", "Linear scan, envelope test + PreparedGeometry" }.Zip(rates))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {rate:N0} | {1e9 / rate:F1} | {ourRate / rate:F1}× |"));
        }

        var targetMet = ourRate >= 1_000_000 && ourRate >= 2.5 * treeRate;
        Console.WriteLine();
        Console.WriteLine(targetMet
            ? "target met: ≥ 1 M lookups/s and ≥ 2.5× the STRtree"
            : "target NOT met: needs ≥ 1 M lookups/s and ≥ 2.5× the STRtree");
        return disagreements == 0 ? 0 : 1;
    }

    private static string? LocateWithTree(STRtree<(IPreparedGeometry Prepared, string Code)> tree, Point point)
    {
        foreach (var (prepared, code) in tree.Query(point.EnvelopeInternal))
        {
            if (prepared.Contains(point))
            {
                return code;
            }
        }

        return null;
    }

    private static string? LocateLinearly(LinearEntry[] grids, Point point)
    {
        var x = point.X;
        var y = point.Y;
        foreach (var grid in grids)
        {
            if (grid.Envelope.Contains(x, y) && grid.Prepared.Contains(point))
            {
                return grid.Code;
            }
        }

        return null;
    }

    private sealed record LinearEntry(Envelope Envelope, IPreparedGeometry Prepared, string Code);

    /// <summary>
    /// Runs one warm-up pass per scenario, then <paramref name="rounds"/> rounds that each time one
    /// pass of every scenario in turn, so load from other processes hits all of them alike; returns
    /// the median rate of each scenario.
    /// </summary>
    private static double[] Measure(int rounds, Scenario[] scenarios)
    {
        var sink = 0;
        var rates = scenarios.Select(_ => new List<double>()).ToArray();
        for (var round = -1; round < rounds; round++)
        {
            for (var s = 0; s < scenarios.Length; s++)
            {
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < scenarios[s].Points; i++)
                {
                    sink += scenarios[s].Lookup(i);
                }

                watch.Stop();
                if (round >= 0)
                {
                    rates[s].Add(scenarios[s].Points / watch.Elapsed.TotalSeconds);
                }
            }
        }

        var medians = new double[scenarios.Length];
        for (var s = 0; s < scenarios.Length; s++)
        {
            rates[s].Sort();
            medians[s] = rates[s][rates[s].Count / 2];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scenarios[s].Name}: median {medians[s]:N0}/s, min {rates[s][0]:N0}/s, max {rates[s][^1]:N0}/s over {rounds} passes of {scenarios[s].Points:N0} points"));
        }

        Console.WriteLine($"(checksum {sink})");
        return medians;
    }

    private sealed record Scenario(string Name, int Points, Func<int, int> Lookup);

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
