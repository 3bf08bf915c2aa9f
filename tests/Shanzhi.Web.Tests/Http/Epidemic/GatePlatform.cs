using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http.Epidemic;

/// <summary>
/// The platform with a plain EF passage store standing in for the passage module, an epidemic
/// officer for Haishu, and helpers to register places, devices and persons.
/// </summary>
internal sealed class GatePlatform : IAsyncDisposable
{
    public const string OfficerPassword = "Epidemic-Officer-2026";

    private GatePlatform(PlatformFactory platform, HttpClient officer)
    {
        Platform = platform;
        Officer = officer;
    }

    /// <summary>
    /// An hour ago in Asia/Shanghai, to whole seconds: recent enough for the movement retention
    /// (28 days) that the gate check enforces against the platform's real clock.
    /// </summary>
    public static DateTimeOffset CheckTime { get; } = TruncateToSeconds(DateTimeOffset.UtcNow.AddHours(-1)).ToOffset(TimeSpan.FromHours(8));

    /// <summary><see cref="CheckTime"/> in the form a device sends it.</summary>
    public static string CheckTimeText => CheckTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public PlatformFactory Platform { get; }

    public HttpClient Officer { get; }

    /// <param name="passageModule">
    /// Store passages through the platform's own ingest instead of the plain EF stand-in, which
    /// is not safe for two copies of one passage stored at once.
    /// </param>
    public static async Task<GatePlatform> StartAsync(StoreKind kind, bool passageModule = false)
    {
        var platform = await PlatformFactory.StartAsync(kind, builder => builder.ConfigureServices(services =>
        {
            if (!passageModule)
            {
                services.AddSingleton<IPassageIngest, StorePassageIngest>();
            }
        }));
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("officer", OfficerPassword, ["epidemic-officer"], "330203");
        return new GatePlatform(platform, await platform.SignInAsync("officer", OfficerPassword));
    }

    /// <summary>A place in Haishu with one entrance and one device; returns the place id and a client sending the device key.</summary>
    public async Task<(long PlaceId, HttpClient Device)> DeviceAsync(PlaceKind kind)
    {
        var place = await (await Officer.PostAsJsonAsync("/api/v1/epidemic/places",
            new { name = "测试场所", kind = kind.ToString(), latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude })).ReadJsonAsync();
        var placeId = place.GetProperty("id").GetInt64();
        var entrance = await (await Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{placeId}/entrances", new { name = "南门" })).ReadJsonAsync();
        var device = await (await Officer.PostAsJsonAsync($"/api/v1/epidemic/places/{placeId}/entrances/{entrance.GetProperty("id").GetInt64()}/devices",
            new { label = "人脸核验终端" })).ReadJsonAsync();
        var client = Platform.CreateClient();
        client.DefaultRequestHeaders.Add("X-Device-Key", device.GetProperty("apiKey").GetString());
        return (placeId, client);
    }

    public async Task<long> PersonAsync(string idNumber, HealthStatus status)
    {
        await using var scope = Platform.Services.CreateAsyncScope();
        var cipher = scope.ServiceProvider.GetRequiredService<FieldCipher>();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var person = new Person
        {
            NameCipher = cipher.Encrypt("测试人员", "persons.name"),
            IdNumberCipher = cipher.Encrypt(idNumber, "persons.id_number"),
            IdNumberIndex = scope.ServiceProvider.GetRequiredService<BlindIndex>().Compute(BlindIndexKind.IdNumber, idNumber),
            Status = status,
        };
        db.Persons.Add(person);
        await db.SaveChangesAsync();
        return person.Key;
    }

    public async Task<T> QueryAsync<T>(Func<ShanzhiDbContext, Task<T>> query)
    {
        await using var scope = Platform.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>());
    }

    public ValueTask DisposeAsync() => Platform.DisposeAsync();

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % TimeSpan.TicksPerSecond));

    /// <summary>Stores passages row by row through EF, counting the ones already there.</summary>
    private sealed class StorePassageIngest(IServiceScopeFactory scopes, TimeProvider clock) : IPassageIngest
    {
        public async Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            var fresh = new List<Passage>();
            foreach (var p in passages)
            {
                if (!await db.Passages.AnyAsync(x => x.DeviceId == p.DeviceId && x.DeviceSequence == p.DeviceSequence, cancellationToken))
                {
                    fresh.Add(new Passage
                    {
                        DeviceId = p.DeviceId, DeviceSequence = p.DeviceSequence, EntranceId = p.EntranceId, PlaceId = p.PlaceId, PersonKey = p.PersonKey,
                        OccurredAt = p.OccurredAt, Direction = p.Direction, Decision = p.Decision, Channel = p.Channel, StatusAtPassage = p.StatusAtPassage,
                        ReceivedAt = clock.GetUtcNow(),
                    });
                }
            }

            db.Passages.AddRange(fresh);
            await db.SaveChangesAsync(cancellationToken);
            return new IngestReceipt(fresh.Count, passages.Count - fresh.Count);
        }
    }
}
