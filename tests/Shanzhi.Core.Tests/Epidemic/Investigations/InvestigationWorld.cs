using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Investigations;

/// <summary>
/// The case world plus the follow-up catalogue, three places (one per street grid), an index
/// person and four contacts, and a tracer that returns fixed edges dated around the world's clock
/// (Monday 2026-03-02 09:00 Beijing). Contacts C1 and S1 live in street A's grid, C2 in street B's,
/// C3 has no home grid and met the index person at the place in street C (Yinzhou). C4 lives in
/// street A's grid and is a contact only after <see cref="AddLateContact"/>, as a re-trace finds one.
/// </summary>
internal sealed class InvestigationWorld : IAsyncDisposable
{
    public static readonly DateOnly Anchor = new(2026, 3, 1);

    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private InvestigationWorld(CaseWorld cases) => Cases = cases;

    public CaseWorld Cases { get; }

    public long IndexKey { get; private set; }

    public long C1 { get; private set; }

    public long C2 { get; private set; }

    public long C3 { get; private set; }

    public long S1 { get; private set; }

    public long C4 { get; private set; }

    public long PlaceA { get; private set; }

    public long PlaceB { get; private set; }

    public long PlaceC { get; private set; }

    public string GridA => CaseWorld.StreetA + "001001";

    public string GridB => CaseWorld.StreetB + "001001";

    public string GridC => CaseWorld.StreetC + "001001";

    /// <summary>Epidemic officer with the whole city in scope.</summary>
    public StaffPrincipal Officer { get; } = Staff("流调员甲", CaseWorld.PathOf(CaseWorld.City), Roles.EpidemicOfficer);

