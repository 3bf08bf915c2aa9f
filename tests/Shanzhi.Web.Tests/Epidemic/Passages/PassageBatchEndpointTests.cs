using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Api;
using Shanzhi.Web.Tests.Http;
using static Shanzhi.Web.Tests.Epidemic.Passages.PassageDevices;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary><c>POST /api/v1/epidemic/passages/batch</c>: device key, structural and per-item validation, unknown persons, idempotency, backpressure.</summary>
public sealed class PassageBatchEndpointTests
{
    private const string Url = "/api/v1/epidemic/passages/batch";

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_batch_counts_as_duplicates(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var client = DeviceClient(platform, key);
        await client.PostAsJsonAsync(Url, Batch(1, 10));

        var resent = await client.PostAsJsonAsync(Url, Batch(6, 10));

        Assert.Equal(HttpStatusCode.OK, resent.StatusCode);
        var receipt = await resent.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal((5, 5, 0), (receipt!.Accepted, receipt.Duplicates, receipt.Rejected.Length));
        Assert.Equal(15, await CountAsync(platform.Store));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reused_sequence_is_rejected_not_counted(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var person = await StorePersons.RegisterAsync(platform.Store);
        var client = DeviceClient(platform, key);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await client.PostAsJsonAsync(Url, new object[]
        {
            new { sequence = 1, occurredAt = at, direction = "In", decision = "Pass" },
            new { sequence = 2, occurredAt = at, direction = "Out", personKey = person, decision = "Pass" },
        });
        object[] batch =
        [
            new { sequence = 1, occurredAt = at, direction = "In", decision = "Pass" },
            new { sequence = 2, occurredAt = at, direction = "In", personKey = person, decision = "Deny" },
            new { sequence = 3, occurredAt = at, direction = "In", decision = "Pass" },
            new { sequence = 3, occurredAt = at.AddSeconds(1), direction = "In", decision = "Pass" },
        ];

        var response = await client.PostAsJsonAsync(Url, batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal((1, 1), (receipt!.Accepted, receipt.Duplicates));
        Assert.Equal(["1:sequence:passage.sequence_reused", "3:sequence:passage.sequence_reused"],
            receipt.Rejected.Select(e => $"{e.GetProperty("index").GetInt32()}:{e.GetProperty("field").GetString()}:{e.GetProperty("code").GetString()}"));
        Assert.Contains("流水号 2", receipt.Rejected[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await using var db = platform.Store.NewContext();
        Assert.Equal(PassageDirection.Out, await db.Passages.Where(p => p.DeviceSequence == 2).Select(p => p.Direction).SingleAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Invalid_items_are_rejected_alone(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var person = await StorePersons.RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        object?[] batch =
        [
            .. Batch(1, 3),
            new { sequence = 4, direction = "Up", decision = "Pass" },
            new { sequence = "abc", occurredAt = at, direction = "In", decision = "Pass" },
            new { sequence = 6, occurredAt = "not a time", direction = "In", decision = "Pass" },
            new { occurredAt = at, direction = "In", decision = "Pass" },
            7,
            new { sequence = 9, occurredAt = at, direction = "In", personKey = person + 1, decision = "Pass" },
            new { sequence = 10, occurredAt = at, direction = "Out", personKey = person, decision = "Pass" },
        ];
        var client = DeviceClient(platform, key);

        var loggedBefore = RejectionLines().Count;
        var response = await client.PostAsJsonAsync(Url, batch);
        var resent = await client.PostAsJsonAsync(Url, batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal((4, 0), (receipt!.Accepted, receipt.Duplicates));
        string[] expected =
        [
            "3:occurredAt:passage.missing_field", "3:direction:passage.invalid_field", "4:sequence:passage.invalid_field",
            "5:occurredAt:passage.invalid_field", "6:sequence:passage.missing_field", "7:item:passage.invalid_item", "8:personKey:passage.unknown_person",
        ];
        Assert.Equal(expected, receipt.Rejected.Select(e => $"{e.GetProperty("index").GetInt32()}:{e.GetProperty("field").GetString()}:{e.GetProperty("code").GetString()}"));
        Assert.All(receipt.Rejected, e => Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("message").GetString())));
        var again = await resent.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal((0, 4, expected.Length), (again!.Accepted, again.Duplicates, again.Rejected.Length));
        await using var db = platform.Store.NewContext();
        Assert.Equal([1L, 2L, 3L, 10L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync());

        // One warning per batch, made of the device, counts and codes only.
        Assert.Equal(2, RejectionLines().Count - loggedBefore);
    }

    /// <summary>The warnings for this test's batch; the codes and counts occur in no other test's batch.</summary>
    private static List<string> RejectionLines() => [.. LogSink.Shared.Text().Split('\n').Where(line => line.Contains(
        ": 6 of 10 items rejected (passage.invalid_field ×3, passage.invalid_item ×1, passage.missing_field ×2, passage.unknown_person ×1)",
        StringComparison.Ordinal) && line.Contains("Warning Passage batch from device ", StringComparison.Ordinal))];

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unknown_person_key_is_refused_and_rest_stored(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var person = await StorePersons.RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        object[] batch =
        [
            new { sequence = 1, occurredAt = at, direction = "In", personKey = person, decision = "Pass" },
            new { sequence = 2, occurredAt = at, direction = "In", personKey = person + 1, decision = "Pass" },
            new { sequence = 3, occurredAt = at, direction = "In", decision = "ManualCheck" },
        ];

        var response = await DeviceClient(platform, key).PostAsJsonAsync(Url, batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, receipt.GetProperty("accepted").GetInt32());
        var rejected = receipt.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal((1, "personKey", "passage.unknown_person"),
            (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("code").GetString()));
        await using var db = platform.Store.NewContext();
        Assert.Equal([1L, 3L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Passage_past_retention_is_rejected_alone(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        object[] batch =
        [
            new { sequence = 1, occurredAt = at, direction = "In", decision = "ManualCheck" },
            new { sequence = 2, occurredAt = at.AddDays(-29), direction = "In", decision = "ManualCheck" },
            new { sequence = 3, occurredAt = at.AddDays(-27), direction = "Out", decision = "ManualCheck" },
        ];

        var response = await DeviceClient(platform, key).PostAsJsonAsync(Url, batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, receipt.GetProperty("accepted").GetInt32());
        var rejected = receipt.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal((1, "occurredAt", "passage.occurred_at_too_old"),
            (rejected.GetProperty("index").GetInt32(), rejected.GetProperty("field").GetString(), rejected.GetProperty("code").GetString()));
        Assert.Contains("只保存 28 天", rejected.GetProperty("message").GetString(), StringComparison.Ordinal);
        await using var db = platform.Store.NewContext();
        Assert.Equal([1L, 3L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Far_past_and_future_times_get_window_codes(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var batch = $$"""
            [
              {"sequence": 1, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              {"sequence": 2, "occurredAt": "0001-01-01T00:00:00+08:00", "direction": "In", "decision": "Pass"},
              {"sequence": 3, "occurredAt": "9999-12-31T23:59:59+08:00", "direction": "In", "decision": "Pass"},
              {"sequence": 4, "occurredAt": "2026-02-30T09:00:00+08:00", "direction": "In", "decision": "Pass"}
            ]
            """;

        var response = await DeviceClient(platform, key).PostAsync(Url, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal(1, receipt!.Accepted);
        Assert.Equal(["1:occurredAt:passage.occurred_at_too_old", "2:occurredAt:passage.invalid_field", "3:occurredAt:passage.invalid_field"], receipt.Rejected
            .Select(e => $"{e.GetProperty("index").GetInt32()}:{e.GetProperty("field").GetString()}:{e.GetProperty("code").GetString()}"));
        Assert.Contains("晚于服务器当前时间", receipt.Rejected[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("字段类型不正确", receipt.Rejected[2].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Photo_field_rejects_batch()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);
        object[] batch = [new { sequence = 1, occurredAt = DateTimeOffset.UtcNow, direction = "In", decision = "Pass", photo = "x" }];

        var response = await DeviceClient(platform, key).PostAsJsonAsync(Url, batch);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "passage.image_rejected");
        Assert.Equal(0, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Unknown_property_rejects_batch()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);
        object[] batch = [.. Batch(1, 1), new { sequence = 2, occurredAt = DateTimeOffset.UtcNow, direction = "In", decision = "Pass", temperature = 36.5 }];

        var response = await DeviceClient(platform, key).PostAsJsonAsync(Url, batch);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "passage.invalid_batch");
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal((1, "passage.unknown_field"), (error.GetProperty("index").GetInt32(), error.GetProperty("code").GetString()));
        Assert.Equal(0, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Wrong_value_type_names_row_and_field()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var batch = $$"""
            [
              {"sequence": 1, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              {"sequence": "two", "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              {"sequence": 3, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass", "personKey": "123"},
              {"sequence": 4, "Sequence": 5, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              null
            ]
            """;

        var response = await DeviceClient(platform, key).PostAsync(Url, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"));

        // Malformed rows are rejected one by one, each once, naming its row and field; the valid row is stored.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal(1, receipt!.Accepted);
        Assert.Equal(["1:sequence", "2:personKey", "3:sequence", "4:item"], receipt.Rejected
            .Select(e => $"{e.GetProperty("index").GetInt32()}:{e.GetProperty("field").GetString()}"));
        var wrongType = receipt.Rejected[0].GetProperty("message").GetString();
        Assert.DoesNotContain("记录为空", wrongType, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(platform.Store));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Repeated_field_rejects_its_row_only(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (key, _) = await RegisterAsync(platform.Store);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var batch = $$"""
            [
              {"sequence": 1, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              {"sequence": 2, "sequence": 3, "occurredAt": "{{at}}", "direction": "In", "decision": "Pass"},
              {"sequence": 4, "occurredAt": "{{at}}", "direction": "In", "Direction": "Out", "decision": "Pass"},
              {"sequence": 5, "occurredAt": "{{at}}", "direction": "Out", "decision": "Pass"}
            ]
            """;

        var response = await DeviceClient(platform, key).PostAsync(Url, new StringContent(batch, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = await response.Content.ReadFromJsonAsync<ReceiptBody>();
        Assert.Equal(2, receipt!.Accepted);
        Assert.Equal(["1:sequence:passage.duplicate_field", "2:direction:passage.duplicate_field"], receipt.Rejected
            .Select(e => $"{e.GetProperty("index").GetInt32()}:{e.GetProperty("field").GetString()}:{e.GetProperty("code").GetString()}"));
        Assert.Contains("不止一次", receipt.Rejected[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        await using var db = platform.Store.NewContext();
        Assert.Equal([1L, 5L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync());
    }

    [Theory]
    [InlineData("""[{"sequence": 1, "occurredAt": """)]
    [InlineData("""[{"sequence": 1,}]""")]
    [InlineData("")]
    [InlineData("""{"sequence": 1}""")]
    public async Task Broken_body_gets_malformed_body(string body)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);

        var response = await DeviceClient(platform, key).PostAsync(Url, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "passage.malformed_body");
        Assert.Equal("body", problem.GetProperty("field").GetString());
        Assert.Equal(0, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_string_gets_malformed_body()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);
        byte[] body = [.. "[{\"sequence\":1,\"direction\":\""u8, 0xFF, .. "\"}]"u8];

        var response = await DeviceClient(platform, key).PostAsync(Url, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "passage.malformed_body");
        Assert.Equal(0, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Byte_order_mark_is_skipped()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (key, _) = await RegisterAsync(platform.Store);
        byte[] body = [0xEF, 0xBB, 0xBF, .. JsonSerializer.SerializeToUtf8Bytes(Batch(1, 2))];

        var response = await DeviceClient(platform, key).PostAsync(Url, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, await CountAsync(platform.Store));
    }

    [Fact]
    public async Task Unknown_device_key_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await DeviceClient(platform, "not-a-key").PostAsJsonAsync(Url, Batch(1, 1));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "passage.device_unknown");
    }

    [Fact]
    public async Task Oversized_batch_is_rejected_with_413()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite, b => b.UseSetting("Epidemic:Ingest:MaxBatchSize", "5"));
        var (key, _) = await RegisterAsync(platform.Store);

        var response = await DeviceClient(platform, key).PostAsJsonAsync(Url, Batch(1, 6));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "passage.batch_too_large");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Full_queue_returns_429_with_Retry_After(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind, b => b.UseSetting("Epidemic:Ingest:QueueCapacity", "1"));
        var (key, _) = await RegisterAsync(platform.Store);
        var client = DeviceClient(platform, key);
        const int Batches = 6;
        Task<HttpResponseMessage>[] posts;
        await using (await StoreLock.TakeAsync(platform.Store))
        {
            // The writer holds one batch, blocked on the lock, and the queue one more: the rest are rejected at once.
            posts = [.. Enumerable.Range(0, Batches).Select(i => client.PostAsJsonAsync(Url, Batch(i * 10, 10)))];
            await WhenAtLeastAsync(posts, Batches - 2);
        }

        var responses = await Task.WhenAll(posts);
        var rejected = responses.Index().Where(a => a.Item.StatusCode != HttpStatusCode.OK).ToList();
        Assert.NotEmpty(rejected);
        await ProblemAssert.IsProblemAsync(rejected[0].Item, HttpStatusCode.TooManyRequests, "passage.queue_full");
        Assert.Equal(TimeSpan.FromSeconds(1), rejected[0].Item.Headers.RetryAfter?.Delta);
        Assert.All(rejected, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Item.StatusCode));
        foreach (var (index, _) in rejected)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(Url, Batch(index * 10, 10))).StatusCode);
        }

        Assert.Equal(Batches * 10, await CountAsync(platform.Store));
    }

    private static async Task WhenAtLeastAsync<T>(IReadOnlyList<Task<T>> tasks, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (tasks.Count(t => t.IsCompleted) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private static HttpClient DeviceClient(PlatformFactory platform, string key)
    {
        var client = platform.CreateClient();
        client.DefaultRequestHeaders.Add(EpidemicPassageEndpoints.DeviceKeyHeader, key);
        return client;
    }

    private static async Task<int> CountAsync(TestStore store)
    {
        await using var db = store.NewContext();
        return await db.Passages.CountAsync();
    }

    private sealed record ReceiptBody(int Accepted, int Duplicates, JsonElement[] Rejected);
}
