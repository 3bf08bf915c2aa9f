extern alias web;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Bench;

/// <summary>
/// Gate checks over HTTP at fixed request rates. The web host runs on Kestrel on loopback over a
/// fresh SQLite store in a temporary folder, with one mall, one device and a population of green
/// persons. For each rate, requests are sent on a fixed schedule (open loop). Each latency is
/// measured from the request's scheduled send time, so a stalled server shows up as latency
/// instead of as fewer requests (no coordinated omission).
/// </summary>
/// <remarks>
/// Half the checks carry an ID number (blind-index lookup), half a person key. Passages go through
/// <see cref="GroupCommitIngest"/>, a stand-in for the passage module's durable writer: one writer
/// task commits whatever is queued in one transaction and then acknowledges it.
/// </remarks>
internal static class GateCheckBenchmark
{
    public static int Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string[] args)
    {
        var rates = Option(args, "--rates", "1000,5000,10000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var seconds = int.Parse(Option(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var persons = int.Parse(Option(args, "--persons", "10000"), CultureInfo.InvariantCulture);
        var connections = int.Parse(Option(args, "--connections", "256"), CultureInfo.InvariantCulture);
        var folder = Path.Combine(Path.GetTempPath(), "shanzhi-bench-gate-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        Console.WriteLine($"gate benchmark: rates {string.Join(", ", rates)} req/s, {seconds} s each, {persons:N0} persons, {connections} connections, store {folder}");
        Console.WriteLine($"runtime {Environment.Version}, {Environment.ProcessorCount} logical processors, server GC {System.Runtime.GCSettings.IsServerGC}");

        try
        {
            // WebApplicationFactory looks for the project folder next to a solution file; the built binaries are the content root here.
            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_SHANZHI_WEB", AppContext.BaseDirectory);
            await using var host = new BenchHost(folder);
            var port = FreePort();
            host.UseKestrel(port);
            host.StartServer();
            var (key, personKeys, idNumbers) = await SetUpAsync(host.Services, persons);

            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(30),
            };
            client.DefaultRequestHeaders.Add(web::Shanzhi.Web.Api.EpidemicGateEndpoints.DeviceKeyHeader, key);

            var sequence = 0L;
            byte[] Body()
            {
                var n = Interlocked.Increment(ref sequence);
                var i = (int)(n % personKeys.Length);
                var identity = n % 2 == 0
                    ? $$"""{"kind":"idNumber","idNumber":"{{idNumbers[i]}}"}"""
                    : $$"""{"kind":"personKey","personKey":{{personKeys[i]}}}""";
                return Encoding.UTF8.GetBytes($$"""{"sequence":{{n}},"occurredAt":"2026-03-02T09:00:00+08:00","direction":"In","identity":{{identity}}}""");
            }

            if (args.Contains("--probe"))
            {
                await ProbeAsync(host.Services, client, key, personKeys, idNumbers);
                return 0;
            }

            await DriveAsync(client, Body, 500, 2, report: false);
            Console.WriteLine($"{"target/s",9} {"sent",8} {"ok",8} {"failed",7} {"achieved/s",11} {"p50 ms",8} {"p99 ms",8} {"max ms",8}");
            foreach (var rate in rates)
            {
                await DriveAsync(client, Body, rate, seconds, report: true);
            }

            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private const int MaxOutstanding = 2000;

    /// <summary>Sends <paramref name="rate"/> requests per second for <paramref name="seconds"/> on a fixed schedule.</summary>
    private static async Task DriveAsync(HttpClient client, Func<byte[]> body, int rate, int seconds, bool report)
    {
        var total = rate * seconds;
        var latencies = new double[total];
        var failures = 0;
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var lastDone = 0L;
        var outstanding = 0;
        var sent = total;
        for (var i = 0; i < total; i++)
        {
            // Past this backlog the server cannot keep the rate; stop so the run stays short, and report it.
            if (Volatile.Read(ref outstanding) > MaxOutstanding)
            {
                sent = i;
                Console.WriteLine($"{rate,9} saturated after {i:N0} requests ({clock.Elapsed.TotalSeconds:F1} s): more than {MaxOutstanding:N0} outstanding");
                break;
            }

            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            var content = body();
            Interlocked.Increment(ref outstanding);
            inFlight.Add(Task.Run(async () =>
            {
                try
                {
                    using var response = await client.PostAsync("/api/v1/epidemic/gate/check", new ByteArrayContent(content)
                    {
                        Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") },
                    });
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                var done = clock.Elapsed;
                Interlocked.Decrement(ref outstanding);
                latencies[index] = (done - due).TotalMilliseconds;
                InterlockedMax(ref lastDone, done.Ticks);
            }));
        }

        await Task.WhenAll(inFlight);
        if (!report)
        {
            return;
        }

        var measured = latencies[..sent];
        Array.Sort(measured);
        var achieved = (sent - failures) / TimeSpan.FromTicks(lastDone).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rate,9} {sent,8} {sent - failures,8} {failures,7} {achieved,11:F0} {Percentile(measured, 0.50),8:F2} {Percentile(measured, 0.99),8:F2} {measured[^1],8:F1}"));
    }

    /// <summary>Registers one mall with a device and <paramref name="count"/> green persons; returns the device key and the persons.</summary>
    private static async Task<(string Key, long[] PersonKeys, string[] IdNumbers)> SetUpAsync(IServiceProvider services, int count)
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
            };
        }

        // Synthetic numbers repeat after 365 000 persons; keep the first of each.
        var distinct = people.DistinctBy(p => Convert.ToHexString(p.IdNumberIndex)).ToList();
        db.Persons.AddRange(distinct);
        await db.SaveChangesAsync(ct);
        var keys = distinct.Select(p => p.Key).ToArray();
        var numbers = ids.Take(distinct.Count).ToArray();
        Console.WriteLine($"set-up: place {place.Id} in grid {place.GridCode}, device {device.DeviceId}, {keys.Length:N0} persons");
        return (device.ApiKey, keys, numbers);
    }

    private static async Task ProbeAsync(IServiceProvider services, HttpClient client, string key, long[] personKeys, string[] idNumbers)
    {
        var device = (await services.GetRequiredService<IDeviceResolver>().ResolveAsync(key, CancellationToken.None))!;
        foreach (var round in new[] { "warm", "timed" })
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 300; i++)
            {
                await using var scope = services.CreateAsyncScope();
                var dir = scope.ServiceProvider.GetRequiredService<IPersonDirectory>();
                await dir.FindByIdNumberAsync(idNumbers[i], CancellationToken.None);
            }

            var find = sw.Elapsed.TotalMilliseconds / 300;
            sw.Restart();
            for (var i = 0; i < 300; i++)
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IPersonDirectory>().StatusAsync(personKeys[i], CancellationToken.None);
            }

            var status = sw.Elapsed.TotalMilliseconds / 300;
            sw.Restart();
            for (var i = 0; i < 300; i++)
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IPassageIngest>().SubmitAsync(
                    [new PassageRecord(device.DeviceId, 1_000_000 + i + (round == "warm" ? 0 : 1000), device.EntranceId, device.PlaceId, 1, DateTimeOffset.UtcNow, PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green)], CancellationToken.None);
            }

            var ingest = sw.Elapsed.TotalMilliseconds / 300;
            sw.Restart();
            for (var i = 0; i < 300; i++)
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<CheckGate>().CheckAsync(device,
                    new GateCheckInput(2_000_000 + i + (round == "warm" ? 0 : 1000), DateTimeOffset.UtcNow, PassageDirection.In, IdentityKind.PersonKey, PersonKey: personKeys[i]), CancellationToken.None);
            }

            var check = sw.Elapsed.TotalMilliseconds / 300;
            Console.WriteLine($"{round}: find {find:F3} ms, status {status:F3} ms, ingest {ingest:F3} ms, check {check:F3} ms");
        }
    }

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

    /// <summary>The web host on Kestrel with a SQLite store in <paramref name="folder"/>, logging off.</summary>
    private sealed class BenchHost(string folder) : WebApplicationFactory<web::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Benchmark");
            builder.UseSetting("Storage:Provider", "Sqlite");
            builder.UseSetting("Storage:DataDirectory", folder);
            builder.UseSetting("Bootstrap:AdminPassword", "Bench-Admin-2026");
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.ConfigureServices(services => services.AddSingleton<IPassageIngest, GroupCommitIngest>());
        }
    }

    /// <summary>One writer task; each commit takes every batch queued so far, then acknowledges them all.</summary>
    private sealed class GroupCommitIngest : IPassageIngest, IDisposable
    {
        private readonly Channel<(IReadOnlyList<PassageRecord> Batch, TaskCompletionSource<Result<IngestReceipt>> Done)> _queue =
            Channel.CreateBounded<(IReadOnlyList<PassageRecord>, TaskCompletionSource<Result<IngestReceipt>>)>(100_000);

        private readonly IServiceScopeFactory _scopes;
        private readonly TimeProvider _clock;
        private readonly Task _writer;

        public GroupCommitIngest(IServiceScopeFactory scopes, TimeProvider clock)
        {
            _scopes = scopes;
            _clock = clock;
            _writer = Task.Run(WriteAsync);
        }

        public Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken)
        {
            var done = new TaskCompletionSource<Result<IngestReceipt>>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _queue.Writer.TryWrite((passages, done))
                ? done.Task
                : Task.FromResult<Result<IngestReceipt>>(new Error("passage.queue_full", "通行记录队列已满", "请稍后重试。", 429));
        }

        public void Dispose()
        {
            _queue.Writer.TryComplete();
            _writer.Wait();
        }

        private async Task WriteAsync()
        {
            var pending = new List<(IReadOnlyList<PassageRecord> Batch, TaskCompletionSource<Result<IngestReceipt>> Done)>();
            while (await _queue.Reader.WaitToReadAsync())
            {
                pending.Clear();
                while (pending.Count < 5000 && _queue.Reader.TryRead(out var item))
                {
                    pending.Add(item);
                }

                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
                var now = _clock.GetUtcNow();
                db.Passages.AddRange(pending.SelectMany(p => p.Batch).Select(p => new Passage
                {
                    DeviceId = p.DeviceId, DeviceSequence = p.DeviceSequence, EntranceId = p.EntranceId, PlaceId = p.PlaceId, PersonKey = p.PersonKey,
                    OccurredAt = p.OccurredAt, Direction = p.Direction, Decision = p.Decision, Channel = p.Channel, StatusAtPassage = p.StatusAtPassage,
                    ReceivedAt = now,
                }));
                await db.SaveChangesAsync();
                foreach (var (batch, done) in pending)
                {
                    done.SetResult(new IngestReceipt(batch.Count, 0));
                }
            }
        }
    }
}
