using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Shanzhi.Geography;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Geography;

public sealed class RegionImporterTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly RegionImportOptions Streets = new(RegionLevel.Street, "JDDM", "JDMC");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_streets_adds_real_regions(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(kind);
        await using var db = store.NewContext();

        var report = await ImportAsync(db, new GridLocator(Time), "haishu-streets.geojson", Streets);

        Assert.Empty(report.Rejected);
        Assert.Equal(2, report.Features);
        Assert.Equal(1, report.Added);
        Assert.Equal(1, report.Updated);
        await using var check = store.NewContext();
        var street = await check.Regions.SingleAsync(r => r.Code == "330203901", ct);
        Assert.Equal("测试街道甲", street.Name);
        Assert.Equal("330203", street.ParentCode);
        Assert.Equal("/330200/330203/330203901/", street.Path);
        Assert.Equal(RegionLevel.Street, street.Level);
        Assert.False(street.IsGenerated);
        Assert.Equal(Today, street.ValidFrom);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_takes_over_generated_region_with_same_code(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(kind);
        await using var db = store.NewContext();

        await ImportAsync(db, new GridLocator(Time), "haishu-streets.geojson", Streets);

        await using var check = store.NewContext();
        var street = await check.Regions.SingleAsync(r => r.Code == "330203001", ct);
        Assert.Equal("测试街道乙", street.Name);
        Assert.False(street.IsGenerated);
        Assert.Null(street.ValidTo);
        var generatedChildren = await check.Regions.Where(r => r.Path.StartsWith("/330200/330203/330203001/") && r.Code != "330203001").ToListAsync(ct);
        Assert.NotEmpty(generatedChildren);
        Assert.All(generatedChildren, r => Assert.Equal(Today, r.ValidTo));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_retires_covered_generated_regions(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(kind);
        await using var db = store.NewContext();
        var locator = new GridLocator(Time);

        var report = await ImportAsync(db, locator, "haishu-streets.geojson", Streets);

        // Square A is 0.04° × 0.04°, about 15 grids of roughly 1 km²; square B takes over street 001 and its subtree.
        // Generated streets are far larger than square A, so they stay current around it.
        Assert.InRange(report.Retired, 20, 400);
        var located = locator.Locate(29.85, 121.42);
        Assert.Equal("330203901", located?.RegionCode);
        Assert.Equal(RegionLevel.Street, located?.Level);
        await using var check = store.NewContext();
        var reader = new WKBReader();
        var center = new Point(121.42, 29.85);
        var stillCurrent = (await check.Regions.Where(r => r.IsGenerated && r.ValidTo == null && r.Level >= RegionLevel.Community).ToListAsync(ct))
            .Where(r => reader.Read(r.Boundary).Covers(center));
        Assert.Empty(stillCurrent);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_reports_each_rejected_feature(StoreKind kind)
    {
        await using var store = await SeededStoreAsync(kind);
        await using var db = store.NewContext();

        var report = await ImportAsync(db, new GridLocator(Time), "haishu-streets-with-errors.geojson", Streets);

        Assert.Equal(11, report.Features);
        Assert.Equal(2, report.Loaded);
        var reasons = report.Rejected.ToDictionary(r => r.FeatureIndex, r => r.Error.Code);
        Assert.Equal(
            new Dictionary<int, string>
            {
                [2] = "region.code_missing",
                [3] = "region.name_missing",
                [4] = "region.geometry_invalid",
                [5] = "region.code_format",
                [6] = "region.code_not_under_parent",
                [7] = "region.parent_not_found",
                [8] = "region.code_duplicated",
                [9] = "region.geometry_type",
                [10] = "region.coordinates_out_of_range",
            },
            reasons);
    }

    [Fact]
    public async Task Import_rejection_details_are_Chinese()
    {
        await using var store = await SeededStoreAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();

        var report = await ImportAsync(db, new GridLocator(Time), "haishu-streets-with-errors.geojson", Streets);

        var byIndex = report.Rejected.ToDictionary(r => r.FeatureIndex);
        Assert.Equal("缺少代码属性“JDDM”，或其值为空。请检查 --code-property 是否与文件中的属性名一致。", byIndex[2].Error.Detail);
        Assert.Equal("代码“33020390”不符合街道（乡镇）代码规则：应为 9 位数字。", byIndex[5].Error.Detail);
        Assert.Equal("代码“330205904”应以上级代码“330203”开头。", byIndex[6].Error.Detail);
        Assert.StartsWith("边界无效：边界自相交", byIndex[4].Error.Detail, StringComparison.Ordinal);
        Assert.Equal("330203901", byIndex[8].Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Atomic_import_with_rejections_loads_nothing(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(kind);
        await using var db = store.NewContext();
        var before = await db.Regions.CountAsync(r => r.ValidTo == null && !r.IsGenerated, ct);

        var report = await ImportAsync(db, new GridLocator(Time), "haishu-streets-with-errors.geojson", Streets with { Atomic = true });

        Assert.Equal(0, report.Loaded);
        Assert.Equal(9, report.Rejected.Count);
        await using var check = store.NewContext();
        Assert.Equal(before, await check.Regions.CountAsync(r => r.ValidTo == null && !r.IsGenerated, ct));
        Assert.False(await check.Regions.AnyAsync(r => r.ValidTo != null, ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_communities_finds_parent_by_property(StoreKind kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(kind);
        await using (var streets = store.NewContext())
        {
            await ImportAsync(streets, new GridLocator(Time), "haishu-streets.geojson", Streets);
        }

        await using var db = store.NewContext();
        var report = await ImportAsync(db, new GridLocator(Time), "haishu-communities.geojson",
            new RegionImportOptions(RegionLevel.Community, "SQDM", "SQMC") { ParentProperty = "JDDM" });

        Assert.Equal(1, report.Added);
        var rejected = Assert.Single(report.Rejected);
        Assert.Equal(1, rejected.FeatureIndex);
        Assert.Equal("region.parent_not_found", rejected.Error.Code);
        await using var check = store.NewContext();
        var community = await check.Regions.SingleAsync(r => r.Code == "330203901001", ct);
        Assert.Equal("/330200/330203/330203901/330203901001/", community.Path);
    }

    [Fact]
    public async Task Import_with_gcj02_converts_coordinates()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SeededStoreAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();

        await ImportAsync(db, new GridLocator(Time), "haishu-streets.geojson", Streets with { Gcj02 = true });

        var street = await db.Regions.AsNoTracking().SingleAsync(r => r.Code == "330203901", ct);
        var corner = new WKBReader().Read(street.Boundary).Coordinates[0];
        var (lat, lon) = Gcj02.ToWgs84(29.83, 121.40);
        Assert.Equal(lon, corner.X, 1e-9);
        Assert.Equal(lat, corner.Y, 1e-9);
    }

    [Theory]
    [InlineData("{\"type\": \"FeatureCollection\", \"features\": [", "region.file_invalid")]
    [InlineData("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": null}", "region.file_not_feature_collection")]
    [InlineData("{\"type\": \"FeatureCollection\", \"features\": []}", "region.file_empty")]
    public async Task Import_rejects_unreadable_file(string content, string code)
    {
        await using var store = await SeededStoreAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();
        var importer = new RegionImporter(db, new GridLocator(Time), Time, NullLogger<RegionImporter>.Instance);

        var result = await importer.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Streets, TestContext.Current.CancellationToken);

        Assert.Equal(code, result.Error?.Code);
    }

    [Fact]
    public async Task Non_utf8_file_names_its_line()
    {
        await using var store = await SeededStoreAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();
        var importer = new RegionImporter(db, new GridLocator(Time), Time, NullLogger<RegionImporter>.Instance);
        var gbk = Gb18030.Bytes(
            "{\"type\": \"FeatureCollection\",\n \"features\": [{\"type\": \"Feature\", \"properties\": {\"name\": \"南门街道\"}, \"geometry\": null}]}");

        var result = await importer.ImportAsync(new MemoryStream(gbk), Streets, TestContext.Current.CancellationToken);

        Assert.Equal("region.file_invalid", result.Error?.Code);
        Assert.Contains("第 2 行起不是 UTF-8 编码", result.Error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_rejects_district_level()
    {
        await using var store = await SeededStoreAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();
        var importer = new RegionImporter(db, new GridLocator(Time), Time, NullLogger<RegionImporter>.Instance);

        var result = await importer.ImportAsync(Stream.Null, Streets with { Level = RegionLevel.District }, TestContext.Current.CancellationToken);

        Assert.Equal("region.import_level", result.Error?.Code);
    }

    internal static async Task<TestStore> SeededStoreAsync(StoreKind kind)
    {
        var store = await TestStore.CreateAsync(kind);
        await using var db = store.NewContext();
        await new GeographySeeder(new GridLocator(Time), Time, NullLogger<GeographySeeder>.Instance).SeedAsync(db, TestContext.Current.CancellationToken);
        return store;
    }

    private static async Task<RegionImportReport> ImportAsync(ShanzhiDbContext db, GridLocator locator, string fixture, RegionImportOptions options)
    {
        var importer = new RegionImporter(db, locator, Time, NullLogger<RegionImporter>.Instance);
        await using var stream = File.OpenRead(FixturePath(fixture));
        var result = await importer.ImportAsync(stream, options, TestContext.Current.CancellationToken);
        Assert.Null(result.Error);
        return result.Value!;
    }

    internal static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Geography", name);
}
