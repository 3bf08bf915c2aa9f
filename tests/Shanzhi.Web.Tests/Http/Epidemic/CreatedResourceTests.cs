using System.Net;
using System.Net.Http.Json;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http.Epidemic;

/// <summary>Registering an entrance, a device, an employer or a roster entry returns 201 with the new resource's path.</summary>
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
}
