using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shanzhi.Cases;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Privacy.Requests;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CaseCatalogTests
{
    [Theory]
    [InlineData("E0101", "暴露垃圾", 4, TimeLimitUnit.WorkingHours)]
    [InlineData("E0102", "积存垃圾渣土", 1, TimeLimitUnit.WorkingDays)]
    [InlineData("E0103", "道路不洁", 2, TimeLimitUnit.WorkingHours)]
    [InlineData("E0104", "水域不洁", 15, TimeLimitUnit.WorkingDays)]
    [InlineData("E0106", "乱堆物料", 2, TimeLimitUnit.WorkingDays)]
    [InlineData("E0107", "废弃家具家电", 2, TimeLimitUnit.WorkingDays)]
    [InlineData("E0108", "动物尸体", 2, TimeLimitUnit.WorkingHours)]
    [InlineData("E0203", "乱涂写", 2, TimeLimitUnit.WorkingDays)]
    [InlineData("E0505", "流浪乞讨", 4, TimeLimitUnit.WorkingHours)]
    [InlineData("E0507", "私搭乱建", 15, TimeLimitUnit.WorkingDays)]
    [InlineData("E0601", "其他事件", 5, TimeLimitUnit.WorkingDays)]
    [InlineData("C0101", "上水井盖", 2, TimeLimitUnit.WorkingHours)]
    [InlineData("C0205", "路灯", 3, TimeLimitUnit.WorkingDays)]
    [InlineData("C0401", "绿地", 5, TimeLimitUnit.WorkingDays)]
    public void Catalogue_has_agreed_codes_and_limits(string code, string name, int limit, TimeLimitUnit unit)
    {
        var entry = CaseCatalogSeeder.Categories.Single(c => c.Code == code);

        Assert.Equal(name, entry.Name);
        Assert.Equal(new TimeLimit(limit, unit), entry.HandlingLimit);
    }

    [Fact]
    public void Catalogue_codes_are_unique_and_grouped()
    {
        var groups = CaseCatalogSeeder.Groups.Select(g => g.Code).ToHashSet();

        Assert.True(CaseCatalogSeeder.Categories.Count >= 30);
        Assert.Equal(CaseCatalogSeeder.Categories.Count, CaseCatalogSeeder.Categories.Select(c => c.Code).Distinct().Count());
        Assert.All(CaseCatalogSeeder.Categories, c => Assert.Contains(c.Code[..3], groups));
        Assert.All(CaseCatalogSeeder.Categories, c => Assert.Matches("^[CE][0-9]{4}$", c.Code));
        Assert.Equal(12, groups.Count);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Store_initializer_seeds_units_catalogue_and_calendar(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiPlatform(store.Options);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<StoreInitializer>().InitializeAsync(ct);
        await provider.GetRequiredService<StoreInitializer>().InitializeAsync(ct);

        await using var db = store.NewContext();
        var sanitation = await db.Units.SingleAsync(u => u.Name == CityUnits.Sanitation, ct);
        Assert.Equal(CaseCatalogSeeder.Categories.Count + PrivacyCaseCatalog.Categories.Count,
            await db.Categories.CountAsync(c => c.GroupCode != PiCatalogSeeder.GroupCode && c.GroupCode != FollowUpCatalogSeeder.GroupCode, ct));
        Assert.Equal(CaseCatalogSeeder.Groups.Count + PrivacyCaseCatalog.Groups.Count,
            await db.CategoryGroups.CountAsync(g => g.Code != PiCatalogSeeder.GroupCode && g.Code != FollowUpCatalogSeeder.GroupCode, ct));
        Assert.Equal(sanitation.Id, (await db.Categories.SingleAsync(c => c.Code == "E0101", ct)).DefaultUnitId);
        Assert.Null((await db.Categories.SingleAsync(c => c.Code == "E0601", ct)).DefaultUnitId);
        Assert.Equal(10, await db.Units.CountAsync(u => u.Kind == UnitKind.DistrictGovernment, ct));
        Assert.Equal(CityUnits.CityCode, (await db.Units.SingleAsync(u => u.Kind == UnitKind.CommandCentre, ct)).RegionCode);
        Assert.Equal(CalendarSeeder.KnownYears.Values.Sum(d => d.Count), await db.CalendarDays.CountAsync(ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reseeding_keeps_administrator_changes(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var category = await db.Categories.SingleAsync(c => c.Code == "E0101", ct);
        category.HandlingLimit = TimeLimit.Days(1);
        await db.SaveChangesAsync(ct);

        await new UnitSeeder().SeedAsync(db, ct);
        await new CaseCatalogSeeder().SeedAsync(db, ct);

        await using var check = world.NewContext();
        Assert.Equal(TimeLimit.Days(1), (await check.Categories.SingleAsync(c => c.Code == "E0101", ct)).HandlingLimit);
        Assert.Equal(1, await check.Units.CountAsync(u => u.Name == CityUnits.CommandCentre, ct));
    }

    [Fact]
    public void Case_services_resolve_with_configured_options()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Cases:Duplicates:RadiusMeters"] = "250",
                ["Cases:Duplicates:Window"] = "2.00:00:00",
                ["Cases:Attachments:MaxBytes"] = "1048576",
                ["Cases:Escalation:Interval"] = "00:01:00",
                ["Cases:Calendar:Periods:0:Start"] = "09:00",
                ["Cases:Calendar:Periods:0:End"] = "17:00",
            })
            .Build();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "shanzhi-tests", "di-" + Guid.NewGuid().ToString("N"));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiPlatform(new StorageOptions { DataDirectory = dataDirectory }, configuration);
        services.AddShanzhiCaseJobs();
        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();

        var options = scope.ServiceProvider.GetRequiredService<IOptions<CaseOptions>>().Value;
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<CaseService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<AttachmentService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<CalendarService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<CaseEscalation>());
        Assert.Same(provider.GetRequiredService<WorkingCalendarCache>(), scope.ServiceProvider.GetRequiredService<WorkingCalendarCache>());
        Assert.Contains(provider.GetServices<Microsoft.Extensions.Hosting.IHostedService>(), s => s is OverdueEscalationJob);
        Assert.Equal(7, provider.GetServices<IStoreSeeder>().Count());
        Assert.Equal(250, options.Duplicates.RadiusMeters);
        Assert.Equal(TimeSpan.FromDays(2), options.Duplicates.Window);
        Assert.Equal(1048576, options.Attachments.MaxBytes);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Escalation.Interval);
        Assert.Equal([new TimeOnly(9, 0)], options.Calendar.EffectivePeriods.Select(p => p.Start));
        Directory.Delete(dataDirectory, recursive: true);
    }
}
