using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Privacy.Handlers;

/// <summary>The directory of PI handlers on a real store: encryption at rest, blind-index search, masking, audited reveal and export, findings as cases.</summary>
public sealed class PiHandlerServiceTests
{
    private const string OfficerName = "柯敏慧";
    private const string OfficerPhone = "13957412345";
    private const string CreditCode = "91330200MA2AB1234Y";

    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    static PiHandlerServiceTests() => LogSink.RegisterName(OfficerName);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Officer_contact_is_encrypted_at_rest(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var created = await MustCreateAsync(Service(world, keys, db), Request());

        var stored = await RawColumnsAsync(db, created.Id);

        Assert.DoesNotContain(Encoding.UTF8.GetString(stored.Name), OfficerName, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.UTF8.GetString(stored.Phone), OfficerPhone, StringComparison.Ordinal);
        Assert.Equal(OfficerPhone, keys.Cipher.Decrypt(stored.Phone, PiHandlerService.OfficerPhoneContext));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Views_show_the_officer_masked(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var created = await MustCreateAsync(service, Request());

        var view = (await service.GetAsync(created.Id, Supervisor, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal(("柯**", "139****2345"), (view.OfficerName, view.OfficerPhone));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Officer_phone_search_finds_the_handler_through_the_blind_index(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var wanted = await MustCreateAsync(service, Request());
        await MustCreateAsync(service, Request() with { CreditCode = "91350100M000100Y43", Name = "某快递公司", OfficerPhone = "13800001111" });

        var found = (await service.ListAsync(new PiHandlerQuery(OfficerPhone: "+86 139-5741-2345"), Supervisor, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([wanted.Id], found.Items.Select(h => h.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task List_filters_by_text_industry_and_key_supervision(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        await MustCreateAsync(service, Request());
        var courier = await MustCreateAsync(service, Request() with
        {
            CreditCode = "91350100M000100Y43", Name = "甬城快递有限公司", Industry = PiIndustry.Courier, KeySupervision = true,
        });
        var ct = TestContext.Current.CancellationToken;

        var byText = (await service.ListAsync(new PiHandlerQuery(Text: "快递"), Supervisor, ct)).Value!;
        var byCode = (await service.ListAsync(new PiHandlerQuery(Text: "91350100"), Supervisor, ct)).Value!;
        var byIndustry = (await service.ListAsync(new PiHandlerQuery(Industry: PiIndustry.Courier, KeySupervision: true), Supervisor, ct)).Value!;
        var paged = (await service.ListAsync(new PiHandlerQuery(PageSize: 1, Page: 2), Supervisor, ct)).Value!;

        Assert.Equal([courier.Id], byText.Items.Select(h => h.Id));
        Assert.Equal([courier.Id], byCode.Items.Select(h => h.Id));
        Assert.Equal([courier.Id], byIndustry.Items.Select(h => h.Id));
        Assert.Equal((2, 1), (paged.Total, paged.Items.Count));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Invalid_credit_code_is_rejected(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();

        var result = await Service(world, keys, db).CreateAsync(Request() with { CreditCode = "91330200MA2AB12340" }, Supervisor,
            TestContext.Current.CancellationToken);

        Assert.Equal("pihandler.invalid_credit_code", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Detail_view_is_audited(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var created = await MustCreateAsync(service, Request());

        var view = await service.GetAsync(created.Id, Supervisor, TestContext.Current.CancellationToken);

        Assert.True(view.IsSuccess);
        var entry = await db.AuditRecords.SingleAsync(r => r.Action == AuditAction.RecordViewed, TestContext.Current.CancellationToken);
        Assert.Equal(created.Id.ToString(), entry.SubjectId);
        Assert.Equal(Supervisor.UserId, entry.ActorId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_with_reason_returns_clear_contact_and_audits_the_reason(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var created = await MustCreateAsync(service, Request());

        var contact = (await service.RevealContactAsync(created.Id, "约谈负责人", Supervisor, TestContext.Current.CancellationToken)).Value!;

        var entry = await db.AuditRecords.SingleAsync(r => r.Action == AuditAction.Revealed, TestContext.Current.CancellationToken);
        Assert.Equal((OfficerName, OfficerPhone), (contact.OfficerName, contact.OfficerPhone));
        Assert.Equal(("约谈负责人", created.Id.ToString()), (entry.Purpose, entry.SubjectId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_without_reason_is_refused_and_audited(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var created = await MustCreateAsync(service, Request());

        var result = await service.RevealContactAsync(created.Id, "  ", Supervisor, TestContext.Current.CancellationToken);

        var actions = await db.AuditRecords.Select(r => r.Action).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal("pihandler.reason_required", result.Error?.Code);
        Assert.Equal([AuditAction.RevealRefused], actions);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Other_roles_may_not_use_the_directory(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        var created = await MustCreateAsync(service, Request());

        var listed = await service.ListAsync(new PiHandlerQuery(), world.Admin, TestContext.Current.CancellationToken);
        var revealed = await service.RevealContactAsync(created.Id, "查看", world.Admin, TestContext.Current.CancellationToken);

        Assert.Equal("pihandler.forbidden", listed.Error?.Code);
        Assert.Equal("pihandler.forbidden", revealed.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Export_is_masked_and_audited_with_filter_and_count(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        await using var db = world.NewContext();
        var service = Service(world, keys, db);
        await MustCreateAsync(service, Request());

        var rows = (await service.ExportAsync(new PiHandlerQuery(Industry: PiIndustry.Internet), Supervisor, TestContext.Current.CancellationToken)).Value!;

        var entry = await db.AuditRecords.SingleAsync(r => r.Action == AuditAction.Exported, TestContext.Current.CancellationToken);
        Assert.Equal("139****2345", Assert.Single(rows).OfficerPhone);
        Assert.Equal("industry=Internet; rows=1", entry.Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Finding_opens_a_rectification_case_at_the_district_centre(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        using var keys = new TestKeys();
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        await new PiCatalogSeeder().SeedAsync(db, ct);
        var haishu = await db.Regions.SingleAsync(r => r.Code == CaseWorld.Haishu, ct);
        (haishu.CenterLatitude, haishu.CenterLongitude) = CaseWorld.InStreetA;
        await db.SaveChangesAsync(ct);
        var service = Service(world, keys, db);
        var handler = await MustCreateAsync(service, Request());
        var inspection = (await service.RecordInspectionAsync(handler.Id,
            new RecordInspectionRequest(new DateOnly(2026, 3, 2), "检查员甲", InspectionResult.FindingsRaised), Supervisor, ct)).Value!;

        var finding = (await service.RecordFindingAsync(handler.Id, inspection.Id,
            new RecordFindingRequest("未公开个人信息处理规则", FindingSeverity.Major), Supervisor, ct)).Value!;

        var @case = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == finding.CaseId, ct);
        Assert.Equal((PiHandlerService.RectificationCategory, true),
            (@case.CategoryCode, @case.RegionPath.StartsWith(CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu), StringComparison.Ordinal)));
        Assert.Equal(CaseChannel.System, @case.Channel);
    }

    private static StaffPrincipal Supervisor { get; } =
        new(Guid.NewGuid(), "监管员甲", new HashSet<string> { Roles.PiSupervisor }, null, CaseWorld.PathOf(CaseWorld.City));

    private static SavePiHandlerRequest Request() => new(
        CreditCode, "宁波某网络科技有限公司", PiIndustry.Internet, PiDataScale.Under1Million, CaseWorld.Haishu, false, OfficerName, OfficerPhone,
        new Dictionary<string, bool> { ["officer_appointed"] = true, ["rules_published"] = false });

    private static PiHandlerService Service(CaseWorld world, TestKeys keys, ShanzhiDbContext db) => new(
        db, keys.Cipher, new BlindIndex(keys.Store), world.Cases(db), new TestAuditLog(world.Store, world.Clock), world.Clock,
        Logs.CreateLogger<PiHandlerService>());

    private static async Task<PiHandlerView> MustCreateAsync(PiHandlerService service, SavePiHandlerRequest request)
    {
        var result = await service.CreateAsync(request, Supervisor, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value!;
    }

    private static async Task<(byte[] Name, byte[] Phone)> RawColumnsAsync(ShanzhiDbContext db, Guid id)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT officer_name_cipher, officer_phone_cipher FROM pi_handlers";
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken), $"no row for {id}");
        return ((byte[])reader[0], (byte[])reader[1]);
    }
}
