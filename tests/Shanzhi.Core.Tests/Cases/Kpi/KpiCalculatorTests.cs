using Microsoft.Extensions.Time.Testing;
using Shanzhi.Cases;
using Shanzhi.Cases.Kpi;
using Shanzhi.Geography;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;
using static Shanzhi.Tests.Cases.Kpi.KpiCases;

namespace Shanzhi.Tests.Cases.Kpi;

public sealed class KpiCalculatorTests
{
    private static readonly Guid UnitA = Guid.Parse("0192d5a0-0000-7000-8000-0000000000a1");
    private static readonly Guid UnitB = Guid.Parse("0192d5a0-0000-7000-8000-0000000000b1");
    private static readonly DateTimeOffset December = Shanghai(2016, 12, 1, 0);
    private static readonly DateTimeOffset January = Shanghai(2017, 1, 1, 0);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resolution_inside_extension_is_on_time(StoreKind kind)
    {
        var cases = new KpiCases();
        var extended = cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(2));
        Extend(extended, Shanghai(2016, 12, 2), Shanghai(2016, 12, 6));
        ResolveAndClose(extended, Shanghai(2016, 12, 5));
        var late = cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(2));
        ResolveAndClose(late, Shanghai(2016, 12, 5));

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January));

        Assert.Equal(2, report.Total.Closed);
        Assert.Equal(1, report.Total.ClosedOnTime);
        Assert.Equal(1, report.Total.Extended);
        Assert.Equal(0.5m, report.Total.ExtensionRate);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rework_rate_counts_closed_cases_that_failed_verification(StoreKind kind)
    {
        var cases = new KpiCases();
        for (var i = 0; i < 4; i++)
        {
            var @case = cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3));
            if (i == 0)
            {
                ResolveAndFailVerification(@case, Shanghai(2016, 12, 2));
            }

            ResolveAndClose(@case, Shanghai(2016, 12, 3));
        }

        var reworkedButOpen = cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3));
        ResolveAndFailVerification(reworkedButOpen, Shanghai(2016, 12, 2));

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January));

        Assert.Equal(1, report.Total.Reworked);
        Assert.Equal(0.25m, report.Total.ReworkRate);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Returned_dispatch_lowers_dispatch_accuracy(StoreKind kind)
    {
        var cases = new KpiCases();
        var redispatched = cases.Dispatched(Shanghai(2016, 12, 1), UnitB, TimeSpan.FromDays(3));
        Ok(redispatched.Return("不属于本单位职责", Handler, Shanghai(2016, 12, 1, 11)));
        Ok(redispatched.Dispatch(UnitA, Operator, Shanghai(2016, 12, 1, 12), Shanghai(2016, 12, 4)));
        cases.Dispatched(Shanghai(2016, 12, 2), UnitA, TimeSpan.FromDays(3));
        cases.Dispatched(Shanghai(2016, 12, 3), UnitA, TimeSpan.FromDays(3));

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January));

        Assert.Equal(4, report.Total.Dispatches);
        Assert.Equal(1, report.Total.DispatchesReturned);
        Assert.Equal(0.75m, report.Total.DispatchAccuracyRate);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Events_after_period_end_are_ignored(StoreKind kind)
    {
        var cases = new KpiCases();
        var closedInJanuary = cases.Dispatched(Shanghai(2016, 12, 20), UnitA, TimeSpan.FromDays(3));
        ResolveAndClose(closedInJanuary, Shanghai(2017, 1, 5));

        var december = await ComputeAsync(kind, cases, new KpiQuery(December, January));

        Assert.Equal(1, december.Total.Due);
        Assert.Equal(0, december.Total.Closed);
        Assert.Equal(1, december.Total.StateCounts[CaseState.Dispatched]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Suspended_case_is_not_due(StoreKind kind)
    {
        var cases = new KpiCases();
        var suspended = cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3));
        Ok(suspended.Suspend("需市级统筹解决", Operator, Shanghai(2016, 12, 2)));
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3));

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January));

        Assert.Equal(1, report.Total.Due);
        Assert.Equal(1, report.Total.StateCounts[CaseState.Suspended]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Handling_time_runs_from_last_dispatch_to_last_resolution(StoreKind kind)
    {
        var cases = new KpiCases();
        var sixHours = cases.Dispatched(Shanghai(2016, 12, 1, 9), UnitA, TimeSpan.FromDays(3));
        ResolveAndClose(sixHours, Shanghai(2016, 12, 1, 15));
        var tenHours = cases.Dispatched(Shanghai(2016, 12, 2, 8), UnitA, TimeSpan.FromDays(3));
        ResolveAndClose(tenHours, Shanghai(2016, 12, 2, 18));

        var report = await ComputeAsync(kind, cases,
            new KpiQuery(December, January, WorkingTime: (start, end) => (end - start) / 2));

        Assert.Equal(8, report.Total.MeanHandlingHours);
        Assert.Equal(4, report.Total.MeanHandlingWorkingHours);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grouping_by_unit_names_units_and_counts_dispatches_per_unit(StoreKind kind)
    {
        var cases = new KpiCases();
        var returned = cases.Dispatched(Shanghai(2016, 12, 1), UnitB, TimeSpan.FromDays(3));
        Ok(returned.Return("不属于本单位职责", Handler, Shanghai(2016, 12, 1, 11)));
        Ok(returned.Dispatch(UnitA, Operator, Shanghai(2016, 12, 1, 12), Shanghai(2016, 12, 4)));
        ResolveAndClose(returned, Shanghai(2016, 12, 2));
        ResolveAndClose(cases.Dispatched(Shanghai(2016, 12, 2), UnitB, TimeSpan.FromDays(3)), Shanghai(2016, 12, 3));
        Ok(cases.Reported(Shanghai(2016, 12, 3)).Reject("重复上报", Operator, Shanghai(2016, 12, 3, 10)));

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January, GroupBy: KpiGrouping.Unit),
            db => db.Units.AddRange(
                new Unit { Id = UnitA, Name = "海曙区环卫处", Kind = UnitKind.Department, RegionCode = "330203" },
                new Unit { Id = UnitB, Name = "海曙区市政所", Kind = UnitKind.Department, RegionCode = "330203" }));

        var rows = report.Rows.ToDictionary(r => r.Name);
        Assert.Equal(["未派遣", "海曙区市政所", "海曙区环卫处"], rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, rows["海曙区环卫处"].Figures.Closed);
        Assert.Equal(1, rows["海曙区市政所"].Figures.Closed);
        Assert.Equal(2, rows["海曙区市政所"].Figures.Dispatches);
        Assert.Equal(1, rows["海曙区市政所"].Figures.DispatchesReturned);
        Assert.Equal(1, rows["未派遣"].Figures.StateCounts[CaseState.Rejected]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grouping_by_district_uses_second_path_segment(StoreKind kind)
    {
        var cases = new KpiCases();
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/330200/330203/330203001/");
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/330200/330203/330203002/");
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/330200/330205/");
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/EXTERNAL/");

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January, GroupBy: KpiGrouping.District),
            db => db.Regions.AddRange(
                new Region { Code = "330203", Name = "海曙区", Level = RegionLevel.District, Path = "/330200/330203/" },
                new Region { Code = "330205", Name = "江北区", Level = RegionLevel.District, Path = "/330200/330205/" }));

        Assert.Equal(["330203", "330205", "EXTERNAL"], report.Rows.Select(r => r.Key));
        Assert.Equal(["海曙区", "江北区", "EXTERNAL"], report.Rows.Select(r => r.Name));
        Assert.Equal([2, 1, 1], report.Rows.Select(r => r.Figures.Due));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Case_overdue_in_one_month_and_closed_in_the_next_is_due_in_both(StoreKind kind)
    {
        var cases = new KpiCases();
        var carriedOver = cases.Dispatched(Shanghai(2016, 11, 20), UnitA, TimeSpan.FromDays(3));
        ResolveAndClose(carriedOver, Shanghai(2016, 12, 10));

        var report = await ComputeAsync(kind, cases,
            new KpiQuery(Shanghai(2016, 11, 1, 0), January, GroupBy: KpiGrouping.Month));

        Assert.Equal(["2016-11", "2016-12"], report.Rows.Select(r => r.Key));
        Assert.Equal("2016年11月", report.Rows[0].Name);
        Assert.Equal([1, 1], report.Rows.Select(r => r.Figures.Due));
        Assert.Equal([0, 1], report.Rows.Select(r => r.Figures.Closed));
        Assert.Equal(1, report.Total.Due);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Scope_keeps_cases_under_the_region_path(StoreKind kind)
    {
        var cases = new KpiCases();
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/330200/330203/330203001/");
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3), "/330200/330205/");

        var report = await ComputeAsync(kind, cases, new KpiQuery(December, January, ScopePath: "/330200/330203/"));

        Assert.Equal(1, report.Total.Reported);
        Assert.Equal(1, report.Total.Due);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Open_ended_query_judges_at_current_time(StoreKind kind)
    {
        var cases = new KpiCases();
        cases.Dispatched(Shanghai(2016, 12, 1), UnitA, TimeSpan.FromDays(3));
        cases.Dispatched(Shanghai(2016, 12, 30), UnitA, TimeSpan.FromDays(3));

        var report = await ComputeAsync(kind, cases, new KpiQuery(), clock: Shanghai(2017, 1, 1, 0));

        Assert.Equal(2, report.Total.Reported);
        Assert.Equal(1, report.Total.Due);
        Assert.Equal(0m, report.Total.ClosingRate);
        Assert.Null(report.Total.ReworkRate);
    }

    private static async Task<KpiReport> ComputeAsync(StoreKind kind, KpiCases cases, KpiQuery query,
        Action<ShanzhiDbContext>? arrange = null, DateTimeOffset? clock = null)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            arrange?.Invoke(db);
            await cases.SaveAsync(db);
        }

        await using var read = store.NewContext();
        var calculator = new KpiCalculator(read, new FakeTimeProvider(clock ?? Shanghai(2017, 3, 1)));
        return await calculator.ComputeAsync(query, TestContext.Current.CancellationToken);
    }
}
