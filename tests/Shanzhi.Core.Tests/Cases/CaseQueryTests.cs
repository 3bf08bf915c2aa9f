using Shanzhi.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseQueryTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Query_filters_by_state_category_unit_region_and_text(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var dispatched = await world.DriveToAsync(CaseState.Dispatched);
        var graffiti = await world.ReportAsync(CaseWorld.InStreetB, "E0203", "桥墩乱涂写");
        var yinzhou = await world.ReportAsync(CaseWorld.InStreetC);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var cases = world.Cases(db);

        async Task<IEnumerable<Guid>> Ids(CaseQuery query) =>
            (await cases.QueryAsync(query, world.Operator, ct)).Items.Select(c => c.Id);

        Assert.Equal([dispatched.Id], await Ids(new CaseQuery(State: CaseState.Dispatched)));
        Assert.Equal([graffiti.Id], await Ids(new CaseQuery(CategoryCode: "E0203")));
        Assert.Equal([dispatched.Id], await Ids(new CaseQuery(UnitId: world.SanitationUnitId)));
        Assert.Equal([yinzhou.Id], await Ids(new CaseQuery(RegionCode: CaseWorld.Yinzhou)));
        Assert.Equal([graffiti.Id, dispatched.Id], await Ids(new CaseQuery(RegionCode: CaseWorld.Haishu)));
        Assert.Equal([graffiti.Id], await Ids(new CaseQuery(Text: "乱涂写")));
        Assert.Equal([graffiti.Id], await Ids(new CaseQuery(Text: graffiti.CaseNo)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Query_pages_newest_first(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var reported = new List<Case>();
        for (var i = 0; i < 5; i++)
        {
            reported.Add(await world.ReportAsync());
            world.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await using var db = world.NewContext();
        var page = await world.Cases(db).QueryAsync(new CaseQuery(Page: 2, PageSize: 2), world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal(5, page.Total);
        Assert.Equal([reported[2].Id, reported[1].Id], page.Items.Select(c => c.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Overdue_filter_skips_closed_and_suspended(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var overdue = await world.DriveToAsync(CaseState.Dispatched);
        await world.DriveToAsync(CaseState.Suspended);
        await world.DriveToAsync(CaseState.Closed);
        world.Clock.Advance(TimeSpan.FromDays(3));
        var fresh = await world.ReportAsync();
        await using var db = world.NewContext();
        var cases = world.Cases(db);
        var ct = TestContext.Current.CancellationToken;

        var late = await cases.QueryAsync(new CaseQuery(Overdue: true), world.Operator, ct);
        var onTime = await cases.QueryAsync(new CaseQuery(Overdue: false), world.Operator, ct);

        Assert.Equal([overdue.Id], late.Items.Select(c => c.Id));
        Assert.Equal(3, onTime.Total);
        Assert.Contains(fresh.Id, onTime.Items.Select(c => c.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Duplicates_are_nearby_open_cases_of_same_category_in_window(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var (lat, lon) = CaseWorld.InStreetA;

        // 0.0005° latitude is about 56 m; 0.002° about 222 m.
        var original = await world.ReportAsync((lat, lon));
        var near = await world.ReportAsync((lat + 0.0005, lon));
        var far = await world.ReportAsync((lat + 0.002, lon));
        var otherCategory = await world.ReportAsync((lat, lon), "E0103", "路面油污");
        var closed = await world.DriveToAsync(CaseState.Closed);
        world.Clock.Advance(TimeSpan.FromHours(25));
        var late = await world.ReportAsync((lat, lon));

        await using var db = world.NewContext();
        var result = await world.Cases(db).ProposeDuplicatesAsync(original.Id, world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal([near.Id], result.Value!.Select(c => c.Id));
        Assert.DoesNotContain(far.Id, result.Value!.Select(c => c.Id));
        Assert.DoesNotContain(otherCategory.Id, result.Value!.Select(c => c.Id));
        Assert.DoesNotContain(closed.Id, result.Value!.Select(c => c.Id));
        Assert.DoesNotContain(late.Id, result.Value!.Select(c => c.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Duplicate_radius_and_window_are_configurable(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        world.Options.Duplicates.RadiusMeters = 500;
        world.Options.Duplicates.Window = TimeSpan.FromHours(48);
        var (lat, lon) = CaseWorld.InStreetA;
        var original = await world.ReportAsync((lat, lon));
        world.Clock.Advance(TimeSpan.FromHours(30));
        var farAndLate = await world.ReportAsync((lat + 0.002, lon));

        await using var db = world.NewContext();
        var result = await world.Cases(db).ProposeDuplicatesAsync(original.Id, world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal([farAndLate.Id], result.Value!.Select(c => c.Id));
    }
}
