using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Tests.Privacy;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>
/// The case world plus the Y0101 category, a key ring for the blind index, a plain passage store,
/// an epidemic officer for the whole city and a contact index. Places are registered through
/// <see cref="PlaceRegistry"/>, which passes their kinds to the index.
/// </summary>
internal sealed class GateWorld : IAsyncDisposable
{
    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private GateWorld(CaseWorld cases)
    {
        Cases = cases;
        Ingest = new StorePassageIngest(cases.Store, cases.Clock);
        Devices = new DeviceResolver(new ScopeFactory(cases.Store), cases.Clock);
    }

    public CaseWorld Cases { get; }

    public TestKeys Keys { get; } = new();

    public StorePassageIngest Ingest { get; }

    public DeviceResolver Devices { get; }

    public ContactIndex Index { get; } = new(Options.Create(new TracingOptions()));

    public ResidencyCache Residencies => new(Cases.Clock);

    public StaffPrincipal Officer { get; } = new(Guid.NewGuid(), "防控专员", new HashSet<string> { Roles.EpidemicOfficer }, null, CaseWorld.PathOf(CaseWorld.City));

    public static async Task<GateWorld> CreateAsync(StoreKind kind)
    {
        var world = new GateWorld(await CaseWorld.CreateAsync(kind));
        await using var db = world.Cases.NewContext();
        await new UnidentifiedCaseSeeder().SeedAsync(db, TestContext.Current.CancellationToken);
        return world;
    }

    public BlindIndex BlindIndex => new(Keys.Store);

    public PlaceRegistry Places(ShanzhiDbContext db) => new(db, Cases.Locator, Devices, Cases.Clock, Logs.CreateLogger<PlaceRegistry>(), [Index]);

    /// <summary>The movement retention the gate checks are held to: the platform's default policies.</summary>
    public RetentionOptions Retention { get; } = new();

    /// <summary>A gate check on <paramref name="db"/>; site rosters come from <paramref name="rosters"/> when given, else from the store.</summary>
    /// <param name="ingest">Where passages go; <see cref="Ingest"/> when null.</param>
    public CheckGate Gate(ShanzhiDbContext db, SiteRosterDirectory? rosters = null, IPassageIngest? ingest = null) =>
        new(new CheckScope(db, new OpenUnidentifiedCase(db, Cases.Cases(db), Cases.Clock, Logs.CreateLogger<OpenUnidentifiedCase>())),
            new StorePersonDirectory(db, BlindIndex), ingest ?? Ingest, Residencies, Cases.Clock, Options.Create(Retention), Logs.CreateLogger<CheckGate>(),
            rosters);

    public SiteRosterLoader RosterLoader(SiteRosterDirectory directory) =>
        new(new ScopeFactory(Cases.Store), directory, Cases.Clock, Logs.CreateLogger<SiteRosterLoader>());

    public ResolveUnidentified Resolver(ShanzhiDbContext db) => new(db, Cases.Cases(db), Cases.Clock, Logs.CreateLogger<ResolveUnidentified>());

    public SiteRosters Rosters(ShanzhiDbContext db) => new(db, Cases.Clock, Logs.CreateLogger<SiteRosters>());

    public SiteRosters Rosters(ShanzhiDbContext db, SiteRosterDirectory directory) => new(db, Cases.Clock, Logs.CreateLogger<SiteRosters>(), directory);

    /// <summary>Registers a place with one entrance and one device and returns the device as the gate API sees it.</summary>
    public async Task<(DeviceContext Device, string ApiKey)> DeviceAtAsync(PlaceKind kind, (double Latitude, double Longitude) at)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = Cases.NewContext();
        var registry = Places(db);
        var place = (await registry.CreatePlaceAsync(new CreatePlaceRequest("测试" + EpidemicNames.Chinese(kind), kind, at.Latitude, at.Longitude), Officer, ct)).Value!;
        var entrance = (await registry.AddEntranceAsync(place.Id, "东门", Officer, ct)).Value!;
        var issued = (await registry.AddDeviceAsync(place.Id, entrance.Id, "一号闸机", Officer, ct)).Value!;
        return ((await Devices.ResolveAsync(issued.ApiKey, ct))!, issued.ApiKey);
    }

    /// <summary>Adds a registered person with an encrypted ID number and its blind index; returns the person key.</summary>
    public async Task<long> PersonAsync(string idNumber, HealthStatus? status, ResidencyClass residency = ResidencyClass.Permanent)
    {
        await using var db = Cases.NewContext();
        var person = new Person
        {
            NameCipher = Keys.Cipher.Encrypt("测试人员", "persons.name"),
            IdNumberCipher = Keys.Cipher.Encrypt(idNumber, "persons.id_number"),
            IdNumberIndex = BlindIndex.Compute(BlindIndexKind.IdNumber, idNumber),
            Residency = residency,
            Status = status,
            CreatedAt = Cases.Clock.GetUtcNow(),
            UpdatedAt = Cases.Clock.GetUtcNow(),
        };
        db.Persons.Add(person);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return person.Key;
    }

    /// <summary>Moves the clock forward to <paramref name="at"/> when that is later, so a check at that time is not one from the future.</summary>
    public void ClockAtLeast(DateTimeOffset at)
    {
        if (at > Cases.Clock.GetUtcNow())
        {
            Cases.Clock.SetUtcNow(at);
        }
    }

    public async Task<Result<GateAnswer>> CheckAsync(DeviceContext device, GateCheckInput input)
    {
        await using var db = Cases.NewContext();
        return await Gate(db).CheckAsync(device, input, TestContext.Current.CancellationToken);
    }

    public async Task<GateAnswer> MustCheckAsync(DeviceContext device, GateCheckInput input) =>
        (await CheckAsync(device, input)).Value ?? throw new InvalidOperationException("Gate check failed");

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        Index.Dispose();
        await Cases.DisposeAsync();
    }

    /// <summary>The two scoped services a gate check takes when it needs the store.</summary>
    private sealed class CheckScope(ShanzhiDbContext db, OpenUnidentifiedCase followUps) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(ShanzhiDbContext) ? db : serviceType == typeof(OpenUnidentifiedCase) ? followUps : null;
    }

    /// <summary>Scopes that hand out a fresh context of the test store, for the device resolver.</summary>
    private sealed class ScopeFactory(TestStore store) : Microsoft.Extensions.DependencyInjection.IServiceScopeFactory
    {
        public Microsoft.Extensions.DependencyInjection.IServiceScope CreateScope() => new Scope(store.NewContext());

        private sealed class Scope(ShanzhiDbContext db) : Microsoft.Extensions.DependencyInjection.IServiceScope, IServiceProvider, IAsyncDisposable
        {
            public IServiceProvider ServiceProvider => this;

            public object? GetService(Type serviceType) => serviceType == typeof(ShanzhiDbContext) ? db : null;

            public void Dispose() => db.Dispose();

            public ValueTask DisposeAsync() => db.DisposeAsync();
        }
    }
}
