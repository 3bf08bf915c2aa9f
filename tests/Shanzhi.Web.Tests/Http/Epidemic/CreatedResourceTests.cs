using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http.Epidemic;

/// <summary>
/// Registering a place, an entrance, a device, an employer or a roster entry returns 201 with the
/// new resource's path, and a GET of that path returns the resource to officers who may list it.
/// </summary>
public sealed class CreatedResourceTests
{
    [Fact]
    public async Task Creations_answer_201_with_location()
    {
        await using var gate = await GatePlatform.StartAsync(StoreKind.Sqlite);
        var (siteId, _) = await gate.DeviceAsync(PlaceKind.ConstructionSite);
        var worker = await gate.PersonAsync("330203199001011236", HealthStatus.Green);

        var entrance = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{siteId}/entrances", new { name = "北门" });
        var entranceId = (await entrance.ReadJsonAsync()).GetProperty("id").GetInt64();
        var device = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{siteId}/entrances/{entranceId}/devices", new { label = "北门闸机" });
        var employer = await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/sites/employers",
            new { name = "宁波某建设有限公司", creditCode = "91330200MA2AB1234Y" });
        var employerId = (await employer.ReadJsonAsync()).GetProperty("id").GetInt64();
        var entry = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/sites/{siteId}/roster",
            new { employerId, personKey = worker, validFrom = "2026-03-01", validTo = "2026-03-31" });

        var deviceId = (await device.ReadJsonAsync()).GetProperty("deviceId").GetInt64();
        var entryId = (await entry.ReadJsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal(
            [
                (HttpStatusCode.Created, $"/api/v1/epidemic/places/{siteId}/entrances/{entranceId}"),
                (HttpStatusCode.Created, $"/api/v1/epidemic/places/{siteId}/devices/{deviceId}"),
                (HttpStatusCode.Created, $"/api/v1/epidemic/sites/employers/{employerId}"),
                (HttpStatusCode.Created, $"/api/v1/epidemic/sites/{siteId}/roster/{entryId}"),
            ],
            new[] { entrance, device, employer, entry }.Select(r => (r.StatusCode, r.Headers.Location?.OriginalString)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Each_location_can_be_read(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var worker = await gate.PersonAsync("330203199001011236", HealthStatus.Green);
        var place = await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/places",
            new { name = "测试工地", kind = "ConstructionSite", latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude });
        var siteId = (await place.ReadJsonAsync()).GetProperty("id").GetInt64();
        var entrance = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{siteId}/entrances", new { name = "北门" });
        var entranceId = (await entrance.ReadJsonAsync()).GetProperty("id").GetInt64();
        var device = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{siteId}/entrances/{entranceId}/devices", new { label = "北门闸机" });
        var employer = await gate.Officer.PostAsJsonAsync("/api/v1/epidemic/sites/employers",
            new { name = "宁波某建设有限公司", creditCode = "91330200MA2AB1234Y" });
        var entry = await gate.Officer.PostAsJsonAsync($"/api/v1/epidemic/sites/{siteId}/roster",
            new { employerId = (await employer.ReadJsonAsync()).GetProperty("id").GetInt64(), personKey = worker, validFrom = "2026-03-01", validTo = "2026-03-31" });

        var read = new Dictionary<string, JsonElement>();
        foreach (var (name, created) in new[] { ("place", place), ("entrance", entrance), ("device", device), ("employer", employer), ("entry", entry) })
        {
            var response = await gate.Officer.GetAsync(created.Headers.Location);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {created.Headers.Location} of the {name}: {(int)response.StatusCode}");
            read[name] = await response.ReadJsonAsync();
        }

        Assert.Equal(("测试工地", "北门"), (read["place"].GetProperty("name").GetString(), read["place"].GetProperty("entrances")[0].GetProperty("name").GetString()));
        Assert.Equal((entranceId, "北门闸机"), (read["entrance"].GetProperty("id").GetInt64(), read["entrance"].GetProperty("devices")[0].GetProperty("label").GetString()));
        Assert.Equal(["id", "label", "active"], read["device"].EnumerateObject().Select(p => p.Name));
        Assert.Equal("91330200MA2AB1234Y", read["employer"].GetProperty("creditCode").GetString());
        Assert.Equal(
            ["id", "siteId", "employerId", "employerName", "personKey", "validFrom", "validTo", "ended"],
            read["entry"].EnumerateObject().Select(p => p.Name));
        Assert.Equal(worker, read["entry"].GetProperty("personKey").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unknown_or_foreign_ids_are_not_found(StoreKind kind)
    {
        await using var gate = await GatePlatform.StartAsync(kind);
        var (siteId, _) = await gate.DeviceAsync(PlaceKind.ConstructionSite);
        var (mallId, _) = await gate.DeviceAsync(PlaceKind.Mall);
        var admin = await gate.Platform.SignInAdminAsync();
        await admin.CreateUserAsync("cixi-officer", GatePlatform.OfficerPassword, ["epidemic-officer"], "330282");
        var cixi = await gate.Platform.SignInAsync("cixi-officer", GatePlatform.OfficerPassword);

        (string Path, string Code)[] unknown =
        [
            ($"/api/v1/epidemic/places/{siteId + 1000}", "place.not_found"),
            ($"/api/v1/epidemic/places/{siteId}/entrances/999999", "place.entrance_not_found"),
            ($"/api/v1/epidemic/places/{siteId}/devices/999999", "place.device_not_found"),
            ("/api/v1/epidemic/sites/employers/999999", "roster.employer_unknown"),
            ($"/api/v1/epidemic/sites/{siteId}/roster/999999", "roster.entry_not_found"),
            ($"/api/v1/epidemic/sites/{mallId}/roster/1", "roster.not_a_site"),
        ];
        foreach (var (path, code) in unknown)
        {
            var status = code == "roster.not_a_site" ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound;
            await ProblemAssert.IsProblemAsync(await gate.Officer.GetAsync(path), status, code);
        }

        await ProblemAssert.IsProblemAsync(await cixi.GetAsync($"/api/v1/epidemic/places/{siteId}"), HttpStatusCode.NotFound, "place.not_found");
        await ProblemAssert.IsProblemAsync(await admin.GetAsync($"/api/v1/epidemic/places/{siteId}"), HttpStatusCode.Forbidden, "epidemic.forbidden");
        await ProblemAssert.IsProblemAsync(await admin.GetAsync("/api/v1/epidemic/sites/employers/1"), HttpStatusCode.Forbidden, "epidemic.forbidden");
    }
}
