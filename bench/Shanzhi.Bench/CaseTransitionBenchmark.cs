using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Bench;

/// <summary>
/// Case transitions with their event log on SQLite (ARCHITECTURE.md §9: ≥ 2,000/s; baseline EF Core
/// with one transaction per transition, unbatched). The web host's own services run over a fresh
/// store seeded as on first start. Each case is reported (not timed), then taken through the seven
/// transitions of the closed loop: file, dispatch, start, resolve, request verification, pass
/// verification and close. Every transition goes through <see cref="CaseService.ActAsync"/> in a
/// scope of its own, as an API request does: it loads the case, checks scope, role and state,
/// saves the case row and its event in one transaction, and then appends the audit record in a
/// second one.
/// </summary>
/// <remarks>
/// The engine is itself EF Core with one transaction per transition, so the baseline is the same
/// code with one transition at a time (one client); the measured run has <c>--clients</c> clients
/// at once, as a command centre's staff and the handling units work side by side. Both runs use
/// their own cases of the same store, baseline first.
/// </remarks>
internal static class CaseTransitionBenchmark
{
    private static readonly (double Latitude, double Longitude) InHaishu = (29.8700, 121.5450);

    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var cases = (int)BenchSupport.Option(args, "--cases", 1000);
        var clients = (int)BenchSupport.Option(args, "--clients", 8);
        var folder = Path.Combine(Path.GetTempPath(), "shanzhi-bench-cases-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine($"case transition benchmark: {cases:N0} cases per run, 7 transitions each, {clients} clients; store {folder}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}, load {BenchSupport.LoadAverage()}");
        try
        {
            await using var host = new BenchHost(folder);
            var services = host.Services;
            var warmUp = await ReportAsync(services, 50);
            var unitId = await UnitForAsync(services, warmUp[0]);

            // Warm-up: the JIT, the connection pool and the calendar cache.
            await DriveAsync(services, warmUp, unitId, clients: 1);

            Console.WriteLine("run                                    cases  transitions  seconds  transitions/s   p50 ms   p99 ms");
            var baseline = await DriveAsync(services, await ReportAsync(services, cases), unitId, clients: 1);
            Print("baseline: one transition at a time", baseline);
            var measured = await DriveAsync(services, await ReportAsync(services, cases), unitId, clients);
            Print($"case engine, {clients} clients at once", measured);
            Console.WriteLine($"ratio {measured.PerSecond / baseline.PerSecond:F2}× the baseline; target ≥ 2,000 transitions/s");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Returns an active unit whose territory contains the case, as a dispatch requires.</summary>
    private static async Task<Guid> UnitForAsync(IServiceProvider services, Guid caseId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var casePath = await db.Cases.AsNoTracking().Where(c => c.Id == caseId).Select(c => c.RegionPath).SingleAsync();
        var units = await db.Units.AsNoTracking().Where(u => u.IsActive)
            .Join(db.Regions.AsNoTracking(), u => u.RegionCode, r => r.Code, (u, r) => new { u.Id, u.Name, r.Path })
            .ToListAsync();
        return units.Where(u => casePath.StartsWith(u.Path, StringComparison.Ordinal)).OrderBy(u => u.Name).Select(u => u.Id).FirstOrDefault() is { } id && id != Guid.Empty
            ? id
            : throw new InvalidOperationException("No active unit in the seeded store covers the benchmark point; check the seeded units and regions.");
    }

    private static async Task<Guid[]> ReportAsync(IServiceProvider services, int count)
    {
        var ids = new Guid[count];
        for (var i = 0; i < count; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<CaseService>().ReportAsync(
                new ReportCaseRequest("压测：路边暴露垃圾", "人行道旁有一堆生活垃圾", InHaishu.Latitude, InHaishu.Longitude, "E0101"),
                StaffPrincipal.System, CancellationToken.None);
            ids[i] = result.Value?.Id ?? throw new InvalidOperationException($"Reporting a benchmark case failed: {result.Error?.Code}");
        }

        return ids;
    }

    private static CaseActionRequest[] Loop(Guid unitId) =>
    [
        new(CaseAction.File),
        new(CaseAction.Dispatch, UnitId: unitId),
        new(CaseAction.Start),
        new(CaseAction.Resolve, Reason: "已清运"),
        new(CaseAction.RequestVerification),
        new(CaseAction.PassVerification, Reason: "现场已清理"),
        new(CaseAction.Close),
    ];

    /// <summary>Takes every case through the loop. Each client takes the next case from a shared counter.</summary>
    private static async Task<Outcome> DriveAsync(IServiceProvider services, Guid[] ids, Guid unitId, int clients)
    {
        var loop = Loop(unitId);
        var latencies = new double[ids.Length * loop.Length];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < ids.Length; i = Interlocked.Increment(ref next))
            {
                for (var step = 0; step < loop.Length; step++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await using var scope = services.CreateAsyncScope();
                    var result = await scope.ServiceProvider.GetRequiredService<CaseService>().ActAsync(ids[i], loop[step], StaffPrincipal.System, CancellationToken.None);
                    if (result.Error is { } error)
                    {
                        throw new InvalidOperationException($"{loop[step].Action} failed on benchmark case {i}: {error.Code}");
                    }

                    latencies[i * loop.Length + step] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }
        })));
        clock.Stop();
        Array.Sort(latencies);
        return new Outcome(ids.Length, latencies.Length, clock.Elapsed.TotalSeconds, latencies[latencies.Length / 2],
            latencies[Math.Min(latencies.Length - 1, (int)(0.99 * latencies.Length))]);
    }

    private static void Print(string name, Outcome o) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-38} {o.Cases,6:N0} {o.Transitions,12:N0} {o.Seconds,8:F2} {o.PerSecond,14:N0} {o.P50,8:F2} {o.P99,8:F2}"));

    private sealed record Outcome(int Cases, int Transitions, double Seconds, double P50, double P99)
    {
        public double PerSecond => Transitions / Seconds;
    }
}
