using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Tests.Privacy;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Tests.Grids;

/// <summary>
/// The case world plus the grid module. The duty catalogue is seeded and admitted city-wide, and the
/// grid worker of street A is the responsible worker of grid A. As in the platform, the case engine
/// of the grid services credits points through the ledger.
/// </summary>
internal sealed class GridWorld : IAsyncDisposable
{
    public const string GridA = CaseWorld.StreetA + "001001";
    public const string GridB = CaseWorld.StreetB + "001001";
    public const string GridC = CaseWorld.StreetC + "001001";

    /// <summary>Grid A is lon 121–121.5, lat 29–29.5.</summary>
    public static readonly (double Latitude, double Longitude) InsideGridA = (29.25, 121.25);

    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private GridWorld(CaseWorld cases) => Cases = cases;

    public CaseWorld Cases { get; }

    public TestKeys Keys { get; } = new();

    public GridOptions Options { get; } = new();

    public RecordingAuditLog Audit { get; } = new();

    public StaffPrincipal Worker => Cases.GridWorker;

    public StaffPrincipal Operator => Cases.Operator;

    public StaffPrincipal Leader { get; private set; } = null!;

    public static async Task<GridWorld> CreateAsync(StoreKind kind)
    {
        var world = new GridWorld(await CaseWorld.CreateAsync(kind));
        await using var db = world.NewContext();
        await new GridCatalogSeeder(world.Cases.Clock).SeedAsync(db, TestContext.Current.CancellationToken);
        world.Leader = await world.Cases.UserAsync("领导甲", null, CaseWorld.PathOf(CaseWorld.City), Roles.Leader);
        var assigned = await world.People(db).AssignAsync(new AssignWorkerRequest(GridA, world.Worker.UserId!.Value, IsResponsible: true),
            StaffPrincipal.System, TestContext.Current.CancellationToken);
        Assert.True(assigned.IsSuccess, assigned.Error?.Detail);
        return world;
    }

    public ShanzhiDbContext NewContext() => Cases.NewContext();

    public DateOnly Today => DateOnly.FromDateTime(Cases.Clock.GetUtcNow().ToOffset(CaseWorld.Shanghai).DateTime);

    public GridPeople People(ShanzhiDbContext db) => new(db, Cases.Clock, Logs.CreateLogger<GridPeople>());

    public IncentiveLedger Ledger(ShanzhiDbContext db) => new(db, Cases.Clock, MsOptions.Create(Options), MsOptions.Create(Cases.Options),
        Logs.CreateLogger<IncentiveLedger>());

    /// <summary>The case engine with the points observer registered.</summary>
    public CaseService CaseService(ShanzhiDbContext db) => new(
        db, Cases.Clock, Cases.Locator, Cases.Calendars, new CaseRouter(db), new TestAuditLog(Cases.Store, Cases.Clock),
        MsOptions.Create(Cases.Options), Logs.CreateLogger<CaseService>(), [new IncentiveCaseObserver(Ledger(db))]);

    public DutyService Duties(ShanzhiDbContext db) => new(db, CaseService(db), Cases.Clock, Logs.CreateLogger<DutyService>());

    public PatrolService Patrols(ShanzhiDbContext db) => new(db, Cases.Clock, Ledger(db), MsOptions.Create(Options), Logs.CreateLogger<PatrolService>());

    public PatrolTaskGenerator Generator(ShanzhiDbContext db) => new(db, Cases.Clock, Logs.CreateLogger<PatrolTaskGenerator>());

    public KeyPersonService KeyPersons(ShanzhiDbContext db) => new(db, Keys.Cipher, Audit, Cases.Clock, MsOptions.Create(Options),
        Logs.CreateLogger<KeyPersonService>());

    public WorkloadService Workload(ShanzhiDbContext db) => new(db, MsOptions.Create(Options));

    public FieldCases Field(ShanzhiDbContext db) => new(db);

    /// <summary>A daily plan of <paramref name="dutyCode"/> in grid A from today, and today's generated task.</summary>
    public async Task<PatrolTask> TodaysTaskAsync(string dutyCode = "D08", string gridCode = GridA)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = NewContext();
        var plan = await Patrols(db).CreatePlanAsync(
            new CreatePatrolPlanRequest(gridCode, dutyCode, "每日巡查", PatrolFrequency.Daily, Today), Operator, ct);
        Assert.True(plan.IsSuccess, plan.Error?.Detail);
        await Generator(db).GenerateAsync(Today, ct);
        return await db.PatrolTasks.AsNoTracking().SingleAsync(t => t.PlanId == plan.Value!.Id, ct);
    }

    /// <summary>Reports a case at <paramref name="at"/> as <paramref name="reporter"/> through the points-aware engine.</summary>
    public async Task<Case> ReportAsync(StaffPrincipal reporter, (double Latitude, double Longitude)? at = null, string category = "E0101")
    {
        var point = at ?? InsideGridA;
        await using var db = NewContext();
        var result = await CaseService(db).ReportAsync(
            new ReportCaseRequest("路边暴露垃圾", "人行道旁有一堆生活垃圾", point.Latitude, point.Longitude, category, Channel: CaseChannel.GridWorker),
            reporter, TestContext.Current.CancellationToken);
        return result.Value ?? throw new InvalidOperationException($"Report failed: {result.Error}");
    }

    public async Task<Case> ActAsync(Guid caseId, CaseActionRequest request, StaffPrincipal user)
    {
        await using var db = NewContext();
        var result = await CaseService(db).ActAsync(caseId, request, user, TestContext.Current.CancellationToken);
        return result.Value ?? throw new InvalidOperationException($"{request.Action} failed: {result.Error}");
    }

    /// <summary>Files, dispatches, resolves and requests verification (unassigned) of a case.</summary>
    public async Task<Case> DriveToVerifyingAsync(Guid caseId)
    {
        await ActAsync(caseId, new CaseActionRequest(CaseAction.File), Operator);
        await ActAsync(caseId, new CaseActionRequest(CaseAction.Dispatch, UnitId: Cases.SanitationUnitId), Operator);
        await ActAsync(caseId, new CaseActionRequest(CaseAction.Start), Cases.Handler);
        await ActAsync(caseId, new CaseActionRequest(CaseAction.Resolve, Reason: "已清理"), Cases.Handler);
        return await ActAsync(caseId, new CaseActionRequest(CaseAction.RequestVerification), Operator);
    }

    public async Task<int> BalanceAsync(StaffPrincipal user)
    {
        await using var db = NewContext();
        return await Ledger(db).BalanceAsync(user.UserId!.Value.ToString(), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Keys.Dispose();
        await Cases.DisposeAsync();
    }
}

/// <summary>Keeps audit entries in memory so tests can look at them.</summary>
internal sealed class RecordingAuditLog : Shanzhi.Privacy.IAuditLog
{
    private readonly List<Shanzhi.Privacy.AuditEntry> _entries = [];

    public IReadOnlyList<Shanzhi.Privacy.AuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(Shanzhi.Privacy.AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    /// <summary>Records the entry in memory at once. It is kept even if the caller's transaction rolls back.</summary>
    public Task AppendInTransactionAsync(Shanzhi.Storage.ShanzhiDbContext db, Shanzhi.Privacy.AuditEntry entry, CancellationToken cancellationToken) =>
        AppendAsync(entry, cancellationToken);
}
