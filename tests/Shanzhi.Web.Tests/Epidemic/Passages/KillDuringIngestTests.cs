using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Api;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary>
/// Kills the server with SIGKILL in the middle of a bulk ingest from several devices' clients,
/// restarts it on the same store and resends everything: every acknowledged passage is there,
/// and each distinct (device, sequence) sent is stored exactly once.
/// </summary>
public sealed class KillDuringIngestTests
{
    private const string Url = "/api/v1/epidemic/passages/batch";
    private const int Clients = 4;
    private const int BatchSize = 200;

    /// <summary>Each batch repeats this many sequences of the one before, as a device resending after a timeout would.</summary>
    private const int Overlap = 20;

    /// <summary>Batches acknowledged before the kill, so that it lands mid-stream.</summary>
    private const int AcknowledgedBeforeKill = 40;

    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddDays(-3);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Killed_server_keeps_acknowledged_passages_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var devices = new List<(string Key, long Id)>();
        for (var c = 0; c < Clients; c++)
        {
            devices.Add(await PassageDevices.RegisterAsync(store));
        }

        var attempted = new ConcurrentDictionary<(int Client, int Batch), byte>();
        var acknowledged = new ConcurrentBag<(long Device, long Sequence)>();
        int exitCode;
        await using (var server = await ServerProcess.StartAsync(store))
        {
            using var http = Client(server);
            var streams = Enumerable.Range(0, Clients)
                .Select(c => Task.Run(() => StreamAsync(http, devices[c], c, attempted, acknowledged)))
                .ToList();
            await WaitUntilAsync(() => acknowledged.Count >= AcknowledgedBeforeKill * BatchSize || streams.All(s => s.IsCompleted));
            exitCode = await server.KillAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"Killed after {acknowledged.Count / BatchSize} acknowledged batches.");
            await Task.WhenAll(streams);
        }

        await using (var server = await ServerProcess.StartAsync(store))
        {
            using var http = Client(server);
            foreach (var (client, batch) in attempted.Keys)
            {
                var response = await PostUntilTakenAsync(http, devices[client].Key, batch);
                Assert.True(response?.StatusCode == HttpStatusCode.OK, $"Batch {batch} of client {client}: {response?.StatusCode} {await ReadAsync(response)}");
            }
        }

        var sent = attempted.Keys.SelectMany(k => Sequences(k.Batch).Select(s => (devices[k.Client].Id, s))).ToHashSet();
        await using var db = store.NewContext();
        var stored = (await db.Passages.Select(p => new { p.DeviceId, p.DeviceSequence }).ToListAsync())
            .Select(p => (p.DeviceId, p.DeviceSequence))
            .ToList();
        Assert.Equal(137, exitCode);
        Assert.True(acknowledged.Count >= AcknowledgedBeforeKill * BatchSize, $"Only {acknowledged.Count / BatchSize} batches were acknowledged before the kill.");
        Assert.Empty(acknowledged.Except(stored));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(sent.Count, stored.Count);
    }

    /// <summary>Sends batch after batch until the server stops responding; records what it sent and what was acknowledged.</summary>
    private static async Task StreamAsync(HttpClient http, (string Key, long Id) device, int client,
        ConcurrentDictionary<(int, int), byte> attempted, ConcurrentBag<(long, long)> acknowledged)
    {
        for (var batch = 0; batch < 10_000; batch++)
        {
            attempted[(client, batch)] = 0;
            HttpResponseMessage? response;
            try
            {
                response = await PostUntilTakenAsync(http, device.Key, batch);
            }
            catch (HttpRequestException)
            {
                return;
            }
            catch (TaskCanceledException)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.OK, response?.StatusCode);

            foreach (var sequence in Sequences(batch))
            {
                acknowledged.Add((device.Id, sequence));
            }
        }
    }

    /// <summary>Posts a batch, waiting out 429s for the Retry-After delay.</summary>
    private static async Task<HttpResponseMessage?> PostUntilTakenAsync(HttpClient http, string key, int batch)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = JsonContent.Create(Batch(batch)) };
            request.Headers.Add(EpidemicPassageEndpoints.DeviceKeyHeader, key);
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
            {
                return response;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        return null;
    }

    private static async Task<string> ReadAsync(HttpResponseMessage? response) =>
        response is null ? "still rejected with 429 after 100 attempts" : await response.Content.ReadAsStringAsync();

    private static IEnumerable<long> Sequences(int batch) => Enumerable.Range(batch * (BatchSize - Overlap), BatchSize).Select(i => (long)i);

    private static object[] Batch(int batch) =>
    [
        .. Sequences(batch).Select(s => new
        {
            sequence = s,
            occurredAt = Start.AddMilliseconds(100 * s),
            direction = s % 2 == 0 ? "In" : "Out",
            // Unidentified: a person key would have to be registered first, or the item is refused.
            decision = "Pass",
        }),
    ];

    private static HttpClient Client(ServerProcess server) => new() { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
