using Microsoft.EntityFrameworkCore;
using MsOptions = Microsoft.Extensions.Options.Options;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Privacy.Requests;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Privacy;

/// <summary>Personal-information requests, complaints and reports as module categories of the case engine.</summary>
public sealed class PrivacyCaseTests
{
    private static readonly string StreetAGrid =
        CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, CaseWorld.StreetA + "001001");

    [Fact]
    public void Catalogue_codes_belong_to_module_groups()
    {
        var groups = PrivacyCaseCatalog.Groups.Select(g => g.Code).ToHashSet();

        Assert.All(PrivacyCaseCatalog.Categories, c => Assert.Matches("^P0[12][0-9]{2}$", c.Code));
        Assert.All(PrivacyCaseCatalog.Categories, c => Assert.Contains(c.Code[..3], groups));
        Assert.Equal(Enum.GetValues<PrivacyRequestKind>().Length, PrivacyCaseCatalog.Categories.Select(c => c.Kind).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Seeder_adds_module_groups_and_calendar_day_limits(StoreKind kind)
    {
        await using var world = await SeededWorldAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();

        var groups = await db.CategoryGroups.Where(g => g.Code.StartsWith("P")).ToListAsync(ct);
        var access = await db.Categories.SingleAsync(c => c.Code == "P0101", ct);
        var report = await db.Categories.SingleAsync(c => c.Code == "P0202", ct);

        Assert.Equal(2, groups.Count);
        Assert.All(groups, g => Assert.Equal(CaseKind.Module, g.Kind));
        Assert.Equal(TimeLimit.CalendarDays(30), access.HandlingLimit);
        Assert.Equal(TimeLimit.CalendarDays(30), report.HandlingLimit);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reseeding_adds_nothing_twice(StoreKind kind)
    {
        await using var world = await SeededWorldAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();

        await new PrivacyCaseSeeder(MsOptions.Create(world.Options)).SeedAsync(db, ct);

        Assert.Equal(PrivacyCaseCatalog.Categories.Count, await db.Categories.CountAsync(c => c.GroupCode.StartsWith("P"), ct));
        Assert.Equal(3, await db.RoutingRules.CountAsync(r => r.CategoryCode!.StartsWith("P01"), ct));
        Assert.Equal(1, await db.Units.CountAsync(u => u.Name == PrivacyCaseCatalog.CyberspaceOffice, ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Configured_limit_applies_when_first_seeded(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        world.Options.PrivacyLimits.RequestDays = 15;
        await using var db = world.NewContext();

        await new PrivacyCaseSeeder(MsOptions.Create(world.Options)).SeedAsync(db, ct);

        Assert.Equal(TimeLimit.CalendarDays(15), (await db.Categories.SingleAsync(c => c.Code == "P0103", ct)).HandlingLimit);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Categories_route_to_their_departments(StoreKind kind)
    {
        await using var world = await SeededWorldAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var router = new CaseRouter(db);

        var deletion = await router.ProposeAsync("P0103", StreetAGrid, ct);
        var complaint = await router.ProposeAsync("P0201", StreetAGrid, ct);
        var report = await router.ProposeAsync("P0202", StreetAGrid, ct);

        Assert.Equal(CityUnits.CommandCentre, deletion.Value?.UnitName);
        Assert.StartsWith("派遣规则", deletion.Value?.Rule);
        Assert.Equal(PrivacyCaseCatalog.MarketRegulation, complaint.Value?.UnitName);
        Assert.Equal(PrivacyCaseCatalog.CyberspaceOffice, report.Value?.UnitName);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Access_request_runs_the_loop_with_thirty_day_deadline_past_national_day(StoreKind kind)
    {
        await using var world = await SeededWorldAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using (var db = world.NewContext())
        {
            await world.Calendar(db).LoadYearAsync(2026, CalendarSeeder.KnownYears[2026], StaffPrincipal.System, ct);
        }

        world.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 3, 15, 0, 0, CaseWorld.Shanghai).ToUniversalTime());
        var officer = await world.UserAsync("个人信息保护专员", world.CommandCentreId, CaseWorld.PathOf(CaseWorld.City), Roles.UnitHandler);

        Case registered;
        await using (var db = world.NewContext())
        {
            var result = await new RegisterPrivacyRequest(db, world.Cases(db), world.Clock)
                .RegisterAsync(new PrivacyRequestInput("access", CaseWorld.Haishu, "请求查阅本人此前上报案件中记录的信息"), world.Operator, ct);
            registered = result.Value ?? throw new InvalidOperationException($"Register failed: {result.Error}");
        }

        await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.File), world.Operator);
        var dispatched = await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.Dispatch, UnitId: world.CommandCentreId), world.Operator);
        await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.Start), officer);
        await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.Resolve, Reason: "已向请求人提供信息副本"), officer);
        await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.RequestVerification), world.Operator);
        await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.PassVerification), world.Verifier);
        var closed = await world.MustActAsync(registered.Id, new CaseActionRequest(CaseAction.Close), world.Operator);

        Assert.Equal("P0101", registered.CategoryCode);
        Assert.Equal(CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, CaseWorld.StreetA + "001001"), registered.RegionPath);
        // Thursday Sep 3 + 30 days is Oct 3, inside the Oct 1–7 holiday, so the limit runs to Thursday Oct 8 at close of business.
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 17, 30, 0, CaseWorld.Shanghai), dispatched.HandlingDeadline);
        Assert.Equal(CaseState.Closed, closed.State);
    }

    [Theory]
    [InlineData("erase", "CASE", "privacy.unknown_kind")]
    [InlineData(null, "330203", "privacy.unknown_kind")]
    [InlineData("access", "330203001", "privacy.unknown_district")]
    [InlineData("access", "999999", "privacy.unknown_district")]
    [InlineData("complaint", "330203", "privacy.description_required")]
    public async Task Bad_input_is_rejected_with_a_field(string? kind, string districtCode, string code)
    {
        await using var world = await SeededWorldAsync(StoreKind.Sqlite);
        await using var db = world.NewContext();
        var description = code == "privacy.description_required" ? "  " : "反映某商户泄露会员信息";

        var result = await new RegisterPrivacyRequest(db, world.Cases(db), world.Clock)
            .RegisterAsync(new PrivacyRequestInput(kind, districtCode, description), world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(0, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The case world plus the privacy module, with district centres set inside street A and C.</summary>
    private static async Task<CaseWorld> SeededWorldAsync(StoreKind kind)
    {
        var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        await new PrivacyCaseSeeder(MsOptions.Create(world.Options)).SeedAsync(db, ct);
        var haishu = await db.Regions.SingleAsync(r => r.Code == CaseWorld.Haishu, ct);
        (haishu.CenterLatitude, haishu.CenterLongitude) = CaseWorld.InStreetA;
        await db.SaveChangesAsync(ct);
        return world;
    }
}
