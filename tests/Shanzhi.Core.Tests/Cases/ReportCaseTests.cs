using Shanzhi.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class ReportCaseTests
{
    private static ReportCaseRequest Valid((double Latitude, double Longitude) at) =>
        new("路边暴露垃圾", "人行道旁有一堆生活垃圾", at.Latitude, at.Longitude, "E0101");

    public static TheoryData<StoreKind, string, string> InvalidReports()
    {
        var data = new TheoryData<StoreKind, string, string>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            data.Add(kind, "empty title", "case.title_required");
            data.Add(kind, "long title", "case.title_too_long");
            data.Add(kind, "long description", "case.description_too_long");
            data.Add(kind, "long address", "case.address_too_long");
            data.Add(kind, "NaN latitude", "case.invalid_coordinates");
            data.Add(kind, "longitude out of range", "case.invalid_coordinates");
            data.Add(kind, "outside city", "geo.outside_city");
            data.Add(kind, "unknown category", "case.unknown_category");
            data.Add(kind, "short asset code", "case.invalid_asset_code");
            data.Add(kind, "letters in asset code", "case.invalid_asset_code");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidReports))]
    public async Task Invalid_report_is_rejected_and_nothing_stored(StoreKind kind, string problem, string code)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var valid = Valid(CaseWorld.InStreetA);
        var request = problem switch
        {
            "empty title" => valid with { Title = "   " },
            "long title" => valid with { Title = new string('标', CaseLimits.TitleMaxLength + 1) },
            "long description" => valid with { Description = new string('述', CaseLimits.DescriptionMaxLength + 1) },
            "long address" => valid with { Address = new string('址', CaseLimits.AddressMaxLength + 1) },
            "NaN latitude" => valid with { Latitude = double.NaN },
            "longitude out of range" => valid with { Longitude = 181 },
            "outside city" => valid with { Latitude = CaseWorld.OutsideCity.Latitude, Longitude = CaseWorld.OutsideCity.Longitude },
            "unknown category" => valid with { CategoryCode = "E9999" },
            "short asset code" => valid with { AssetCode = "33020301" },
            "letters in asset code" => valid with { AssetCode = "3302030101ABCDEF" },
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
        };
        var before = await world.SnapshotAsync();

        await using var db = world.NewContext();
        var result = await world.Cases(db).ReportAsync(request, world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(400, result.Error?.Status);
        Assert.NotNull(result.Error?.Field);
        Assert.Equal(before, await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_locates_grid_and_sets_filing_deadline(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);

        var @case = await world.ReportAsync(CaseWorld.InStreetB);

        Assert.Equal(CaseWorld.StreetB + "001001", @case.RegionCode);
        Assert.Equal(CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB, CaseWorld.StreetB + "001001"), @case.RegionPath);
        Assert.Equal(CaseState.Reported, @case.State);
        Assert.Equal("E0101", @case.CategoryCode);
        Assert.Equal(world.Operator.UserId, @case.ReporterId);
        Assert.Equal(world.Clock.GetUtcNow().AddHours(1), @case.Deadline);
        Assert.Equal(1, @case.EventCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Case_numbers_follow_shanghai_date_and_daily_sequence(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);

        var first = await world.ReportAsync();
        var second = await world.ReportAsync();

        // 2026-03-02 23:30 in Shanghai is still 15:30 UTC on the same date; 00:30 the next day is 16:30 UTC on the 2nd.
        world.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 2, 16, 30, 0, TimeSpan.Zero));
        var nextDay = await world.ReportAsync();

        Assert.Equal("20260302000001", first.CaseNo);
        Assert.Equal("20260302000002", second.CaseNo);
        Assert.Equal("20260303000001", nextDay.CaseNo);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_reports_get_distinct_numbers(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);

        var reports = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => world.ReportAsync())));

        Assert.Equal(8, reports.Select(r => r.CaseNo).Distinct().Count());
        Assert.Equal("20260302000008", reports.Max(r => r.CaseNo));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Public_report_has_no_reporter(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Cases(db).ReportAsync(
            Valid(CaseWorld.InStreetC) with { Channel = CaseChannel.Open311, ExternalRef = "open311-42", AssetCode = "3302120101000001" },
            null, TestContext.Current.CancellationToken);
        var events = await world.EventsAsync(result.Value!.Id);

        Assert.Null(result.Value.ReporterId);
        Assert.Equal(CaseChannel.Open311, result.Value.Channel);
        Assert.Equal("open311-42", result.Value.ExternalRef);
        Assert.Equal("3302120101000001", result.Value.AssetCode);
        Assert.Equal("公众", events.Single().ActorName);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Read_only_roles_cannot_report(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var leader = await world.Cases(db).ReportAsync(Valid(CaseWorld.InStreetA), world.Leader, TestContext.Current.CancellationToken);
        var admin = await world.Cases(db).ReportAsync(Valid(CaseWorld.InStreetA), world.Admin, TestContext.Current.CancellationToken);

        Assert.Equal(403, leader.Error?.Status);
        Assert.Equal(403, admin.Error?.Status);
        Assert.Equal("", await world.SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Inactive_category_is_unknown(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using (var setup = world.NewContext())
        {
            (await setup.Categories.FindAsync(["E0508"], TestContext.Current.CancellationToken))!.IsActive = false;
            await setup.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var db = world.NewContext();
        var result = await world.Cases(db).ReportAsync(Valid(CaseWorld.InStreetA) with { CategoryCode = "E0508" }, world.Operator,
            TestContext.Current.CancellationToken);

        Assert.Equal("case.unknown_category", result.Error?.Code);
        Assert.Equal("categoryCode", result.Error?.Field);
    }
}
