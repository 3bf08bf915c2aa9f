using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Geography;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Geography;

public sealed class GeographySeederTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Seed_fills_empty_store_with_region_tree(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStore.CreateAsync(kind);
        await using var db = store.NewContext();

        await NewSeeder(new GridLocator(Time)).SeedAsync(db, ct);

        var counts = await db.Regions.GroupBy(r => r.Level).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var expected = NingboRegions.Create(new DateOnly(2026, 3, 2));
        Assert.Equal(1, counts[RegionLevel.City]);
        Assert.Equal(10, counts[RegionLevel.District]);
        Assert.Equal(1, counts[RegionLevel.External]);
        Assert.Equal(expected.Count(r => r.Level == RegionLevel.Grid), counts[RegionLevel.Grid]);
        Assert.Equal(expected.Count, counts.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Seed_stores_rows_as_EF_Core_reads_them(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStore.CreateAsync(kind);
        await using var db = store.NewContext();

        await NewSeeder(new GridLocator(Time)).SeedAsync(db, ct);

        var grid = await db.Regions.SingleAsync(r => r.Code == "330203001001001", ct);
        Assert.Equal("330203001001", grid.ParentCode);
        Assert.Equal(RegionLevel.Grid, grid.Level);
        Assert.Equal("海曙区第0001网格", grid.Name);
        Assert.Equal("/330200/330203/330203001/330203001001/330203001001001/", grid.Path);
        Assert.True(grid.IsGenerated);
        Assert.Equal(new DateOnly(2026, 3, 2), grid.ValidFrom);
        Assert.Null(grid.ValidTo);
        Assert.NotNull(grid.Boundary);
        Assert.InRange(grid.CenterLatitude!.Value, 29, 31);
        Assert.InRange(grid.CenterLongitude!.Value, 120, 123);

        var external = await db.Regions.SingleAsync(r => r.Code == Region.ExternalCode, ct);
        Assert.Equal("/EXTERNAL/", external.Path);
        Assert.Equal("辖区外", external.Name);
        Assert.False(external.IsGenerated);
        Assert.Null(external.Boundary);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Seed_twice_adds_nothing_and_loads_locator(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await TestStore.CreateAsync(kind);
        await using (var first = store.NewContext())
        {
            await NewSeeder(new GridLocator(Time)).SeedAsync(first, ct);
        }

        var count = 0;
        var locator = new GridLocator(Time);
        await using (var second = store.NewContext())
        {
            count = await second.Regions.CountAsync(ct);
            await NewSeeder(locator).SeedAsync(second, ct);
        }

        await using var db = store.NewContext();
        Assert.Equal(count, await db.Regions.CountAsync(ct));
        Assert.Equal(await db.Regions.CountAsync(r => r.Level == RegionLevel.Grid, ct), locator.Count);
        Assert.StartsWith("330203", locator.Locate(29.8695, 121.5480)?.RegionCode, StringComparison.Ordinal);
    }

    private static GeographySeeder NewSeeder(GridLocator locator) => new(locator, Time, NullLogger<GeographySeeder>.Instance);
}