    /// <summary>Epidemic officer of Haishu only.</summary>
    public StaffPrincipal HaishuOfficer { get; } = Staff("流调员乙", CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu), Roles.EpidemicOfficer);

    /// <summary>Epidemic officer of Yinzhou only.</summary>
    public StaffPrincipal YinzhouOfficer { get; } = Staff("流调员丙", CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou), Roles.EpidemicOfficer);

    public FixedTracer Tracer { get; private set; } = null!;

    public static async Task<InvestigationWorld> CreateAsync(StoreKind kind)
    {
        var world = new InvestigationWorld(await CaseWorld.CreateAsync(kind));
        await world.SeedAsync();
        return world;
    }

    public ShanzhiDbContext NewContext() => Cases.NewContext();

    public InvestigationService Service(ShanzhiDbContext db, bool withTracer = true) => new(
        db, Cases.Cases(db), new TestAuditLog(Cases.Store, Cases.Clock), withTracer ? [Tracer] : [],
        new RuleSetCatalog(Options.Create(new TracingOptions())), Cases.Clock,
        Logs.CreateLogger<InvestigationService>());

    public OpenInvestigationRequest Request(string scopeRegionCode = CaseWorld.City) => new(
        IndexKey,
        new DateTimeOffset(2026, 3, 2, 8, 0, 0, CaseWorld.Shanghai),
        Anchor,
        AnchorKind.Onset,
        RuleSets.China9.Id,
        RuleSets.China9.Version,
        "pdcl-12",
        null,
        scopeRegionCode,
        new DateOnly(2026, 2, 20),
        new DateOnly(2026, 3, 2),
        "追踪确诊病例的密切接触者并落实管控");

    public async Task<InvestigationView> OpenAsync(string scopeRegionCode = CaseWorld.City, StaffPrincipal? by = null)
    {
        await using var db = NewContext();
        var result = await Service(db).OpenAsync(Request(scopeRegionCode), by ?? Officer, TestContext.Current.CancellationToken);
        return result.Value ?? throw new InvalidOperationException($"Open failed: {result.Error}");
    }

    public async Task<List<AuditRecord>> QueryAuditAsync()
    {
        await using var db = NewContext();
        return await db.AuditRecords.AsNoTracking().Where(r => r.Action == AuditAction.TrajectoryQueried).OrderBy(r => r.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => Cases.DisposeAsync();

    private static StaffPrincipal Staff(string name, string scope, string role) => new(Guid.NewGuid(), name, new HashSet<string> { role }, null, scope);

    private static DateTimeOffset Beijing(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, CaseWorld.Shanghai);

    private async Task SeedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = NewContext();
        await new FollowUpCatalogSeeder().SeedAsync(db, ct);

        var places = new[]
        {
            Place("南门菜场", CaseWorld.InStreetA, GridA, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, GridA)),
            Place("西门小学", CaseWorld.InStreetB, GridB, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB, GridB)),
            Place("钟公庙商场", CaseWorld.InStreetC, GridC, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Yinzhou, CaseWorld.StreetC, GridC)),
        };
        db.Places.AddRange(places);
        var persons = new[] { Person(null), Person(GridA), Person(GridB), Person(null), Person(GridA), Person(GridA) };
        db.Persons.AddRange(persons);
        await db.SaveChangesAsync(ct);

        (PlaceA, PlaceB, PlaceC) = (places[0].Id, places[1].Id, places[2].Id);
        (IndexKey, C1, C2, C3, S1, C4) = (persons[0].Key, persons[1].Key, persons[2].Key, persons[3].Key, persons[4].Key, persons[5].Key);

        db.Passages.AddRange(
            Passage(1, PlaceA, IndexKey, Beijing(2, 28, 10)),
            Passage(2, PlaceA, IndexKey, Beijing(2, 28, 10, 40), PassageDirection.Out),
            Passage(3, PlaceC, IndexKey, Beijing(2, 28, 15)),
            Passage(4, PlaceA, IndexKey, Beijing(2, 10, 9)),
            Passage(5, PlaceA, C1, Beijing(2, 28, 10, 5)));
        await db.SaveChangesAsync(ct);

        Tracer = new FixedTracer(
        [
            Edge(IndexKey, C1, 1, PlaceA, Beijing(2, 28, 10), 30),
            Edge(IndexKey, C2, 1, PlaceB, Beijing(2, 28, 12), 20),
            Edge(IndexKey, C3, 1, PlaceC, Beijing(2, 28, 15), 45),
            Edge(C1, S1, 2, PlaceA, Beijing(3, 1, 18), 25),
        ]);
    }

    /// <summary>Makes the tracer also return C4, a close contact at the place in street A.</summary>
    public void AddLateContact() =>
        Tracer.Edges = [.. Tracer.Edges, Edge(IndexKey, C4, 1, PlaceA, Beijing(2, 28, 10, 20), 20)];

    private static ContactEdge Edge(long from, long to, int degree, long placeId, DateTimeOffset start, int minutes) =>
        new(from, to, degree, placeId, start.ToUniversalTime(), start.AddMinutes(minutes).ToUniversalTime(), TimeSpan.FromMinutes(minutes), "2022");

    private static Place Place(string name, (double Latitude, double Longitude) at, string grid, string path) => new()
    {
        Name = name,
        Kind = PlaceKind.Mall,
        Latitude = at.Latitude,
        Longitude = at.Longitude,
        GridCode = grid,
        RegionPath = path,
    };

    // The registry encrypts identities; these tests never read them, so random bytes stand in.
    private static Person Person(string? homeGrid) => new()
    {
        NameCipher = RandomNumberGenerator.GetBytes(16),
        IdNumberCipher = RandomNumberGenerator.GetBytes(16),
        IdNumberIndex = RandomNumberGenerator.GetBytes(32),
        HomeGridCode = homeGrid,
    };

    private static Passage Passage(long sequence, long placeId, long personKey, DateTimeOffset at, PassageDirection direction = PassageDirection.In) => new()
    {
        DeviceId = 1,
        DeviceSequence = sequence,
        EntranceId = 1,
        PlaceId = placeId,
        PersonKey = personKey,
        OccurredAt = at.ToUniversalTime(),
        Direction = direction,
        Decision = GateDecision.Pass,
    };
}

/// <summary>A contact tracer that returns <see cref="Edges"/> for every request and remembers the requests.</summary>
internal sealed class FixedTracer(IReadOnlyList<ContactEdge> edges) : IContactTracer
{
    public List<TraceRequest> Requests { get; } = [];

    public IReadOnlyList<ContactEdge> Edges { get; set; } = edges;

    public TraceResult Trace(TraceRequest request)
    {
        Requests.Add(request);
        return new TraceResult(request.IndexPersonKey, Edges);
    }
}
