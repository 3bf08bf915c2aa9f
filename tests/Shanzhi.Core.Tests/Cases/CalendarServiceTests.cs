using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class CalendarServiceTests
{
    private static CalendarDay Day(int year, int month, int day, bool working, string note = "节假日") =>
        new() { Date = new DateOnly(year, month, day), IsWorkingDay = working, Note = note };

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loading_year_replaces_its_days_and_refreshes_calendar(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.Calendar(db);
        var monday = new DateOnly(2026, 3, 2);
        Assert.True((await world.Calendars.GetAsync(db, ct)).IsWorkingDay(monday));

        var loaded = await service.LoadYearAsync(2026, [Day(2026, 3, 2, false, "临时停工"), Day(2026, 3, 7, true, "调休上班")],
            StaffPrincipal.System, ct);

        var calendar = await world.Calendars.GetAsync(db, ct);
        Assert.Equal(2, loaded.Value);
        Assert.Equal([monday, new DateOnly(2026, 3, 7)], (await service.ListYearAsync(2026, ct)).Select(d => d.Date));
        Assert.False(calendar.IsWorkingDay(monday));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 3, 7)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 2, 16)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loading_year_keeps_other_years(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var service = world.Calendar(db);

        await service.LoadYearAsync(2027, [Day(2027, 1, 1, false, "元旦")], StaffPrincipal.System, ct);

        Assert.Equal(FixtureCalendar.SpringFestival2026.Count, (await service.ListYearAsync(2026, ct)).Count);
        Assert.Single(await service.ListYearAsync(2027, ct));
    }

    public static TheoryData<StoreKind, string, string, string> InvalidYears()
    {
        var data = new TheoryData<StoreKind, string, string, string>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            data.Add(kind, "date outside year", "calendar.date_outside_year", "days[1].date");
            data.Add(kind, "duplicate date", "calendar.duplicate_date", "days[1].date");
            data.Add(kind, "working weekday", "calendar.workday_not_weekend", "days[1].isWorkingDay");
            data.Add(kind, "empty note", "calendar.note_required", "days[1].note");
            data.Add(kind, "year out of range", "calendar.invalid_year", "year");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidYears))]
    public async Task Invalid_year_is_rejected_and_nothing_changes(StoreKind kind, string problem, string code, string field)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var first = Day(2026, 10, 1, false, "国庆节");
        var (year, second) = problem switch
        {
            "date outside year" => (2026, Day(2027, 1, 1, false)),
            "duplicate date" => (2026, Day(2026, 10, 1, false)),
            "working weekday" => (2026, Day(2026, 10, 9, true)),
            "empty note" => (2026, Day(2026, 10, 2, false, " ")),
            "year out of range" => (1999, Day(2026, 10, 2, false)),
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
        };
        await using var db = world.NewContext();

        var result = await world.Calendar(db).LoadYearAsync(year, [first, second], StaffPrincipal.System, ct);

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(field, result.Error?.Field);
        Assert.Equal(FixtureCalendar.SpringFestival2026.Count, await db.CalendarDays.CountAsync(ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Only_system_admin_loads_calendar(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Calendar(db).LoadYearAsync(2026, [], world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal("calendar.forbidden", result.Error?.Code);
        Assert.Equal(403, result.Error?.Status);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Seeder_adds_missing_years_only(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var seeder = new CalendarSeeder(world.Calendars);

        await seeder.SeedAsync(db, ct);
        await seeder.SeedAsync(db, ct);

        var service = world.Calendar(db);
        Assert.Equal(CalendarSeeder.KnownYears[2025].Count, (await service.ListYearAsync(2025, ct)).Count);
        Assert.Equal(FixtureCalendar.SpringFestival2026.Count, (await service.ListYearAsync(2026, ct)).Count);
        Assert.False((await world.Calendars.GetAsync(db, ct)).IsWorkingDay(new DateOnly(2025, 10, 8)));
    }
}
