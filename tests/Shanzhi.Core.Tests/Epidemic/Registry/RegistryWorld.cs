using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Tests.Privacy;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>
/// The registry over a <see cref="CaseWorld"/> store (grids under streets A, B and C), a test key
/// ring, the store-backed audit chain and officers of three scopes.
/// </summary>
internal sealed class RegistryWorld : IAsyncDisposable
{
    public static readonly string GridA = CaseWorld.StreetA + "001001";
    public static readonly string GridC = CaseWorld.StreetC + "001001";

    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private readonly TestKeys _keys = new();
    private readonly ServiceProvider _services;

    private RegistryWorld(CaseWorld cases)
    {
        Cases = cases;
        Identity = new PersonIdentity(_keys.Cipher, new BlindIndex(_keys.Store));
        var services = new ServiceCollection();
        services.AddScoped<ShanzhiDbContext>(_ => cases.NewContext());
        _services = services.BuildServiceProvider();
        Lookup = new PersonLookup(_services.GetRequiredService<IServiceScopeFactory>(), Identity);
    }

    public CaseWorld Cases { get; }

    public PersonIdentity Identity { get; }

    public PersonLookup Lookup { get; }

    public StaffPrincipal CityOfficer { get; private set; } = null!;

    public StaffPrincipal SecondCityOfficer { get; private set; } = null!;

    /// <summary>Officer whose scope is street A (grid A) only.</summary>
    public StaffPrincipal StreetAOfficer { get; private set; } = null!;

    public static async Task<RegistryWorld> CreateAsync(StoreKind kind)
    {
        var world = new RegistryWorld(await CaseWorld.CreateAsync(kind));
        var city = CaseWorld.PathOf(CaseWorld.City);
        world.CityOfficer = await world.Cases.UserAsync("防控专员甲", null, city, Roles.EpidemicOfficer);
        world.SecondCityOfficer = await world.Cases.UserAsync("防控专员乙", null, city, Roles.EpidemicOfficer);
        world.StreetAOfficer = await world.Cases.UserAsync("防控专员丙", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA), Roles.EpidemicOfficer);
        return world;
    }

    public ShanzhiDbContext NewContext() => Cases.NewContext();

    public PersonRegistry Registry(ShanzhiDbContext db) =>
        new(db, Identity, new TestAuditLog(Cases.Store, Cases.Clock), Cases.Clock, Logs.CreateLogger<PersonRegistry>());

    public ImportPersons Importer(ShanzhiDbContext db) => new(db, Identity, Cases.Clock, Logs.CreateLogger<ImportPersons>());

    public HealthStatusService Health(ShanzhiDbContext db) =>
        new(db, Registry(db), Lookup, Cases.Clock, Logs.CreateLogger<HealthStatusService>());

    public UpstreamHealthUpdate Upstream(ShanzhiDbContext db) => new(db, Identity, Lookup, Cases.Clock, Logs.CreateLogger<UpstreamHealthUpdate>());

    /// <summary>Registers synthetic person <paramref name="n"/> in <paramref name="grid"/> (grid A by default) and returns the key.</summary>
    public async Task<long> RegisterAsync(int n, string? grid = null, string name = "测试人员")
    {
        await using var db = NewContext();
        var result = await Registry(db).RegisterAsync(
            new RegisterPersonRequest(name, SyntheticIds.Id(n), "13900000000", Shanzhi.Epidemic.ResidencyClass.Permanent, grid ?? GridA),
            CityOfficer, TestContext.Current.CancellationToken);
        return result.Value?.PersonKey ?? throw new InvalidOperationException($"Registration failed: {result.Error}");
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _keys.Dispose();
        await Cases.DisposeAsync();
    }
}
