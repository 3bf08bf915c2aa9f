using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MsOptions = Microsoft.Extensions.Options.Options;
using Microsoft.Extensions.Time.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

/// <summary>
/// A migrated store with a small region tree (one city, two districts, three streets, one square
/// grid per street), the seeded units and catalogue, a fixture calendar for 2026, staff
/// principals and a fake clock at Monday 2026-03-02 09:00 Asia/Shanghai.
/// </summary>
internal sealed class CaseWorld : IAsyncDisposable
{
    public const string City = "330200";
    public const string Haishu = "330203";
    public const string Yinzhou = "330212";
    public const string StreetA = "330203001";
    public const string StreetB = "330203002";
    public const string StreetC = "330212001";

    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>Points inside the grid of street A, B and C, and one outside the city.</summary>
    public static readonly (double Latitude, double Longitude) InStreetA = (29.25, 121.25);
    public static readonly (double Latitude, double Longitude) InStreetB = (29.75, 121.25);
    public static readonly (double Latitude, double Longitude) InStreetC = (29.5, 121.75);
    public static readonly (double Latitude, double Longitude) OutsideCity = (31.0, 121.5);

    // The case services log into the run-wide sink that is scanned for personal data at the end.
    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private CaseWorld(TestStore store, FakeTimeProvider clock)
    {
        Store = store;
        Clock = clock;
    }

    public TestStore Store { get; }

    public FakeTimeProvider Clock { get; }

    public GridLocator Locator { get; } = new();

    public CaseOptions Options { get; } = new();

    public WorkingCalendarCache Calendars { get; private set; } = null!;

    public Guid SanitationUnitId { get; private set; }

    public Guid EnforcementUnitId { get; private set; }

    public Guid CommandCentreId { get; private set; }

    public StaffPrincipal Operator { get; private set; } = null!;

    public StaffPrincipal Handler { get; private set; } = null!;

    public StaffPrincipal OtherUnitHandler { get; private set; } = null!;

    public StaffPrincipal Verifier { get; private set; } = null!;

    public StaffPrincipal GridWorker { get; private set; } = null!;

    /// <summary>Command operator whose scope is street A only.</summary>
    public StaffPrincipal StreetAOperator { get; private set; } = null!;

    public StaffPrincipal Admin { get; private set; } = null!;

    public StaffPrincipal Leader { get; private set; } = null!;

    public static string PathOf(params string[] codes) => "/" + string.Join("/", codes) + "/";

