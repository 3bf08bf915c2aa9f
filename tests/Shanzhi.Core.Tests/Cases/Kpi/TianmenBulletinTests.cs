using Microsoft.Extensions.Time.Testing;
using Shanzhi.Cases.Kpi;
using Shanzhi.Tests.Infrastructure;
using static Shanzhi.Tests.Cases.Kpi.KpiCases;

namespace Shanzhi.Tests.Cases.Kpi;

/// <summary>
/// Rebuilds the December 2016 monthly bulletin of the 天门 digital city-management centre: 972 cases
/// due to close, 911 closed, 737 closed on time, so 结案率 93.72 % and 按期结案率 75.82 %. The
/// cases take the paths a real month has (extensions, rework, returns, carry-overs from November,
/// cases still open or closed in January) next to cases that must not count in December.
/// </summary>
public sealed class TianmenBulletinTests
{
    private static readonly Guid UnitA = Guid.Parse("0192d5a0-0000-7000-8000-00000000000a");
    private static readonly Guid UnitB = Guid.Parse("0192d5a0-0000-7000-8000-00000000000b");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task December_2016_bulletin_is_reproduced(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            await December2016().SaveAsync(db);
        }

        await using var read = store.NewContext();
        var calculator = new KpiCalculator(read, new FakeTimeProvider(Shanghai(2017, 3, 1)));
        var report = await calculator.ComputeAsync(
            new KpiQuery(Shanghai(2016, 12, 1, 0), Shanghai(2017, 1, 1, 0)), TestContext.Current.CancellationToken);

        Assert.Equal(972, report.Total.Due);
        Assert.Equal(911, report.Total.Closed);
        Assert.Equal(737, report.Total.ClosedOnTime);
        Assert.Equal(93.72m, Math.Round(report.Total.ClosingRate!.Value * 100, 2));
        Assert.Equal(75.82m, Math.Round(report.Total.OnTimeClosingRate!.Value * 100, 2));
    }

    private static KpiCases December2016()
    {
        var cases = new KpiCases();
        AddClosedOnTime(cases, 737);
        AddClosedLate(cases, 174);
        AddDueButOpen(cases, 61);
        AddNotDue(cases);
        return cases;
    }

    /// <summary>Closed in December at or before the deadline; some after an extension, a rework or a return.</summary>
    private static void AddClosedOnTime(KpiCases cases, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var reported = Shanghai(2016, 12, 1 + (i % 25));
            var redispatched = i % 20 == 0;
            var @case = redispatched
                ? cases.Dispatched(reported, UnitB, TimeSpan.FromDays(3))
                : cases.Dispatched(reported, UnitA, TimeSpan.FromDays(3));
            if (redispatched)
            {
                Ok(@case.Return("不属于本单位职责", Handler, reported.AddHours(1)));
                Ok(@case.Dispatch(UnitA, Operator, reported.AddHours(2), reported.AddHours(2).AddDays(3)));
            }

            var dispatched = @case.DispatchedAt!.Value;
            Ok(@case.Start(Handler, dispatched.AddMinutes(30)));
            var resolved = dispatched.AddDays(1);
            if (i % 10 == 0)
            {
                // Resolved a day after the original deadline, inside the approved extension.
                Extend(@case, dispatched.AddDays(1), dispatched.AddDays(5));
                resolved = dispatched.AddDays(4);
            }

            if (i % 15 == 0)
            {
                ResolveAndFailVerification(@case, resolved);
                resolved = resolved.AddHours(4);
            }

            ResolveAndClose(@case, resolved);
        }
    }

    /// <summary>Closed in December after the deadline, including cases overdue since November.</summary>
    private static void AddClosedLate(KpiCases cases, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i < 20)
            {
                var carriedOver = cases.Dispatched(Shanghai(2016, 11, 20), UnitA, TimeSpan.FromDays(2));
                ResolveAndClose(carriedOver, Shanghai(2016, 12, 3));
                continue;
            }

            var @case = cases.Dispatched(Shanghai(2016, 12, 1 + (i % 20)), UnitA, TimeSpan.FromDays(1));
            ResolveAndClose(@case, @case.DispatchedAt!.Value.AddDays(3));
        }
    }

    /// <summary>Deadline in December, still open at the end of the month; a third close in January.</summary>
    private static void AddDueButOpen(KpiCases cases, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var @case = cases.Dispatched(Shanghai(2016, 12, 20 + (i % 8)), UnitA, TimeSpan.FromDays(2));
            if (i % 3 == 0)
            {
                ResolveAndClose(@case, Shanghai(2017, 1, 3));
            }
            else
            {
                Ok(@case.Start(Handler, @case.DispatchedAt!.Value.AddHours(1)));
            }
        }
    }

    private static void AddNotDue(KpiCases cases)
    {
        for (var i = 0; i < 30; i++)
        {
            cases.Dispatched(Shanghai(2016, 12, 28), UnitA, TimeSpan.FromDays(10));
        }

        for (var i = 0; i < 20; i++)
        {
            var closedEarly = cases.Dispatched(Shanghai(2016, 11, 25), UnitA, TimeSpan.FromDays(10));
            ResolveAndClose(closedEarly, Shanghai(2016, 11, 28));
        }

        for (var i = 0; i < 10; i++)
        {
            Ok(cases.Reported(Shanghai(2016, 12, 5)).Reject("非城市管理问题", Operator, Shanghai(2016, 12, 5, 10)));
        }

        for (var i = 0; i < 5; i++)
        {
            var suspended = cases.Dispatched(Shanghai(2016, 12, 10), UnitA, TimeSpan.FromDays(5));
            Ok(suspended.Suspend("需市级统筹解决", Operator, Shanghai(2016, 12, 12)));
        }

        for (var i = 0; i < 8; i++)
        {
            var returned = cases.Dispatched(Shanghai(2016, 12, 10), UnitB, TimeSpan.FromDays(3));
            Ok(returned.Return("不属于本单位职责", Handler, Shanghai(2016, 12, 11)));
        }

        for (var i = 0; i < 12; i++)
        {
            var dueInJanuary = cases.Dispatched(Shanghai(2016, 12, 30), UnitA, TimeSpan.FromDays(5));
            ResolveAndClose(dueInJanuary, Shanghai(2017, 1, 2));
        }
    }
}
