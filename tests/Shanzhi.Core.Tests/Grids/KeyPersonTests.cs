using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class KeyPersonTests
{
    private static readonly RegisterKeyPersonRequest Elder =
        new(GridWorld.GridA, "elderly_alone", "王秀英", "13812345678", "浙江省宁波市海曙区南门街道解放南路12号3幢201室");

    static KeyPersonTests() => LogSink.RegisterName("王秀英");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task List_shows_masked_values(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        await service.RegisterAsync(Elder, world.Worker, ct);

        var listed = (await service.ListAsync(GridWorld.GridA, world.Worker, ct)).Value!.Single();

        Assert.Equal(("王**", "138****5678", "浙江省宁波市海曙区南门街道解放南路****", "独居老人"),
            (listed.Name, listed.Phone, listed.Address, listed.CategoryName));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Listing_is_audited_as_a_view(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        await service.RegisterAsync(Elder, world.Worker, ct);

        await service.ListAsync(GridWorld.GridA, world.Worker, ct);

        Assert.Single(world.Audit.Entries, e => e.Action == AuditAction.RecordViewed && e.SubjectType == KeyPersonService.SubjectType);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_with_a_purpose_returns_clear_values_and_is_audited(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        var person = (await service.RegisterAsync(Elder, world.Worker, ct)).Value!;

        var detail = (await service.RevealAsync(person.Id, "上门走访前电话联系", world.Worker, ct)).Value!;

        Assert.Equal("13812345678", detail.Phone);
        Assert.Single(world.Audit.Entries, e => e.Action == AuditAction.Revealed && e.Purpose == "上门走访前电话联系");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_without_a_purpose_is_refused_and_audited(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        var person = (await service.RegisterAsync(Elder, world.Worker, ct)).Value!;

        var result = await service.RevealAsync(person.Id, " ", world.Worker, ct);

        Assert.Equal("key_person.purpose_required", result.Error?.Code);
        Assert.Single(world.Audit.Entries, e => e.Action == AuditAction.RevealRefused);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Worker_of_another_grid_cannot_list_them(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var outsider = await world.Cases.UserAsync("网格员辛", null, CaseWorld.PathOf(CaseWorld.City), Roles.GridWorker);
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        await service.RegisterAsync(Elder, world.Worker, ct);

        var result = await service.ListAsync(GridWorld.GridA, outsider, ct);

        Assert.Equal("grid.not_found", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Leader_in_scope_can_list_them(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.KeyPersons(db);
        await service.RegisterAsync(Elder, world.Worker, ct);

        var result = await service.ListAsync(GridWorld.GridA, world.Leader, ct);

        Assert.Single(result.Value!);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Stored_values_are_encrypted(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        await world.KeyPersons(db).RegisterAsync(Elder, world.Worker, ct);

        var stored = db.KeyPersons.Single();

        Assert.DoesNotContain("13812345678", System.Text.Encoding.UTF8.GetString(stored.PhoneCipher), StringComparison.Ordinal);
    }
}