    public static async Task<CaseWorld> CreateAsync(StoreKind kind)
    {
        var store = await TestStore.CreateAsync(kind);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, Shanghai).ToUniversalTime());
        var world = new CaseWorld(store, clock);
        world.Calendars = new WorkingCalendarCache(MsOptions.Create(world.Options));
        await world.SeedAsync();
        return world;
    }

    public ShanzhiDbContext NewContext() => Store.NewContext();

    public CaseService Cases(ShanzhiDbContext db) => new(
        db, Clock, Locator, Calendars, new CaseRouter(db), new TestAuditLog(Store, Clock), MsOptions.Create(Options), Logs.CreateLogger<CaseService>());

    public AttachmentService Attachments(ShanzhiDbContext db) => new(
        db, Store.Options, Clock, MsOptions.Create(Options), Logs.CreateLogger<AttachmentService>());

    public CaseEscalation Escalation(ShanzhiDbContext db) => new(
        db, Calendars, MsOptions.Create(Options), new TestAuditLog(Store, Clock), Logs.CreateLogger<CaseEscalation>());

    public CalendarService Calendar(ShanzhiDbContext db) => new(db, Calendars, Logs.CreateLogger<CalendarService>());

    /// <summary>Reports an exposed-rubbish case (E0101, 4 working hours) at <paramref name="at"/> as the command operator.</summary>
    public async Task<Case> ReportAsync((double Latitude, double Longitude)? at = null, string? categoryCode = "E0101", string title = "路边暴露垃圾")
    {
        var point = at ?? InStreetA;
        await using var db = NewContext();
        var result = await Cases(db).ReportAsync(
            new ReportCaseRequest(title, "人行道旁有一堆生活垃圾", point.Latitude, point.Longitude, categoryCode),
            Operator, TestContext.Current.CancellationToken);
        return result.Value ?? throw new InvalidOperationException($"Report failed: {result.Error}");
    }

    public async Task<Result<Case>> ActAsync(Guid caseId, CaseActionRequest request, StaffPrincipal user)
    {
        await using var db = NewContext();
        return await Cases(db).ActAsync(caseId, request, user, TestContext.Current.CancellationToken);
    }

    /// <summary>Acts and fails the test when the action is rejected.</summary>
    public async Task<Case> MustActAsync(Guid caseId, CaseActionRequest request, StaffPrincipal user)
    {
        var result = await ActAsync(caseId, request, user);
        return result.Value ?? throw new InvalidOperationException($"{request.Action} failed: {result.Error}");
    }

    public async Task<Case> GetAsync(Guid caseId)
    {
        await using var db = NewContext();
        return await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, TestContext.Current.CancellationToken);
    }

    public async Task<IReadOnlyList<CaseEvent>> EventsAsync(Guid caseId)
    {
        await using var db = NewContext();
        return await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Brings a new case to <paramref name="target"/> through the normal actions.</summary>
    public async Task<Case> DriveToAsync(CaseState target)
    {
        var @case = await ReportAsync();
        if (target == CaseState.Reported)
        {
            return @case;
        }

        if (target == CaseState.Rejected)
        {
            return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Reject, Reason: "不属于城市管理范围"), Operator);
        }

        if (target == CaseState.Merged)
        {
            var parent = await ReportAsync();
            return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Merge, ParentCaseId: parent.Id), Operator);
        }

        @case = await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.File), Operator);
        if (target == CaseState.Filed)
        {
            return @case;
        }

        @case = await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Dispatch, UnitId: SanitationUnitId), Operator);
        if (target == CaseState.Dispatched)
        {
            return @case;
        }

        if (target == CaseState.Suspended)
        {
            return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Suspend, Reason: "需等待管线迁改"), Operator);
        }

        @case = await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Start), Handler);
        if (target == CaseState.InProgress)
        {
            return @case;
        }

        if (target == CaseState.Returned)
        {
            return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Return, Reason: "不属于本单位职责"), Handler);
        }

        @case = await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Resolve, Reason: "已清理"), Handler);
        if (target == CaseState.Resolved)
        {
            return @case;
        }

        @case = await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.RequestVerification), Operator);
        if (target == CaseState.Verifying)
        {
            return @case;
        }

        if (target == CaseState.Rework)
        {
            return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.FailVerification, Reason: "仍有垃圾残留"), Verifier);
        }

        await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.PassVerification), Verifier);
        return await MustActAsync(@case.Id, new CaseActionRequest(CaseAction.Close), Operator);
    }

    /// <summary>Every row the case engine writes, as text, to prove an action changed nothing.</summary>
    public async Task<string> SnapshotAsync()
    {
        await using var db = NewContext();
        var ct = TestContext.Current.CancellationToken;
        var cases = await db.Cases.AsNoTracking().OrderBy(c => c.CaseNo).ToListAsync(ct);
        var events = await db.CaseEvents.AsNoTracking().OrderBy(e => e.CaseId).ThenBy(e => e.Sequence)
            .Select(e => new { e.CaseId, e.Sequence, e.Type }).ToListAsync(ct);
        var attachments = await db.Attachments.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var counters = await db.CaseCounters.AsNoTracking().OrderBy(c => c.Day).ToListAsync(ct);
        return string.Join("\n", cases.Select(c =>
                   $"{c.CaseNo} {c.State} {c.EventCount} {c.UnitId} {c.Deadline?.UtcTicks} {c.HandlingDeadline?.UtcTicks} {c.RequestedDeadline?.UtcTicks} {c.CategoryCode} {c.ParentCaseId} {c.Satisfaction}")
               .Concat(events.Select(e => $"{e.CaseId} {e.Sequence} {e.Type}"))
               .Concat(attachments.Select(a => a.ToString()))
               .Concat(counters.Select(c => $"{c.Day} {c.Value}")));
    }

    public ValueTask DisposeAsync() => Store.DisposeAsync();

    private async Task SeedAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var regions = Regions();
        await using (var db = NewContext())
        {
            db.Regions.AddRange(regions);
            await db.SaveChangesAsync(ct);
            await new UnitSeeder().SeedAsync(db, ct);
            await new CaseCatalogSeeder().SeedAsync(db, ct);
            await Calendar(db).LoadYearAsync(2026, FixtureCalendar.SpringFestival2026, StaffPrincipal.System, ct);

            SanitationUnitId = await UnitIdAsync(db, CityUnits.Sanitation);
            EnforcementUnitId = await UnitIdAsync(db, CityUnits.Enforcement);
            CommandCentreId = await UnitIdAsync(db, CityUnits.CommandCentre);
        }

        Locator.Load(regions);

        var cityScope = PathOf(City);
        Operator = new StaffPrincipal(Guid.NewGuid(), "受理员甲", new HashSet<string> { Roles.CommandOperator }, CommandCentreId, cityScope);
        Handler = await UserAsync("处置员乙", SanitationUnitId, cityScope, Roles.UnitHandler);
        OtherUnitHandler = new StaffPrincipal(Guid.NewGuid(), "处置员丙", new HashSet<string> { Roles.UnitHandler }, EnforcementUnitId, cityScope);
        Verifier = await UserAsync("核查员丁", null, cityScope, Roles.Verifier);
        GridWorker = await UserAsync("网格员戊", null, PathOf(City, Haishu, StreetA), Roles.GridWorker);
        StreetAOperator = new StaffPrincipal(Guid.NewGuid(), "街道受理员", new HashSet<string> { Roles.CommandOperator }, null, PathOf(City, Haishu, StreetA));
        Admin = new StaffPrincipal(Guid.NewGuid(), "管理员", new HashSet<string> { Roles.SystemAdmin }, null, cityScope);
        Leader = new StaffPrincipal(Guid.NewGuid(), "领导", new HashSet<string> { Roles.Leader }, null, cityScope);
    }

    /// <summary>Creates a staff account with roles in the store, for checks that look users up.</summary>
    public async Task<StaffPrincipal> UserAsync(string name, Guid? unitId, string scopePath, params string[] roles)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = NewContext();
        var user = new StaffUser
        {
            UserName = "u" + Guid.NewGuid().ToString("N")[..12],
            DisplayName = name,
            UnitId = unitId,
            ScopeRegionCode = scopePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1],
            ScopePath = scopePath,
        };
        db.Users.Add(user);
        foreach (var role in roles)
        {
            var stored = await db.Roles.FirstOrDefaultAsync(r => r.Name == role, ct);
            if (stored is null)
            {
                stored = new IdentityRole<Guid> { Id = Guid.NewGuid(), Name = role, NormalizedName = role.ToUpperInvariant() };
                db.Roles.Add(stored);
            }

            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = stored.Id });
        }

        await db.SaveChangesAsync(ct);
        return new StaffPrincipal(user.Id, name, new HashSet<string>(roles), unitId, scopePath);
    }

    private static async Task<Guid> UnitIdAsync(ShanzhiDbContext db, string name) =>
        await db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);

    /// <summary>City lon 121–122, lat 29–30; Haishu the west half split into streets A (south) and B (north); Yinzhou the east half, all street C.</summary>
    private static List<Region> Regions()
    {
        var writer = new WKBWriter();
        var factory = new GeometryFactory();
        byte[] Box(double west, double south, double east, double north) =>
            writer.Write(factory.ToGeometry(new Envelope(west, east, south, north)));

        Region Node(string code, string? parent, RegionLevel level, string name, string path, byte[] boundary) => new()
        {
            Code = code,
            ParentCode = parent,
            Level = level,
            Name = name,
            Path = path,
            Boundary = boundary,
            ValidFrom = new DateOnly(2020, 1, 1),
        };

        return
        [
            Node(City, null, RegionLevel.City, "宁波市", PathOf(City), Box(121, 29, 122, 30)),
            Node(Haishu, City, RegionLevel.District, "海曙区", PathOf(City, Haishu), Box(121, 29, 121.5, 30)),
            Node(Yinzhou, City, RegionLevel.District, "鄞州区", PathOf(City, Yinzhou), Box(121.5, 29, 122, 30)),
            Node(StreetA, Haishu, RegionLevel.Street, "南门街道", PathOf(City, Haishu, StreetA), Box(121, 29, 121.5, 29.5)),
            Node(StreetB, Haishu, RegionLevel.Street, "西门街道", PathOf(City, Haishu, StreetB), Box(121, 29.5, 121.5, 30)),
            Node(StreetC, Yinzhou, RegionLevel.Street, "钟公庙街道", PathOf(City, Yinzhou, StreetC), Box(121.5, 29, 122, 30)),
            Node(StreetA + "001001", StreetA, RegionLevel.Grid, "南门1号网格", PathOf(City, Haishu, StreetA, StreetA + "001001"), Box(121, 29, 121.5, 29.5)),
            Node(StreetB + "001001", StreetB, RegionLevel.Grid, "西门1号网格", PathOf(City, Haishu, StreetB, StreetB + "001001"), Box(121, 29.5, 121.5, 30)),
            Node(StreetC + "001001", StreetC, RegionLevel.Grid, "钟公庙1号网格", PathOf(City, Yinzhou, StreetC, StreetC + "001001"), Box(121.5, 29, 122, 30)),
        ];
    }
}

/// <summary>Explicit calendars for tests, independent of the shipped seed data.</summary>
internal static class FixtureCalendar
{
    /// <summary>2026 Spring Festival: Feb 15–23 off, Saturdays Feb 14 and Feb 28 worked; plus Jan 1–3 off.</summary>
    public static IReadOnlyList<CalendarDay> SpringFestival2026 { get; } =
    [
        .. Range(new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 3), "元旦"),
        .. Range(new DateOnly(2026, 2, 15), new DateOnly(2026, 2, 23), "春节"),
        new CalendarDay { Date = new DateOnly(2026, 2, 14), IsWorkingDay = true, Note = "春节调休上班" },
        new CalendarDay { Date = new DateOnly(2026, 2, 28), IsWorkingDay = true, Note = "春节调休上班" },
    ];

    public static WorkingCalendar Create(IEnumerable<CalendarDay>? days = null) =>
        new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), WorkingPeriod.Default, days ?? SpringFestival2026);

    private static IEnumerable<CalendarDay> Range(DateOnly first, DateOnly last, string note)
    {
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            yield return new CalendarDay { Date = date, IsWorkingDay = false, Note = note };
        }
    }
}
