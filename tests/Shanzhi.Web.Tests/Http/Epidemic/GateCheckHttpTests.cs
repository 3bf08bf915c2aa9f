using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http.Epidemic;

/// <summary>The gate API over HTTP: device keys, decisions, image refusal, resends and the unidentified-person case loop.</summary>
public sealed class GateCheckHttpTests
{
    // 330203199001011236: a valid ID number (check character computed), not a real person's.
    private const string IdNumber = "330203199001011236";

    // Another valid, made-up ID number.
    private const string OtherIdNumber = "330203198505051237";

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registered_device_checks_an_id_number_and_keys_are_enforced(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (placeId, device) = await gate.DeviceAsync(PlaceKind.Mall);
        await gate.PersonAsync(IdNumber, HealthStatus.Yellow);
        var anonymous = gate.Platform.CreateClient();
        var wrongKey = gate.Platform.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Device-Key", "not-a-key");

        var answer = await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(1, new { kind = "idNumber", idNumber = IdNumber }))).ReadJsonAsync();
        var noKey = await anonymous.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(2, new { kind = "noMatch" }));
        var badKey = await wrongKey.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(3, new { kind = "noMatch" }));

        Assert.Equal(("ManualCheck", "人工核验", "yellow"), (answer.GetProperty("decision").GetString(), answer.GetProperty("decisionName").GetString(), answer.GetProperty("reasonCode").GetString()));
        await ProblemAssert.IsProblemAsync(noKey, HttpStatusCode.Unauthorized, "gate.device_key_required");
        await ProblemAssert.IsProblemAsync(badKey, HttpStatusCode.Unauthorized, "gate.device_key_invalid");
        Assert.Equal(1, await gate.QueryAsync(db => db.Passages.CountAsync(p => p.PlaceId == placeId)));
    }

    [Fact]
    public async Task Disabled_device_is_refused()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (placeId, device) = await gate.DeviceAsync(PlaceKind.School);
        await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(1, new { kind = "personKey", personKey = 1 }))).ReadJsonAsync();
        var deviceId = await gate.QueryAsync(db => db.Devices.Select(d => d.Id).SingleAsync());

        await (await gate.Officer.PostAsync($"/api/v1/epidemic/places/{placeId}/devices/{deviceId}/disable", null)).ReadJsonAsync();
        var refused = await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(2, new { kind = "personKey", personKey = 1 }));

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Unauthorized, "gate.device_key_invalid");
    }

    [Theory]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"},"facePhoto":"AAAA"}""", HttpStatusCode.BadRequest, "gate.image_rejected")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch","capture":"data:image/jpeg;base64,/9j/"}}""", HttpStatusCode.BadRequest, "gate.image_rejected")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"},"temperature":36.6}""", HttpStatusCode.BadRequest, "gate.unknown_field")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"sideways","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.direction_invalid")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"fingerprint"}}""", HttpStatusCode.BadRequest, "gate.identity_kind_invalid")]
    [InlineData("not json", HttpStatusCode.BadRequest, "gate.malformed_body")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T09:00:00","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.occurred_at_invalid")]
    [InlineData("""{"sequence":1,"occurredAt":"9999-12-31T00:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.occurred_at_in_future")]
    [InlineData("""{"sequence":1,"occurredAt":"9999-12-31T23:59:59+08:00","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.occurred_at_in_future")]
    [InlineData("""{"sequence":1,"occurredAt":"0001-01-01T00:00:00+08:00","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.UnprocessableEntity, "gate.occurred_at_too_old")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":"x"}""", HttpStatusCode.BadRequest, "gate.identity_invalid")]
    [InlineData("""{"sequence":1,"direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.occurred_at_required")]
    [InlineData("""{"sequence":1,"occurredAt":"2000-01-01T09:00:00+08:00","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.UnprocessableEntity, "gate.occurred_at_too_old")]
    [InlineData("""{"sequence":1,"occurredAt":"2099-01-01T00:00:00+08:00","direction":"In","identity":{"kind":"noMatch"}}""", HttpStatusCode.BadRequest, "gate.occurred_at_in_future")]
    public async Task Bad_bodies_get_problem_details_and_store_nothing(string body, HttpStatusCode status, string code)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);

        var response = await device.PostAsync("/api/v1/epidemic/gate/check", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, status, code);
        Assert.Equal(0, await gate.QueryAsync(db => db.Passages.CountAsync()));
        Assert.Equal(0, await gate.QueryAsync(db => db.UnidentifiedFollowUps.CountAsync()));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_string_is_malformed()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Check(1, new { kind = "noMatch" })).Replace("\"In\"", "\"@\"", StringComparison.Ordinal));
        var at = Array.IndexOf(json, (byte)'@');
        byte[] body = [.. json[..at], 0xFF, 0xFE, .. json[(at + 1)..]];

        var response = await device.PostAsync("/api/v1/epidemic/gate/check", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "gate.malformed_body");
        Assert.Equal(0, await gate.QueryAsync(db => db.Passages.CountAsync()));
    }

    [Fact]
    public async Task Byte_order_mark_is_skipped()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        byte[] body = [0xEF, 0xBB, 0xBF, .. JsonSerializer.SerializeToUtf8Bytes(Check(1, new { kind = "personKey", personKey = 1 }))];

        var response = await device.PostAsync("/api/v1/epidemic/gate/check", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await gate.QueryAsync(db => db.Passages.CountAsync()));
    }

    [Theory]
    [InlineData(" trailing")]
    [InlineData("{}")]
    public async Task Content_after_the_body_is_malformed(string trailing)
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        var body = JsonSerializer.Serialize(Check(1, new { kind = "noMatch" })) + trailing;

        var response = await device.PostAsync("/api/v1/epidemic/gate/check", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "gate.malformed_body");
        Assert.Equal(0, await gate.QueryAsync(db => db.Passages.CountAsync()));
        Assert.Equal(0, await gate.QueryAsync(db => db.Cases.CountAsync(c => c.CategoryCode == "Y0101")));
    }

    [Fact]
    public async Task Check_past_retention_is_rejected()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);

        var tooOld = await Post(device, Check(1, new { kind = "noMatch" }, GatePlatform.CheckTime.AddDays(-28)));
        var inside = await Post(device, Check(2, new { kind = "noMatch" }, GatePlatform.CheckTime.AddDays(-27)));

        var problem = await ProblemAssert.IsProblemAsync(tooOld, HttpStatusCode.UnprocessableEntity, "gate.occurred_at_too_old");
        Assert.Equal("occurredAt", problem.GetProperty("field").GetString());
        Assert.Contains("occurredAt", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("28 天", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.Equal(1, await gate.QueryAsync(db => db.Passages.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reused_sequence_with_another_check_is_rejected(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        var green = await gate.PersonAsync(IdNumber, HealthStatus.Green);
        var red = await gate.PersonAsync(OtherIdNumber, HealthStatus.Red);

        var first = await (await Post(device, Check(1, new { kind = "personKey", personKey = green }))).ReadJsonAsync();
        var resent = await (await Post(device, Check(1, new { kind = "personKey", personKey = green }))).ReadJsonAsync();
        var reused = new[]
        {
            await Post(device, Check(1, new { kind = "personKey", personKey = red })),
            await Post(device, Check(1, new { kind = "idNumber", idNumber = OtherIdNumber })),
            await Post(device, Check(1, new { kind = "noMatch" })),
            await Post(device, Check(1, new { kind = "personKey", personKey = green }, GatePlatform.CheckTime.AddSeconds(1))),
            await Post(device, Check(1, new { kind = "personKey", personKey = green }, direction: "Out")),
        };
        var noMatch = await Post(device, Check(2, new { kind = "noMatch" }));
        var afterNoMatch = await Post(device, Check(2, new { kind = "personKey", personKey = green }));
        var unregistered = await Post(device, Check(3, new { kind = "personKey", personKey = 999_999 }));
        var afterUnregistered = await Post(device, Check(3, new { kind = "noMatch" }));

        Assert.Equal(("Pass", false), (first.GetProperty("decision").GetString(), first.GetProperty("replayed").GetBoolean()));
        Assert.Equal(("Pass", true), (resent.GetProperty("decision").GetString(), resent.GetProperty("replayed").GetBoolean()));
        foreach (var response in reused.Append(afterNoMatch).Append(afterUnregistered))
        {
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "gate.sequence_reused");
            Assert.Contains("递增", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(OtherIdNumber, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, noMatch.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unregistered.StatusCode);
        Assert.Equal(3, await gate.QueryAsync(db => db.Passages.CountAsync()));
        Assert.Equal(0, await gate.QueryAsync(db => db.Passages.CountAsync(p => p.PersonKey == red)));
        Assert.Equal(1, await gate.QueryAsync(db => db.UnidentifiedFollowUps.CountAsync()));
        Assert.Equal(1, await gate.QueryAsync(db => db.Cases.CountAsync(c => c.CategoryCode == "Y0101")));
        Assert.Contains(LogSink.Shared.Text().Split('\n'), line => line.Contains(" Warning ", StringComparison.Ordinal)
            && line.Contains("sent sequence 3 again with another check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Embedded_photo_is_rejected_by_size()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (_, device) = await gate.DeviceAsync(PlaceKind.Mall);
        var photo = Convert.ToBase64String(new byte[8192]);

        var response = await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", new { sequence = 1, identity = new { kind = "noMatch" }, p = photo });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "gate.body_too_large");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task No_match_opens_one_case_that_the_officer_clears(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (_, device) = await gate.DeviceAsync(PlaceKind.ResidentialCompound);

        var first = await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(7, new { kind = "noMatch" }))).ReadJsonAsync();
        var resent = await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(7, new { kind = "noMatch" }))).ReadJsonAsync();
        var caseId = await gate.QueryAsync(db => db.Cases.Where(c => c.CategoryCode == "Y0101").Select(c => c.Id).SingleAsync());
        var missingReason = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/unidentified/{caseId}/resolve", new { outcome = "cleared" });
        var resolved = await (await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/unidentified/{caseId}/resolve",
            new { outcome = "cleared", reason = "经核实为快递员，已登记来访" })).ReadJsonAsync();

        Assert.Equal(("no_match", true), (first.GetProperty("reasonCode").GetString(), resent.GetProperty("replayed").GetBoolean()));
        await ProblemAssert.IsProblemAsync(missingReason, HttpStatusCode.BadRequest, "unidentified.reason_required");
        Assert.Equal("Closed", resolved.GetProperty("caseState").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cleared_reason_with_phone_is_a_problem(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (_, device) = await gate.DeviceAsync(PlaceKind.ResidentialCompound);
        await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(7, new { kind = "noMatch" }));
        var caseId = await gate.QueryAsync(db => db.Cases.Where(c => c.CategoryCode == "Y0101").Select(c => c.Id).SingleAsync());

        var response = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/unidentified/{caseId}/resolve",
            new { outcome = "cleared", reason = "经核实为张三，电话 +86 138 0013 8000" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "unidentified.identifier_in_text");
        Assert.Equal("reason", problem.GetProperty("field").GetString());
        Assert.Contains("不能填写身份证号或手机号", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await gate.QueryAsync(db => db.CaseEvents.AnyAsync(e => e.CaseId == caseId && e.Reason != null && e.Reason.Contains("0013"))),
            "the rejected reason reached the case timeline");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_no_match_copies_open_one_case(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind, passageModule: true);
        var (_, device) = await gate.DeviceAsync(PlaceKind.ResidentialCompound);
        var copy = gate.Platform.CreateClient();
        copy.DefaultRequestHeaders.Add("X-Device-Key", device.DefaultRequestHeaders.GetValues("X-Device-Key").Single());
        const int Checks = 10;

        // Each check is sent twice at once, as from a device that resends before the first response arrives.
        var responses = await Task.WhenAll(Enumerable.Range(1, Checks).SelectMany(sequence => new[] { device, copy }
            .Select(client => client.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(sequence, new { kind = "noMatch" })))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(Checks, await gate.QueryAsync(db => db.Passages.CountAsync()));
        Assert.Equal(Checks, await gate.QueryAsync(db => db.UnidentifiedFollowUps.CountAsync(f => f.CaseId != null)));
        Assert.Equal(Checks, await gate.QueryAsync(db => db.UnidentifiedFollowUps.CountAsync()));
        Assert.Equal(Checks, await gate.QueryAsync(db => db.Cases.CountAsync(c => c.CategoryCode == "Y0101")));
        var errors = LogSink.Shared.Text().Split('\n')
            .Where(line => line.Contains(" Error ", StringComparison.Ordinal) && line.Contains("unidentified_followups", StringComparison.Ordinal));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Place_management_needs_epidemic_officer()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var admin = await gate.Platform.SignInAdminAsync();

        var outside = await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/places", new { name = "上海某商场", kind = "Mall", latitude = 31.23, longitude = 121.47 });
        var otherDistrict = await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/places",
            new { name = "慈溪某商场", kind = "Mall", latitude = ApiClient.Cixi.Latitude, longitude = ApiClient.Cixi.Longitude });
        var byAdmin = await admin.PostAsJsonAsync("/api/v1/epidemic/places",
            new { name = "海曙某商场", kind = "Mall", latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude });

        await ProblemAssert.IsProblemAsync(outside, HttpStatusCode.BadRequest, "place.outside_city");
        await ProblemAssert.IsProblemAsync(otherDistrict, HttpStatusCode.Forbidden, "place.outside_scope");
        await ProblemAssert.IsProblemAsync(byAdmin, HttpStatusCode.Forbidden, "epidemic.forbidden");
    }

    [Fact]
    public async Task Site_gate_consults_the_roster_managed_over_http()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (siteId, device) = await gate.DeviceAsync(PlaceKind.ConstructionSite);
        var worker = await gate.PersonAsync(IdNumber, HealthStatus.Green);
        var employer = await (await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/sites/employers",
            new { name = "宁波某建设有限公司", creditCode = "91330200MA2AB1234Y" })).ReadJsonAsync();
        var entry = await (await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/sites/{siteId}/roster",
            new { employerId = employer.GetProperty("id").GetInt64(), personKey = worker, validFrom = Day(-1), validTo = Day(29) })).ReadJsonAsync();

        var onRoster = await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(1, new { kind = "idNumber", idNumber = IdNumber }))).ReadJsonAsync();
        await (await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/sites/{siteId}/roster/{entry.GetProperty("id").GetInt64()}/end",
            new { lastDay = Day(-1) })).ReadJsonAsync();
        var ended = await (await device.PostAsJsonAsync("/api/v1/epidemic/gate/check", Check(2, new { kind = "idNumber", idNumber = IdNumber }))).ReadJsonAsync();

        Assert.Equal("Pass", onRoster.GetProperty("decision").GetString());
        Assert.Equal("not_on_roster", ended.GetProperty("reasonCode").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Roster_entry_from_2000_can_be_voided(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (siteId, _) = await gate.DeviceAsync(PlaceKind.ConstructionSite);
        var worker = await gate.PersonAsync(IdNumber, HealthStatus.Green);
        var employer = await (await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/sites/employers",
            new { name = "宁波某建设有限公司", creditCode = "91330200MA2AB1234Y" })).ReadJsonAsync();
        var entry = await (await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/sites/{siteId}/roster",
            new { employerId = employer.GetProperty("id").GetInt64(), personKey = worker, validFrom = "2000-01-01", validTo = "2000-01-31" })).ReadJsonAsync();
        var entryUrl = $"/api/v1/epidemic/sites/{siteId}/roster/{entry.GetProperty("id").GetInt64()}";

        var endBefore2000 = await gate.Officer.PostAsJsonAsync($"{entryUrl}/end", new { lastDay = "1999-12-31" });
        var voided = await gate.Officer.PostAsync($"{entryUrl}/void", null);
        var stored = await (await gate.Officer.GetAsync(entryUrl)).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(endBefore2000, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        Assert.Equal("2000-01-01", stored.GetProperty("validFrom").GetString());
        Assert.Equal("1999-12-31", stored.GetProperty("validTo").GetString());
    }

    /// <summary>A check at <paramref name="at"/>, by default <see cref="GatePlatform.CheckTime"/>.</summary>
    private static object Check(long sequence, object identity, DateTimeOffset? at = null, string direction = "In") =>
        new { sequence, occurredAt = at ?? GatePlatform.CheckTime, direction, identity };

    private static Task<HttpResponseMessage> Post(HttpClient device, object check) => device.PostAsJsonAsync("/api/v1/epidemic/gate/check", check);

    /// <summary>The day <paramref name="offset"/> days from the day of <see cref="GatePlatform.CheckTime"/>, as yyyy-MM-dd.</summary>
    private static string Day(int offset) => DateOnly.FromDateTime(GatePlatform.CheckTime.DateTime).AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
