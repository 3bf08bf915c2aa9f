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
/// random points, and the median of the rounds is reported, which keeps the whole run to about a
/// minute on a 2-core machine.
/// </remarks>
internal static class GridLookupBenchmark
{
    public static int Run(string[] args)
    {
        var points = IntOption(args, "--points", 1_000_000);
        var linearPoints = IntOption(args, "--linear-points", 5_000);
        var rounds = IntOption(args, "--rounds", 7);
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
            .Select(r => (Code: r.Code, Boundary: reader.Read(r.Boundary)))
            .ToList();
        var tree = new STRtree<(IPreparedGeometry Prepared, string Code)>();
        foreach (var (code, boundary) in grids)
        {
            tree.Insert(boundary.EnvelopeInternal, (PreparedGeometryFactory.Prepare(boundary), code));
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

        var ourRate = Measure("GridLocator (raster index)", rounds, points, i => locator.Locate(ys[i], xs[i]) is null ? 0 : 1);
        var treeRate = Measure("NTS STRtree + PreparedGeometry", rounds, points, i => LocateWithTree(tree, geometries[i]) is null ? 0 : 1);
        var linearRate = Measure("linear scan, Geometry.Contains", Math.Min(rounds, 3), linearPoints, i => LocateLinearly(grids, geometries[i]) is null ? 0 : 1);

        Console.WriteLine();
        Console.WriteLine("| Method | Lookups/s (median) | ns/lookup | Ours ÷ method |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, rate) in new[] { ("GridLocator (raster index)", ourRate), ("NTS STRtree + PreparedGeometry", treeRate), ("Linear scan, Geometry.Contains", linearRate) })
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

    private static string? LocateLinearly(List<(string Code, Geometry Boundary)> grids, Point point)
    {
        foreach (var (code, boundary) in grids)
        {
            if (boundary.Contains(point))
            {
                return code;
            }
        }

        return null;
    }

    /// <summary>Times <paramref name="rounds"/> passes over the points after one warm-up pass and returns the median rate.</summary>
    private static double Measure(string name, int rounds, int points, Func<int, int> lookup)
    {
        var sink = 0;
        for (var i = 0; i < points; i++)
        {
            sink += lookup(i);
        }

        var rates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < points; i++)
            {
                sink += lookup(i);
            }

            watch.Stop();
            rates.Add(points / watch.Elapsed.TotalSeconds);
        }

        rates.Sort();
        var median = rates[rates.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {median:N0}/s, min {rates[0]:N0}/s, max {rates[^1]:N0}/s over {rounds} rounds of {points:N0} (hits {sink})"));
        return median;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
