using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseRouterTests
{
    private static readonly string StreetAGrid =
        CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, CaseWorld.StreetA + "001001");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Category_default_unit_applies_without_rules(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var proposal = await new CaseRouter(db).ProposeAsync("E0101", StreetAGrid, TestContext.Current.CancellationToken);

        Assert.Equal(world.SanitationUnitId, proposal.Value?.UnitId);
        Assert.StartsWith("类别默认责任单位", proposal.Value?.Rule);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Deepest_matching_rule_for_category_wins(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var district = await AddUnitAsync(db, "海曙区环卫处", UnitKind.Department, CaseWorld.Haishu);
        var street = await AddUnitAsync(db, "南门街道环卫所", UnitKind.Operator, CaseWorld.StreetA);
        var anyCategory = await AddUnitAsync(db, "南门街道综合执法队", UnitKind.Department, CaseWorld.StreetA);
        db.RoutingRules.AddRange(
            new RoutingRule { CategoryCode = "E0101", RegionPath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu), UnitId = district },
            new RoutingRule { CategoryCode = "E0101", RegionPath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA), UnitId = street },
            new RoutingRule { CategoryCode = null, RegionPath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, CaseWorld.StreetA + "001001"), UnitId = anyCategory });
        await db.SaveChangesAsync(ct);
        var router = new CaseRouter(db);
        var streetBGrid = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB, CaseWorld.StreetB + "001001");

        var inStreetA = await router.ProposeAsync("E0101", StreetAGrid, ct);
        var inStreetB = await router.ProposeAsync("E0101", streetBGrid, ct);
        var otherCategory = await router.ProposeAsync("E0203", StreetAGrid, ct);

        Assert.Equal(street, inStreetA.Value?.UnitId);
        Assert.Equal("派遣规则：类别 E0101，区域 330203001", inStreetA.Value?.Rule);
        Assert.Equal(district, inStreetB.Value?.UnitId);
        Assert.Equal(anyCategory, otherCategory.Value?.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_to_inactive_unit_is_skipped(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var closedDown = await AddUnitAsync(db, "已撤销的环卫所", UnitKind.Operator, CaseWorld.StreetA);
        db.RoutingRules.Add(new RoutingRule { CategoryCode = "E0101", RegionPath = StreetAGrid, UnitId = closedDown });
        (await db.Units.SingleAsync(u => u.Id == closedDown, ct)).IsActive = false;
        await db.SaveChangesAsync(ct);

        var proposal = await new CaseRouter(db).ProposeAsync("E0101", StreetAGrid, ct);

        Assert.Equal(world.SanitationUnitId, proposal.Value?.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Territorial_fallback_picks_street_office(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var streetOffice = await db.Units.SingleAsync(u => u.RegionCode == CaseWorld.StreetA, TestContext.Current.CancellationToken);

        // E0601 其他事件 has no default unit.
        var proposal = await new CaseRouter(db).ProposeAsync("E0601", StreetAGrid, TestContext.Current.CancellationToken);

        Assert.Equal("海曙区南门街道办事处", streetOffice.Name);
        Assert.Equal(UnitKind.Street, streetOffice.Kind);
        Assert.Equal(streetOffice.Id, proposal.Value?.UnitId);
        Assert.StartsWith("属地兜底", proposal.Value?.Rule);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Territorial_fallback_reaches_district_without_street_office(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        (await db.Units.SingleAsync(u => u.RegionCode == CaseWorld.StreetA, ct)).IsActive = false;
        await db.SaveChangesAsync(ct);

        var proposal = await new CaseRouter(db).ProposeAsync(null, StreetAGrid, ct);

        Assert.Equal("海曙区人民政府", proposal.Value?.UnitName);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task No_unit_at_all_is_an_error(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var proposal = await new CaseRouter(db).ProposeAsync("E0601", "/EXTERNAL/", TestContext.Current.CancellationToken);

        Assert.Equal("case.no_responsible_unit", proposal.Error?.Code);
    }

    private static async Task<Guid> AddUnitAsync(Shanzhi.Storage.ShanzhiDbContext db, string name, UnitKind kind, string regionCode)
    {
        var unit = new Unit { Name = name, Kind = kind, RegionCode = regionCode };
        db.Units.Add(unit);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return unit.Id;
    }
}
