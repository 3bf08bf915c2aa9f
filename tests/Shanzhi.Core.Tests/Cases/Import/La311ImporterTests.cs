using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Shanzhi.Cases;
using Shanzhi.Cases.Import;
using Shanzhi.Geography;
using Shanzhi.Import;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases.Import;

public sealed class La311ImporterTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Closed_request_replays_the_whole_loop(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-870694601");

        var report = await ImportAsync(store, csv);

        await using var db = store.NewContext();
        var @case = await db.Cases.SingleAsync(TestContext.Current.CancellationToken);
        var events = await db.CaseEvents.Where(e => e.CaseId == @case.Id).OrderBy(e => e.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, report.Imported);
        Assert.Equal("LA1-870694601", @case.CaseNo);
        Assert.Equal("1-870694601", @case.ExternalRef);
        Assert.Equal(CaseChannel.Import, @case.Channel);
        Assert.Equal("E0106", @case.CategoryCode);
        Assert.Equal(CaseState.Closed, @case.State);
        Assert.Equal(Region.ExternalCode, @case.RegionCode);
        Assert.Equal("/EXTERNAL/", @case.RegionPath);
        Assert.Equal(
            [
                CaseEventType.Reported, CaseEventType.Filed, CaseEventType.Dispatched, CaseEventType.Started,
                CaseEventType.Resolved, CaseEventType.VerificationRequested, CaseEventType.VerificationPassed, CaseEventType.Closed,
            ],
            events.Select(e => e.Type));

        // 09:15 PST is 17:15 UTC; E0106 has a 1-day limit, replayed as 24 calendar hours.
        Assert.Equal(new DateTimeOffset(2017, 12, 28, 17, 15, 0, TimeSpan.Zero), @case.ReportedAt);
        Assert.Equal(new DateTimeOffset(2017, 12, 29, 17, 15, 0, TimeSpan.Zero), events[2].Deadline);
        Assert.Equal(new DateTimeOffset(2017, 12, 29, 22, 30, 0, TimeSpan.Zero), @case.ClosedAt);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Source_statuses_map_to_case_states(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv()
            .Row("1-1", ("Status", "Closed"))
            .Row("1-2", ("Status", "Cancelled"), ("Owner", ""))
            .Row("1-3", ("Status", "Referred Out"), ("Owner", "OCB"), ("RequestType", "Graffiti Removal"))
            .Row("1-4", ("Status", "Open"), ("ClosedDate", ""), ("Owner", "BSL"), ("RequestType", "Multiple Streetlight Issue"));

        await ImportAsync(store, csv);

        await using var db = store.NewContext();
        var states = await db.Cases.ToDictionaryAsync(c => c.ExternalRef!, c => c.State, TestContext.Current.CancellationToken);
        Assert.Equal(CaseState.Closed, states["1-1"]);
        Assert.Equal(CaseState.Rejected, states["1-2"]);
        Assert.Equal(CaseState.Returned, states["1-3"]);
        Assert.Equal(CaseState.Dispatched, states["1-4"]);
        var units = await db.Units.OrderBy(u => u.Name).Select(u => u.Name).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["洛杉矶环卫局 (BOS)", "洛杉矶社区美化办公室 (OCB)", "洛杉矶路灯局 (BSL)"], units.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Malformed_rows_are_reported_and_valid_rows_loaded(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv()
            .Row("1-100")
            .Row("1-101", ("CreatedDate", "2017-12-28 09:15"))
            .Row("", ("Status", "Closed"))
            .Row("1-103", ("Status", "Pending"))
            .Row("1-104", ("ClosedDate", ""))
            .Row("1-105", ("RequestType", "Pothole Repair"))
            .Row("1-106", ("Latitude", "north"))
            .Row("1-107", ("ClosedDate", "12/20/2017 03:00:00 PM"))
            .Row("1-108", ("Owner", ""));

        var report = await ImportAsync(store, csv);

        Assert.Equal(9, report.Rows);
        Assert.Equal(2, report.Imported);
        Assert.Equal(
            [
                (3, "CreatedDate"), (4, "SRNumber"), (5, "Status"), (6, "ClosedDate"), (8, "Latitude"), (9, "ClosedDate"), (10, "Owner"),
            ],
            report.Errors.Select(e => (e.Row, e.Column)));
        Assert.Contains("2017-12-28 09:15", report.Errors[0].Message);
        Assert.Equal(1, report.UnmappedRequestTypes["Pothole Repair"]);
        await using var db = store.NewContext();
        Assert.Equal("E0601", await db.Cases.Where(c => c.ExternalRef == "1-105").Select(c => c.CategoryCode).SingleAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reimport_skips_imported_requests(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-200").Row("1-201").Row("1-200", ("Status", "Open"));

        var first = await ImportAsync(store, csv);
        var second = await ImportAsync(store, csv);

        Assert.Equal((2, 1), (first.Imported, first.Skipped));
        Assert.Equal((0, 3), (second.Imported, second.Skipped));
        await using var db = store.NewContext();
        Assert.Equal(2, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.Units.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.Regions.CountAsync(r => r.Code == Region.ExternalCode, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Atomic_import_with_errors_writes_nothing(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-300").Row("1-301", ("CreatedDate", "yesterday"));

        var report = await ImportAsync(store, csv, atomic: true);

        Assert.True(report.RolledBack);
        Assert.Equal(0, report.Imported);
        Assert.Single(report.Errors);
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.CaseEvents.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gbk_row_stops_the_import_at_its_line(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-500").Row("1-501", ("Address", "宁波市海曙区"));

        var report = await ImportAsync(store, csv.ToStream(Gb18030.Encoding), atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((3, null, "import.not_utf8"), (error.Row, error.Column, error.Code));
        Assert.Equal(1, report.Imported);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unclosed_quote_rolls_back_atomic_import(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-600").Row("1-601", ("Address", "\"6122 E MESA AVE")).Row("1-602");

        var report = await ImportAsync(store, csv.ToStream(), atomic: true);

        var error = Assert.Single(report.Errors);
        Assert.Equal((3, "import.unclosed_quote"), (error.Row, error.Code));
        Assert.True(report.RolledBack);
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Row_with_extra_field_is_rejected_alone(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var csv = new La311Csv().Row("1-1").Row("1-2").AppendToLastRow(",EXTRA").Row("1-3");

        var report = await ImportAsync(store, csv);

        var error = Assert.Single(report.Errors);
        Assert.Equal((3, null, CsvImportReader.ExtraFieldsCode), (error.Row, error.Column, error.Code));
        Assert.StartsWith("该行有 34 列，比列名行多 1 列，本行未导入。", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, report.Imported);
        await using var db = store.NewContext();
        Assert.Equal(["1-1", "1-3"], await db.Cases.OrderBy(c => c.ExternalRef).Select(c => c.ExternalRef!).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Empty_file_is_reported_as_empty(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var report = await ImportAsync(store, new MemoryStream(), atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((1, null, CsvImportReader.EmptyFileCode), (error.Row, error.Column, error.Code));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task File_without_required_column_is_rejected(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        using var csv = new MemoryStream("SRNumber,CreatedDate\n1-1,12/28/2017 09:15:00 AM\n"u8.ToArray());

        await using var db = store.NewContext();
        var report = await new La311Importer(db, new GridLocator(), NullLogger<La311Importer>.Instance)
            .ImportAsync(csv, new La311ImportOptions(), TestContext.Current.CancellationToken);

        Assert.Contains(report.Errors, e => e is { Row: 1, Column: "Status" });
        Assert.Equal(0, report.Imported);
    }

    [Theory]
    [InlineData("2017-12-31T23:59:58", "2018-01-01T07:59:58Z")]
    [InlineData("2018-07-01T12:00:00", "2018-07-01T19:00:00Z")]
    [InlineData("2018-03-11T02:30:00", "2018-03-11T10:30:00Z")]
    [InlineData("2017-11-05T01:30:00", "2017-11-05T08:30:00Z")]
    public void Los_Angeles_wall_clock_converts_to_utc(string local, string utc)
    {
        var converted = La311Request.FromLosAngeles(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), converted);
    }

    private static async Task<CaseImportReport> ImportAsync(TestStore store, La311Csv csv, bool atomic = false)
    {
        using var stream = csv.ToStream();
        return await ImportAsync(store, stream, atomic);
    }

    private static async Task<CaseImportReport> ImportAsync(TestStore store, Stream stream, bool atomic)
    {
        await using var db = store.NewContext();
        await TestCatalog.EnsureAsync(db, TestContext.Current.CancellationToken);
        return await Importer(db).ImportAsync(stream, new La311ImportOptions(atomic), TestContext.Current.CancellationToken);
    }

    private static La311Importer Importer(ShanzhiDbContext db) => new(db, new GridLocator(), NullLogger<La311Importer>.Instance);
}
