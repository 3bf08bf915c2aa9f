extern alias web;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Bench;

/// <summary>
/// Gate checks over HTTP at fixed request rates. The web host runs on Kestrel on loopback over a
/// fresh SQLite store in a temporary folder, with one mall, one device and a population of green
/// persons, and with the platform's own services (the durable <c>PassageWriter</c>, the registry's
/// in-memory population directory). Before the load it measures two baselines in the same process:
/// the passage writer alone and a bare <c>fsync</c>. The load generator runs in a second process (<c>gate-load</c>, started by
/// this one) so that its work is not counted against the server; <c>--in-process</c> keeps both in
/// one process as before. For each rate, requests are sent on a fixed schedule (open loop). Each
/// latency is measured from the request's scheduled send time, so a stalled server shows up as
/// latency instead of as fewer requests (no coordinated omission).
/// </summary>
/// <remarks>
/// Half the checks carry an ID number (blind-index lookup), half a person key. Each step also
/// reports the CPU time the server and the load generator spent per request, read from
/// <c>/proc</c> through <see cref="Process.TotalProcessorTime"/>.
/// </remarks>
internal static class GateCheckBenchmark
{
    public static int Run(string[] args)
    {
        // The web host runs with server GC in production (Microsoft.NET.Sdk.Web turns it on in its
        // runtimeconfig.json) and without thread-pool spinning (Shanzhi.Web.csproj). This process
        // hosts it, so it restarts itself with both unless --workstation-gc selects the set-up of earlier runs.
        if (!System.Runtime.GCSettings.IsServerGC && !args.Contains("--workstation-gc") && Environment.GetEnvironmentVariable(ServerGcVariable) is null)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(GateCheckBenchmark).Assembly.Location, "gate", .. args])
            {
                UseShellExecute = false,
                Environment = { [ServerGcVariable] = "1", [SpinLimitVariable] = "0" },
            };
            using var server = Process.Start(start) ?? throw new InvalidOperationException("The benchmark could not restart itself with server GC.");
            server.WaitForExit();
            return server.ExitCode;
        }

        return RunAsync(args).GetAwaiter().GetResult();
    }

    private const string ServerGcVariable = "DOTNET_gcServer";

    private const string SpinLimitVariable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    /// <summary>The load generator's own entry point, run by <see cref="Run"/> in a child process.</summary>
    public static int RunLoad(string[] args) => RunLoadAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var rates = Option(args, "--rates", "1000,5000,10000");
        var seconds = Option(args, "--seconds", "10");
        var persons = int.Parse(Option(args, "--persons", "10000"), CultureInfo.InvariantCulture);
        var connections = Option(args, "--connections", "256");
        var folder = Path.Combine(Path.GetTempPath(), "shanzhi-bench-gate-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine($"gate benchmark: rates {rates} req/s, {seconds} s each, {persons:N0} persons, {connections} connections, store {folder}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}, server process {Environment.ProcessId}");

        try
        {
            await using var host = new BenchHost(folder);
            var port = FreePort();
            host.UseKestrel(port);
            host.StartServer();
            var work = await SetUpAsync(host.Services, persons);
            var url = $"http://127.0.0.1:{port}";

            if (args.Contains("--probe"))
            {
                await ProbeAsync(host.Services, url, work);
                return 0;
            }

            using var stats = args.Contains("--stats") ? new ServerStats(host.Services.GetRequiredService<PassageWriter>()) : null;
            if (!args.Contains("--no-baselines"))
            {
                await CommitBaselinesAsync(host.Services, work, folder, rates, int.Parse(seconds, CultureInfo.InvariantCulture));
            }

            var workFile = Path.Combine(folder, "load.txt");
            await File.WriteAllLinesAsync(workFile, [work.Key, .. work.PersonKeys.Select((k, i) => string.Create(CultureInfo.InvariantCulture, $"{k} {work.IdNumbers[i]}"))]);
            string[] loadArgs = ["--url", url, "--work", workFile, "--rates", rates, "--seconds", seconds, "--connections", connections, "--server-pid",
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture), .. args.Where(a => a is "--http-client" or "--stats")];
            if (args.Contains("--in-process"))
            {
                return await RunLoadAsync(loadArgs);
            }

            var start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(GateCheckBenchmark).Assembly.Location, "gate-load", .. loadArgs]) { UseShellExecute = false };
            // The load generator keeps the workstation GC, because only the server represents production.
            start.Environment.Remove(ServerGcVariable);

            // Each check stores one passage, so the writer's row count is the number of checks.
            var writer = host.Services.GetRequiredService<PassageWriter>();
            var rowsBefore = writer.Statistics.Rows;
            using var sampler = args.Contains("--alloc-types") ? new AllocationSampler() : null;
            using var load = Process.Start(start) ?? throw new InvalidOperationException("The load generator did not start.");
            await load.WaitForExitAsync();
            sampler?.Print(writer.Statistics.Rows - rowsBefore);
            return load.ExitCode;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunLoadAsync(string[] args)
    {
        var url = Option(args, "--url", "");
        var lines = await File.ReadAllLinesAsync(Option(args, "--work", ""));
        var rates = Option(args, "--rates", "1000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var seconds = int.Parse(Option(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var connections = int.Parse(Option(args, "--connections", "256"), CultureInfo.InvariantCulture);
        using var server = Process.GetProcessById(int.Parse(Option(args, "--server-pid", "0"), CultureInfo.InvariantCulture));
        var separate = server.Id != Environment.ProcessId;
        var key = lines[0];
        var people = lines[1..].Select(l => l.Split(' ')).ToArray();

        var sequence = 0L;
        byte[] Body()
        {
            var n = Interlocked.Increment(ref sequence);
            var person = people[(int)(n % people.Length)];
            var identity = n % 2 == 0
                ? $$"""{"kind":"idNumber","idNumber":"{{person[1]}}"}"""
                : $$"""{"kind":"personKey","personKey":{{person[0]}}}""";
            // The time of the check, as a live gate sends it. With one fixed time for every check,
            // each passage landed before the person's earlier ones from the writer baseline, and the
            // index re-sorted that person's stays for every check.
            return Encoding.UTF8.GetBytes($$"""{"sequence":{{n}},"occurredAt":"{{Now()}}","direction":"In","identity":{{identity}}}""");
        }

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add(web::Shanzhi.Web.Api.EpidemicGateEndpoints.DeviceKeyHeader, key);
        var useHttpClient = args.Contains("--http-client");
        PerSecond = args.Contains("--stats");
        Func<Func<byte[], Task<bool>>> worker = useHttpClient
            ? () => async content =>
            {
                using var response = await client.PostAsync(CheckPath, new ByteArrayContent(content)
                {
                    Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
                });
                await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.OK;
            }
            : () => new RawConnection(new Uri(url), key).PostAsync;

        Console.WriteLine($"load generator: {(separate ? $"process {Environment.ProcessId}" : "in the server process")}, {connections} connections, {(useHttpClient ? "HttpClient" : "raw HTTP/1.1 sockets")}");
        // Warm-up, not reported: 20 s, so that the steps measure the steady state. In the first
        // 20 s of load the server's gen-0 collections promoted 2–14 MiB each and paused 6–90 ms.
        // Afterwards they promoted under 0.5 MiB and paused 1–4 ms (quiet runs of 2026-12-05).
        await DriveAsync(worker, Body, 500, 5, connections, cpu: null, report: false);
        await DriveAsync(worker, Body, 2_000, 5, connections, cpu: null, report: false);
        await DriveAsync(worker, Body, 5_000, 10, connections, cpu: null, report: false);
        Console.WriteLine($"{"target/s",9} {"sent",8} {"ok",8} {"failed",7} {"achieved/s",11} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"server µs/req",14} {"client µs/req",14} {"sent late p99 ms",17}");
        foreach (var rate in rates)
        {
            await DriveAsync(worker, Body, rate, seconds, connections, separate ? server : null);
        }

        return 0;
    }

    private const int MaxOutstanding = 2000;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>The current time as a device sends it; the platform rejects checks older than the movement retention.</summary>
    private static string Now() => DateTimeOffset.UtcNow.ToOffset(ChinaStandardTime).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Set by <c>--stats</c>: the generator prints each second's p99 and max after a step.</summary>
    private static bool PerSecond { get; set; }

    private const string CheckPath = "/api/v1/epidemic/gate/check";

    /// <summary>
    /// Sends <paramref name="rate"/> requests per second for <paramref name="seconds"/> on a fixed
    /// schedule through <paramref name="connections"/> workers, each with one request in flight.
    /// Prints one result line unless <paramref name="report"/> is false; the server CPU column needs <paramref name="cpu"/>.
    /// </summary>
    private static async Task DriveAsync(Func<Func<byte[], Task<bool>>> newWorker, Func<byte[]> body, int rate, int seconds, int connections, Process? cpu, bool report = true)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var late = new double[total];
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        var lastDone = 0L;
        var completed = 0;
        var queue = Channel.CreateUnbounded<(int Index, TimeSpan Due, byte[] Content)>(new UnboundedChannelOptions { SingleWriter = true });
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            var post = newWorker();
            await foreach (var (index, due, content) in queue.Reader.ReadAllAsync())
            {
                try
                {
                    if (!await post(content))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
                {
                    Interlocked.Increment(ref failures);
                }

                var done = clock.Elapsed;
                latencies[index] = (done - due).TotalMilliseconds;
                Interlocked.Increment(ref completed);
                InterlockedMax(ref lastDone, done.Ticks);
            }
        })).ToArray();

        cpu?.Refresh();
        var serverCpu = cpu?.TotalProcessorTime ?? TimeSpan.Zero;
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sent = await PaceAsync(clock, rate, total, (i, due) =>
        {
            // Past this backlog the server cannot keep the rate; stop so the run stays short, and report it.
            if (i - Volatile.Read(ref completed) > MaxOutstanding)
            {
                Console.WriteLine($"{rate,9} saturated after {i:N0} requests ({clock.Elapsed.TotalSeconds:F1} s): more than {MaxOutstanding:N0} outstanding");
                return false;
            }

            late[i] = (clock.Elapsed - due).TotalMilliseconds;
            queue.Writer.TryWrite((i, due, body()));
            return true;
        });

        queue.Writer.Complete();
        await Task.WhenAll(workers);
        if (!report)
        {
            return;
        }

        cpu?.Refresh();
        var serverMicros = cpu is null ? double.NaN : (cpu.TotalProcessorTime - serverCpu).TotalMicroseconds / sent;
        var clientMicros = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalMicroseconds / sent;
        if (PerSecond)
        {
            // Each second of the schedule (by due time, on the wall clock) with its p99 and max, to line up with the server's lines.
            for (var from = 0; from < sent; from += rate)
            {
                var second = latencies[from..Math.Min(sent, from + rate)];
                Array.Sort(second);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  load {started.AddSeconds(from / (double)rate):HH:mm:ss} {rate,6}/s p99 {Percentile(second, 0.99),7:F2} ms max {second[^1],7:F1} ms"));
            }
        }

        var measured = latencies[..sent];
        Array.Sort(measured);
        // Delay between each request's due time and its send, which is the generator's share of the latency.
        var lateness = late[..sent];
        Array.Sort(lateness);
        var achieved = (sent - failures) / TimeSpan.FromTicks(lastDone).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rate,9} {sent,8} {sent - failures,8} {failures,7} {achieved,11:F0} {Percentile(measured, 0.50),8:F2} {Percentile(measured, 0.99),8:F2} {measured[^1],8:F1} {(cpu is null ? "-" : serverMicros.ToString("F0", CultureInfo.InvariantCulture)),14} {clientMicros,14:F0} {Percentile(lateness, 0.99),17:F2}"));
    }

    /// <summary>Registers one mall with a device and <paramref name="count"/> green persons; returns the device key and the persons.</summary>
    private static async Task<Work> SetUpAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<PlaceRegistry>();
        var ct = CancellationToken.None;
        var place = (await registry.CreatePlaceAsync(new CreatePlaceRequest("压测商场", PlaceKind.Mall, 29.8700, 121.5450), StaffPrincipal.System, ct)).Value
            ?? throw new InvalidOperationException("The benchmark place could not be registered.");
        var entrance = (await registry.AddEntranceAsync(place.Id, "正门", StaffPrincipal.System, ct)).Value!;
        var device = (await registry.AddDeviceAsync(place.Id, entrance.Id, "压测终端", StaffPrincipal.System, ct)).Value!;

        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var cipher = scope.ServiceProvider.GetRequiredService<FieldCipher>();
        var index = scope.ServiceProvider.GetRequiredService<BlindIndex>();
        var ids = new string[count];
        var people = new Person[count];
        for (var i = 0; i < count; i++)
        {
            // Synthetic numbers: Haishu county code, a birth date in 1990, a sequence and the computed check character.
            var first17 = string.Create(CultureInfo.InvariantCulture, $"330203{new DateOnly(1990, 1, 1).AddDays(i % 365):yyyyMMdd}{i % 1000:D3}");
            ids[i] = first17 + ChineseIdNumber.CheckCharacter(first17);
            people[i] = new Person
            {
                NameCipher = cipher.Encrypt("压测人员", "persons.name"),
                IdNumberCipher = cipher.Encrypt(ids[i], "persons.id_number"),
                IdNumberIndex = index.Compute(BlindIndexKind.IdNumber, ids[i]),
                Status = HealthStatus.Green,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
        }

        // Synthetic numbers repeat after 365 000 persons; keep the first of each.
        var distinct = people.DistinctBy(p => Convert.ToHexString(p.IdNumberIndex)).ToList();
        db.Persons.AddRange(distinct);
        await db.SaveChangesAsync(ct);
        var keys = distinct.Select(p => p.Key).ToArray();
        var numbers = ids.Take(distinct.Count).ToArray();

        // Inserted past the registry, so tell the directory as the registry's import does after its commit.
        services.GetRequiredService<PersonLookup>().Registered(distinct);
        var population = services.GetRequiredService<PopulationDirectory>();
        var waited = Stopwatch.StartNew();
        while (!population.IsReady || population.Count < keys.Length)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"Population directory load timed out: {population.Count:N0} of {keys.Length:N0} persons loaded after 2 minutes. Check the store and the loader log.");
            }

            await Task.Delay(100);
        }

        Console.WriteLine($"set-up: place {place.Id} in grid {place.GridCode}, device {device.DeviceId}, {keys.Length:N0} persons, population directory holds {population.Count:N0} ({population.MemoryBytes / 1024:N0} KiB)");
        return new Work(device.ApiKey, keys, numbers);
    }

    /// <summary>
    /// Mean time of each step of a check, 300 sequential calls each without HTTP, then whole checks
    /// over HTTP one at a time. The passage submission waits for its own commit, so it shows the
    /// commit latency of the passage writer with nothing else queued.
    /// </summary>
    private static async Task ProbeAsync(IServiceProvider services, string url, Work work)
    {
        const int calls = 300;
        var device = (await services.GetRequiredService<IDeviceResolver>().ResolveAsync(work.Key, CancellationToken.None))!;
        var body = Encoding.UTF8.GetBytes($$$"""{"sequence":1,"occurredAt":"{{{Now()}}}","direction":"In","identity":{"kind":"idNumber","idNumber":"{{{work.IdNumbers[0]}}}"}}""");
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add(web::Shanzhi.Web.Api.EpidemicGateEndpoints.DeviceKeyHeader, work.Key);
        var sequence = 1_000_000L;
        foreach (var round in new[] { "warm", "timed" })
        {
            async Task<double> TimeAsync(Func<int, Task> call)
            {
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    await call(i);
                }

                return sw.Elapsed.TotalMicroseconds / calls;
            }

            var resolve = await TimeAsync(_ => services.GetRequiredService<IDeviceResolver>().ResolveAsync(work.Key, CancellationToken.None));
            var parse = await TimeAsync(_ => Task.FromResult(GateCheckParser.Parse(body)));
            var find = await TimeAsync(i => services.GetRequiredService<IPersonDirectory>().FindByIdNumberAsync(work.IdNumbers[i], CancellationToken.None));
            var status = await TimeAsync(i => services.GetRequiredService<IPersonDirectory>().StatusAsync(work.PersonKeys[i], CancellationToken.None));
            var ingest = await TimeAsync(_ => services.GetRequiredService<IPassageIngest>().SubmitAsync(
                [new PassageRecord(device.DeviceId, ++sequence, device.EntranceId, device.PlaceId, 1, DateTimeOffset.UtcNow, PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green)],
                CancellationToken.None));
            var check = await TimeAsync(async i =>
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CheckGate>().CheckAsync(device,
                    new GateCheckInput(++sequence, DateTimeOffset.UtcNow, PassageDirection.In, IdentityKind.PersonKey, PersonKey: work.PersonKeys[i]), CancellationToken.None);
            });
            var http = await TimeAsync(async i =>
            {
                var content = Encoding.UTF8.GetBytes($$$"""{"sequence":{{{++sequence}}},"occurredAt":"{{{Now()}}}","direction":"In","identity":{"kind":"personKey","personKey":{{{work.PersonKeys[i]}}}}}""");
                using var response = await client.PostAsync(CheckPath, new ByteArrayContent(content)
                {
                    Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
                });
                response.EnsureSuccessStatusCode();
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round}: µs per call: device key {resolve:F1}, parse {parse:F1}, find by ID number {find:F1}, status {status:F1}, passage commit {ingest:F0}, CheckGate {check:F0}, HTTP check {http:F0}"));
        }
    }

    /// <summary>
    /// Baselines for the check's latency floor, measured in the server process before the load: at
    /// each rate, one-row passages submitted to the durable passage writer on the same open-loop
    /// schedule as the checks (each waits for its group commit), and a bare <c>fsync</c> (4 bytes
    /// written, then <c>fsync</c>, one after another) on a file in the store's folder.
    /// </summary>
    private static async Task CommitBaselinesAsync(IServiceProvider services, Work work, string folder, string rates, int seconds)
    {
        var device = (await services.GetRequiredService<IDeviceResolver>().ResolveAsync(work.Key, CancellationToken.None))!;
        var ingest = services.GetRequiredService<IPassageIngest>();
        var sequence = 1_000_000_000_000L;
        Console.WriteLine($"{"baseline",-34} {"target/s",9} {"sent",8} {"failed",7} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var rate in rates.Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)))
        {
            var total = rate * seconds;
            var latencies = new double[total];
            var clock = Stopwatch.StartNew();
            // Counts finished submissions instead of keeping their tasks. A list of every task kept
            // them all alive until the step ended, so each gen-0 collection in the server process
            // copied the benchmark's own garbage on top of the writer's.
            using var finished = new CountdownEvent(total);
            var failures = 0;
            await PaceAsync(clock, rate, total, (index, due) =>
            {
                var record = new PassageRecord(device.DeviceId, Interlocked.Increment(ref sequence), device.EntranceId, device.PlaceId, work.PersonKeys[index % work.PersonKeys.Length],
                    DateTimeOffset.UtcNow, PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        var receipt = await ingest.SubmitAsync([record], CancellationToken.None);
                        // A rejected submission (queue full) has no commit latency; it is counted and left out of the percentiles.
                        latencies[index] = receipt.Error is null ? (clock.Elapsed - due).TotalMilliseconds : double.NaN;
                        if (receipt.Error is not null)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                    finally
                    {
                        finished.Signal();
                    }
                });
                return true;
            });

            await Task.Run(finished.Wait);
            var committed = latencies.Where(l => !double.IsNaN(l)).ToArray();
            Array.Sort(committed);
            Console.WriteLine(committed.Length == 0
                ? $"{"passage writer alone, 1-row commits",-34} {rate,9} {total,8} {failures,7} (every submission was rejected)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{"passage writer alone, 1-row commits",-34} {rate,9} {total,8} {failures,7} {Percentile(committed, 0.50),8:F2} {Percentile(committed, 0.99),8:F2} {committed[^1],8:F1}"));
        }

        var path = Path.Combine(folder, "fsync-baseline.bin");
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var count = 0;
            var fsyncs = new List<double>();
            var until = Stopwatch.StartNew();
            while (until.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var started = Stopwatch.GetTimestamp();
                file.Position = 0;
                file.Write(BitConverter.GetBytes(++count));
                file.Flush(flushToDisk: true);
                fsyncs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            var sorted = fsyncs.ToArray();
            Array.Sort(sorted);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"bare fsync, back to back",-34} {"-",9} {sorted.Length,8} {0,7} {Percentile(sorted, 0.50),8:F2} {Percentile(sorted, 0.99),8:F2} {sorted[^1],8:F1}"));
        }

        File.Delete(path);
    }

    /// <summary>
    /// Calls <paramref name="send"/> for request <c>i</c> at its due time, <c>i / rate</c> seconds on
    /// <paramref name="clock"/> and never before it. Stops after <paramref name="total"/> requests or
    /// when <paramref name="send"/> returns false, and returns the number sent.
    /// </summary>
    /// <remarks>
    /// The schedule runs on a dedicated thread that sleeps in 1 ms steps. With
    /// <see cref="Task.Delay(TimeSpan)"/> the generator woke up about every 4 ms on the 2-core
    /// machine (measured), so requests left in bursts and each latency included up to 4 ms of the
    /// generator's own delay.
    /// </remarks>
    private static Task<int> PaceAsync(Stopwatch clock, int rate, int total, Func<int, TimeSpan, bool> send)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                for (var i = 0; i < total; i++)
                {
                    var due = TimeSpan.FromSeconds((double)i / rate);
                    for (var wait = due - clock.Elapsed; wait > TimeSpan.Zero; wait = due - clock.Elapsed)
                    {
                        PreciseSleep.For(wait > MinimumSleep ? wait : MinimumSleep);
                    }

                    if (!send(i, due))
                    {
                        done.SetResult(i);
                        return;
                    }
                }

                done.SetResult(total);
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        })
        { IsBackground = true, Name = "gate load schedule" };
        thread.Start();
        return done.Task;
    }

    // Waking for every request cost the generator about 25 µs of CPU per request at 10,000/s, CPU
    // the server's two cores then lacked. Requests due within this span therefore leave together.
    private static readonly TimeSpan MinimumSleep = TimeSpan.FromMicroseconds(250);

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>
    /// One keep-alive HTTP/1.1 connection with one request in flight, for the load generator: each
    /// request is one socket send of prepared bytes. Reads Content-Length and chunked responses.
    /// </summary>
    private sealed class RawConnection(Uri server, string deviceKey)
    {
        private readonly byte[] _head = Encoding.ASCII.GetBytes(
            $"POST {CheckPath} HTTP/1.1\r\nHost: {server.Authority}\r\n{(web::Shanzhi.Web.Api.EpidemicGateEndpoints.DeviceKeyHeader)}: {deviceKey}\r\nContent-Type: application/json\r\nContent-Length: ");

        private readonly byte[] _send = new byte[8192];
        private byte[] _receive = new byte[16384];
        private Socket? _socket;

        /// <summary>Sends one check and reads the whole response; true for status 200.</summary>
        public async Task<bool> PostAsync(byte[] body)
        {
            if (_socket is null)
            {
                _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await _socket.ConnectAsync(IPAddress.Loopback, server.Port);
            }

            var length = _head.Length;
            _head.CopyTo(_send, 0);
            length += Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{body.Length}\r\n\r\n"), _send.AsSpan(length));
            body.CopyTo(_send, length);
            length += body.Length;
            await _socket.SendAsync(_send.AsMemory(0, length));
            try
            {
                return await ReadResponseAsync(_socket);
            }
            catch
            {
                _socket.Dispose();
                _socket = null;
                throw;
            }
        }

        private async Task<bool> ReadResponseAsync(Socket socket)
        {
            var filled = 0;
            int headerEnd;
            while ((headerEnd = _receive.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                filled += await ReceiveAsync(socket, filled);
            }

            var head = Encoding.ASCII.GetString(_receive, 0, headerEnd);
            var ok = head.StartsWith("HTTP/1.1 200", StringComparison.Ordinal);
            var position = headerEnd + 4;
            var contentLength = Header(head, "content-length");
            if (contentLength is not null)
            {
                var end = position + int.Parse(contentLength, CultureInfo.InvariantCulture);
                while (filled < end)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                return ok;
            }

            if (!string.Equals(Header(head, "transfer-encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException("The response has neither Content-Length nor chunked encoding.");
            }

            while (true)
            {
                int lineEnd;
                while ((lineEnd = _receive.AsSpan(position, filled - position).IndexOf("\r\n"u8)) < 0)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                var size = int.Parse(Encoding.ASCII.GetString(_receive, position, lineEnd), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                position += lineEnd + 2 + size + 2;
                while (filled < position)
                {
                    filled += await ReceiveAsync(socket, filled);
                }

                if (size == 0)
                {
                    return ok;
                }
            }
        }

        private async Task<int> ReceiveAsync(Socket socket, int filled)
        {
            if (filled == _receive.Length)
            {
                Array.Resize(ref _receive, _receive.Length * 2);
            }

            var read = await socket.ReceiveAsync(_receive.AsMemory(filled));
            return read > 0 ? read : throw new IOException("The server closed the connection.");
        }

        private static string? Header(string head, string name)
        {
            foreach (var line in head.Split("\r\n"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return line[(colon + 1)..].Trim();
                }
            }

            return null;
        }
    }

    private sealed record Work(string Key, long[] PersonKeys, string[] IdNumbers);
}

/// <summary>
/// With <c>--stats</c>, the server process prints one line a second: the passage writer's
/// transactions and rows, its maximum queue wait, store transaction and observer step, the GC
/// pauses and collections, and the thread pool, to tell where a latency stall came from.
/// </summary>
internal sealed class ServerStats : IDisposable
{
    private readonly PassageWriter _writer;
    private readonly Timer _timer;
    private (long Transactions, long Rows) _last;
    private TimeSpan _pauses = GC.GetTotalPauseDuration();
    private long _allocated = GC.GetTotalAllocatedBytes();
    private long _lastGc;
    private (int Gen0, int Gen1, int Gen2) _collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public ServerStats(PassageWriter writer)
    {
        _writer = writer;
        _writer.TakeMaxTimes();
        Console.WriteLine("  server   time      commits    rows  queued max  store max  observers max  GC pause ms  gen0/1/2  pool threads/queued  allocated MiB");
        _timer = new Timer(_ => Print(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void Print()
    {
        var (transactions, rows, _, _) = _writer.Statistics;
        var (queued, store, observers) = _writer.TakeMaxTimes();
        var pauses = GC.GetTotalPauseDuration();
        var allocated = GC.GetTotalAllocatedBytes();
        (int Gen0, int Gen1, int Gen2) collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  server {DateTime.UtcNow:HH:mm:ss} {transactions - _last.Transactions,10} {rows - _last.Rows,7} {queued.TotalMilliseconds,8:F1} ms {store.TotalMilliseconds,7:F1} ms {observers.TotalMilliseconds,9:F1} ms {(pauses - _pauses).TotalMilliseconds,11:F1}  " +
            $"{collections.Gen0 - _collections.Gen0}/{collections.Gen1 - _collections.Gen1}/{collections.Gen2 - _collections.Gen2}  {ThreadPool.ThreadCount}/{ThreadPool.PendingWorkItemCount}  {(allocated - _allocated) / 1048576.0,6:F1}"));
        // The latest collection of the second, if there was one. Its promoted bytes separate start-up state from steady-state garbage.
        var latest = GC.GetGCMemoryInfo(GCKind.Any);
        if (latest.Index != _lastGc)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    latest GC #{latest.Index}: gen {latest.Generation}, promoted {latest.PromotedBytes / 1048576.0:F1} MiB, pause {latest.PauseDurations[0].TotalMilliseconds:F1} ms, heap {latest.HeapSizeBytes / 1048576.0:F0} MiB"));
            _lastGc = latest.Index;
        }

        (_last, _pauses, _allocated, _collections) = ((transactions, rows), pauses, allocated, collections);
    }

    public void Dispose() => _timer.Dispose();
}
