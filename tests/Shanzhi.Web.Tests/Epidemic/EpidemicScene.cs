using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;
using Shanzhi.Geography;
using Shanzhi.Storage;

namespace Shanzhi.Web.Tests.Epidemic;

/// <summary>
/// A confirmed case and its contacts written straight into a running platform's store, so web
/// tests need no registry or gate API. Yesterday at 10:00 Beijing the index person spent an hour at
/// a mall, where contact A stayed 40 minutes and contact B 25 minutes. At 13:00 contact A spent an
/// hour at a school, where S stayed 30 minutes. The index person and A live in the mall's grid,
/// B in the school's grid, and S has no registered home, so S belongs to the school's grid.
/// Every <see cref="IPlaceObserver"/> receives the two places, as from the place registry, and
/// after the passages are committed every <see cref="IPassageObserver"/> is notified, as the ingest does.
/// </summary>
public sealed record EpidemicScene(long IndexKey, long ContactA, long ContactB, long Secondary, string MallGrid, string SchoolGrid)
{
    /// <summary>Points in two different grids of the platform's seeded Ningbo geography.</summary>
    public static readonly (double Latitude, double Longitude) Mall = (29.8705, 121.5500);
    public static readonly (double Latitude, double Longitude) School = (29.8890, 121.5560);

    public static async Task<EpidemicScene> SeedAsync(IServiceProvider services)
    {
        var (scene, records) = await RegisterAsync(services, Random.Shared.NextInt64(1_000_000, long.MaxValue / 2));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        db.Passages.AddRange(records.Select(r => new Passage
        {
            DeviceId = r.DeviceId,
            DeviceSequence = r.DeviceSequence,
            EntranceId = r.EntranceId,
            PlaceId = r.PlaceId,
            PersonKey = r.PersonKey,
            OccurredAt = r.OccurredAt,
            Direction = r.Direction,
            Decision = r.Decision,
            Channel = r.Channel,
            StatusAtPassage = r.StatusAtPassage,
            ReceivedAt = clock.GetUtcNow(),
        }));
        await db.SaveChangesAsync();
        foreach (var observer in scope.ServiceProvider.GetServices<IPassageObserver>())
        {
            observer.OnCommitted(records);
        }

        return scene;
    }

    /// <summary>
    /// Registers the scene's places and persons and returns its passages, numbered 1, 2, … as
    /// passages of <paramref name="device"/>, without storing them.
    /// </summary>
    public static async Task<(EpidemicScene Scene, IReadOnlyList<PassageRecord> Passages)> RegisterAsync(IServiceProvider services, long device)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var locator = scope.ServiceProvider.GetRequiredService<GridLocator>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var mallGrid = locator.Locate(Mall.Latitude, Mall.Longitude) ?? throw new InvalidOperationException("The mall point is outside every grid.");
        var schoolGrid = locator.Locate(School.Latitude, School.Longitude) ?? throw new InvalidOperationException("The school point is outside every grid.");
        if (mallGrid.RegionCode == schoolGrid.RegionCode)
        {
            throw new InvalidOperationException("The scene needs the mall and the school in different grids.");
        }

        var mall = Place("甬城测试商场", PlaceKind.Mall, Mall, mallGrid);
        var school = Place("甬城测试小学", PlaceKind.School, School, schoolGrid);
        db.Places.AddRange(mall, school);
        var index = Person(mallGrid.RegionCode);
        var a = Person(mallGrid.RegionCode);
        var b = Person(schoolGrid.RegionCode);
        var s = Person(null);
        db.Persons.AddRange(index, a, b, s);
        await db.SaveChangesAsync();
        foreach (var observer in scope.ServiceProvider.GetServices<IPlaceObserver>())
        {
            observer.OnRegistered(mall.Id, mall.Kind);
            observer.OnRegistered(school.Id, school.Kind);
        }

        var yesterday = ShanghaiTime.StartOfDay(ShanghaiTime.Today(clock).AddDays(-1));
        var sequence = 0L;
        PassageRecord Pass(Place place, long person, int hour, int minute, PassageDirection direction) =>
            new(device, ++sequence, 1, place.Id, person, yesterday.AddHours(hour).AddMinutes(minute), direction, GateDecision.Pass, HubChannel.None,
                HealthStatus.Green);

        List<PassageRecord> records =
        [
            Pass(mall, index.Key, 10, 0, PassageDirection.In), Pass(mall, index.Key, 11, 0, PassageDirection.Out),
            Pass(mall, a.Key, 10, 10, PassageDirection.In), Pass(mall, a.Key, 10, 50, PassageDirection.Out),
            Pass(mall, b.Key, 10, 20, PassageDirection.In), Pass(mall, b.Key, 10, 45, PassageDirection.Out),
            Pass(school, a.Key, 13, 0, PassageDirection.In), Pass(school, a.Key, 14, 0, PassageDirection.Out),
            Pass(school, s.Key, 13, 10, PassageDirection.In), Pass(school, s.Key, 13, 40, PassageDirection.Out),
        ];
        return (new EpidemicScene(index.Key, a.Key, b.Key, s.Key, mallGrid.RegionCode, schoolGrid.RegionCode), records);
    }

    private static Place Place(string name, PlaceKind kind, (double Latitude, double Longitude) at, GridLocation grid) => new()
    {
        Name = name,
        Kind = kind,
        Latitude = at.Latitude,
        Longitude = at.Longitude,
        GridCode = grid.RegionCode,
        RegionPath = grid.RegionPath,
    };

    // The registry encrypts identities; these tests never read them, so random bytes stand in.
    internal static Person Person(string? homeGrid) => new()
    {
        NameCipher = RandomNumberGenerator.GetBytes(16),
        IdNumberCipher = RandomNumberGenerator.GetBytes(16),
        IdNumberIndex = RandomNumberGenerator.GetBytes(32),
        HomeGridCode = homeGrid,
    };
}
