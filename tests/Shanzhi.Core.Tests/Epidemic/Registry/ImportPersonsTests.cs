using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Import;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>CSV import of the registry: per-row report with stable codes, blind-index duplicates in the file and in the store, atomic mode.</summary>
public sealed class ImportPersonsTests
{
    public const string MixedFixture = "Fixtures/Epidemic/persons-mixed.csv";

    private static readonly string[] FixtureNames = ["测试甲", "测试乙", "测试丙", "测试丁", "测试戊", "测试己", "测试庚"];

    static ImportPersonsTests()
    {
        foreach (var name in FixtureNames)
        {
            LogSink.RegisterName(name);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Mixed_file_reports_each_bad_row(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var report = await ImportFixtureAsync(world, db, atomic: false);

        Assert.Equal((8, 3, false), (report.Rows, report.Imported, report.RolledBack));
        Assert.Equal(
            [
                "4 id_number privacy.id_number_invalid",
                "5 id_number person.duplicate_in_file",
                "6 name person.name_required",
                "6 phone privacy.mobile_invalid",
                "6 residency person.residency_invalid",
                "7 home_grid person.unknown_grid",
                "9 id_number person.duplicate",
            ],
            report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal(4, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Atomic_import_with_bad_row_loads_nothing(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var report = await ImportFixtureAsync(world, db, atomic: true);

        Assert.Equal((0, true), (report.Imported, report.RolledBack));
        Assert.Equal(0, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Atomic_import_of_clean_file_loads_all(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var csv = "姓名,身份证号,手机号,人口类别,居住网格\r\n"
                  + $"测试甲,{SyntheticIds.Id(20)},13900000020,常住人口,{RegistryWorld.GridA}\r\n"
                  + $"测试乙,{SyntheticIds.Id(21)},,Visitor,{RegistryWorld.GridC}\r\n";

        var report = await ImportAsync(world, db, csv, atomic: true);

        Assert.Equal((2, 2, 0), (report.Rows, report.Imported, report.Errors.Count));
        Assert.Equal(2, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Duplicates_are_found_across_batches(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var csv = new StringBuilder("name,id_number,residency,home_grid\r\n");
        for (var n = 0; n < ImportPersons.BatchSize + 1; n++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"测试甲,{SyntheticIds.Id(n)},Permanent,{RegistryWorld.GridA}\r\n");
        }

        csv.Append(CultureInfo.InvariantCulture, $"测试乙,{SyntheticIds.Id(0)},Permanent,{RegistryWorld.GridA}\r\n");

        var report = await ImportAsync(world, db, csv.ToString(), atomic: false);

        var duplicate = Assert.Single(report.Errors);
        Assert.Equal((ImportPersons.BatchSize + 3, "person.duplicate_in_file"), (duplicate.Row, duplicate.Code));
        Assert.Equal("身份证号与第 2 行相同，本行未导入。", duplicate.Message);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_names_no_one(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var report = await ImportFixtureAsync(world, db, atomic: false);

        var text = string.Join("\n", report.Errors.Select(e => e.Message));
        var fixture = await File.ReadAllLinesAsync(MixedFixture, Ct);
        var identifiers = fixture.Skip(1).SelectMany(line => line.Split(',').Take(2)).Where(v => v.Length > 0);
        Assert.DoesNotContain(identifiers, v => text.Contains(v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_required_column_is_reported_on_row_1()
    {
        await using var world = await RegistryWorld.CreateAsync(StoreKind.Sqlite);
        await using var db = world.NewContext();

        var report = await ImportAsync(world, db, "name,phone\r\n测试甲,13900000000\r\n", atomic: false);

        Assert.Equal(["1 id_number import.missing_column", "1 residency import.missing_column"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gbk_file_is_reported_as_not_utf8(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var text = "姓名,身份证号,手机号,人口类别,居住网格\r\n" + $"测试甲,{SyntheticIds.Id(1)},,常住人口,{RegistryWorld.GridA}\r\n";

        var report = await ImportBytesAsync(world, db, Gb18030.Bytes(text), atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((1, null, "import.not_utf8"), (error.Row, error.Field, error.Code));
        Assert.Contains("CSV UTF-8", error.Message);
        Assert.Equal(0, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rows_before_gbk_bytes_are_imported(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        byte[] csv =
        [
            .. Encoding.UTF8.GetBytes($"name,id_number,residency\r\n测试甲,{SyntheticIds.Id(1)},Permanent\r\n测试乙,{SyntheticIds.Id(2)},Permanent\r\n"),
            .. Gb18030.Bytes($"测试丙,{SyntheticIds.Id(3)},Permanent\r\n"),
        ];

        var report = await ImportBytesAsync(world, db, csv, atomic: false);

        Assert.Equal((2, 2, false), (report.Rows, report.Imported, report.RolledBack));
        Assert.Equal(["4  import.not_utf8"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal(2, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Atomic_import_with_gbk_bytes_loads_nothing(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        byte[] csv =
        [
            .. Encoding.UTF8.GetBytes($"name,id_number,residency\r\n测试甲,{SyntheticIds.Id(1)},Permanent\r\n"),
            .. Gb18030.Bytes($"测试乙,{SyntheticIds.Id(2)},Permanent\r\n"),
        ];

        var report = await ImportBytesAsync(world, db, csv, atomic: true);

        Assert.Equal((0, true), (report.Imported, report.RolledBack));
        Assert.Equal(["3  import.not_utf8"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal(0, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Utf8_file_with_bom_imports(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var text = "\uFEFF姓名,身份证号,人口类别\r\n" + $"测试甲,{SyntheticIds.Id(1)},常住人口\r\n";

        var report = await ImportBytesAsync(world, db, Encoding.UTF8.GetBytes(text), atomic: false);

        Assert.Empty(report.Errors);
        Assert.Equal(1, report.Imported);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unclosed_quote_is_reported_on_its_line(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var csv = $"name,id_number,residency\n测试甲,{SyntheticIds.Id(1)},Permanent\n\"测试乙,{SyntheticIds.Id(2)},Permanent\n"
                  + $"测试丙,{SyntheticIds.Id(3)},Permanent\n";

        var report = await ImportAsync(world, db, csv, atomic: false);

        Assert.Equal(["3  import.unclosed_quote"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal((1, 1), (report.Rows, report.Imported));
        Assert.Equal(1, await db.Persons.CountAsync(Ct));
    }

    [Fact]
    public async Task Empty_id_number_is_reported_as_required()
    {
        await using var world = await RegistryWorld.CreateAsync(StoreKind.Sqlite);
        await using var db = world.NewContext();

        var report = await ImportAsync(world, db, "name,id_number,residency\n测试甲,,Permanent\n", atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((2, ImportPersons.IdNumberColumn, "person.id_number_required", "请填写身份证号码。"), (error.Row, error.Field, error.Code, error.Message));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Row_with_extra_field_is_rejected_alone(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var csv = $"name,id_number,residency\n测试甲,{SyntheticIds.Id(1)},Permanent\n测试乙,{SyntheticIds.Id(2)},Permanent,extra\n";

        var report = await ImportAsync(world, db, csv, atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((3, null, CsvImportReader.ExtraFieldsCode), (error.Row, error.Field, error.Code));
        Assert.Contains("每行应只有这些列：name,id_number,phone,residency,home_grid。", error.Message, StringComparison.Ordinal);
        Assert.Equal((2, 1), (report.Rows, report.Imported));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unknown_header_column_rejects_the_file(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var csv = $"姓名,身份证号,人口类别,备注\n测试甲,{SyntheticIds.Id(1)},常住人口,\n";

        var report = await ImportAsync(world, db, csv, atomic: false);

        var error = Assert.Single(report.Errors);
        Assert.Equal((1, null, CsvImportReader.UnknownColumnCode), (error.Row, error.Field, error.Code));
        Assert.StartsWith("列名行的第 4 列“备注”不是本导入的列", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await db.Persons.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Control_characters_reject_the_row(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var report = await ImportAsync(world, db,
            $"name,id_number,residency\n测试甲,{SyntheticIds.Id(1)},Permanent\n测\u0000试乙,{SyntheticIds.Id(2)},Perma\u0007nent\n", atomic: false);

        Assert.Equal(["3 name import.invalid_characters", "3 residency import.invalid_characters"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal(1, report.Imported);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Future_birth_date_rejects_the_row(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var report = await ImportAsync(world, db,
            $"name,id_number,residency\n测试甲,{SyntheticIds.Id(1)},Permanent\n测试乙,{SyntheticIds.BornOn(new DateOnly(2099, 12, 31), 2)},Permanent\n" +
            $"测试丙,{SyntheticIds.BornOn(new DateOnly(9999, 12, 31), 3)},Permanent\n", atomic: false);

        Assert.Equal(["3 id_number privacy.id_number_invalid", "4 id_number privacy.id_number_invalid"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal(1, report.Imported);
    }

    [Fact]
    public async Task Atomic_import_reports_concurrent_registration_as_duplicate()
    {
        // PostgreSQL only: on SQLite the atomic import's transaction begins IMMEDIATE and holds the
        // write lock, so a concurrent registration waits for the import instead of racing it.
        await using var world = await RegistryWorld.CreateAsync(StoreKind.Postgres);
        await using var db = world.NewContext();
        long? raced = null;
        db.SavingChanges += (_, _) => raced ??= Task.Run(() => world.RegisterAsync(2)).GetAwaiter().GetResult();

        var report = await ImportAsync(world, db,
            $"name,id_number,residency\n测试甲,{SyntheticIds.Id(1)},Permanent\n测试乙,{SyntheticIds.Id(2)},Permanent\n", atomic: true);

        Assert.True(report.RolledBack);
        Assert.Equal(["3 id_number person.duplicate"], report.Errors.Select(e => $"{e.Row} {e.Field} {e.Code}"));
        Assert.Equal([raced!.Value], await db.Persons.Select(p => p.Key).ToListAsync(Ct));
    }

    [Fact]
    public async Task Import_is_for_epidemic_officers_only()
    {
        await using var world = await RegistryWorld.CreateAsync(StoreKind.Sqlite);
        await using var db = world.NewContext();
        await using var csv = File.OpenRead(MixedFixture);

        var result = await world.Importer(db).ImportAsync(csv, atomic: false, world.Cases.Admin, Ct);

        Assert.Equal("person.forbidden", result.Error?.Code);
    }

    private static async Task<PersonImportReport> ImportFixtureAsync(RegistryWorld world, ShanzhiDbContext db, bool atomic)
    {
        await using var csv = File.OpenRead(MixedFixture);
        var result = await world.Importer(db).ImportAsync(csv, atomic, world.CityOfficer, Ct);
        return result.Value ?? throw new InvalidOperationException(result.Error?.Detail);
    }

    private static Task<PersonImportReport> ImportAsync(RegistryWorld world, ShanzhiDbContext db, string text, bool atomic) =>
        ImportBytesAsync(world, db, Encoding.UTF8.GetBytes(text), atomic);

    private static async Task<PersonImportReport> ImportBytesAsync(RegistryWorld world, ShanzhiDbContext db, byte[] bytes, bool atomic)
    {
        await using var csv = new MemoryStream(bytes);
        var result = await world.Importer(db).ImportAsync(csv, atomic, world.CityOfficer, Ct);
        return result.Value ?? throw new InvalidOperationException(result.Error?.Detail);
    }
}
