using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cli.Commands;
using Shanzhi.Epidemic;
using Shanzhi.Privacy;
using Shanzhi.Tests.Cli;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary><c>shanzhi import passages FILE</c> over both stores.</summary>
public sealed class ImportPassagesCommandTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_stores_once_and_lists_bad_rows(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var person = await StorePersons.RegisterAsync(store);
        var day = RecentDay();
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] lines =
        [
            Header,
            $"{device},1,{date} 08:00:00,In,{person},Pass,,Green",
            $"{device},2,{date}T00:05:00Z,Out,,ManualCheck,VisitorArrival,",
            $"{device},2,{date}T00:05:00Z,Out,,ManualCheck,VisitorArrival,",
            $"{device},3,{date} 08:10:00,Sideways,42,Pass,,",
            $"999,4,{date} 08:10:00,In,{person},Pass,,",
            $"{device},5,{date} 08:15:00,In,{person + 1},Pass,,",
        ];

        var (exitCode, output) = await ImportAsync(store, lines);
        var again = await ImportAsync(store, lines);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 6 行：新入库 2 条，重复 1 条（此前已入库或文件内重复），出错 3 行。", output);
        Assert.Contains("第 5 行（direction）", output);
        Assert.Contains("第 6 行（device_id）", output);
        Assert.Contains("第 7 行（person_key）", output);
        Assert.Contains("新入库 0 条，重复 3 条", again.Output);
        await using var db = store.NewContext();
        var stored = await db.Passages.OrderBy(p => p.DeviceSequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(day.ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero)],
            stored.Select(p => p.OccurredAt));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reused_sequence_is_listed_as_error(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();
        await ImportAsync(store, [Header, $"{device},1,{date} 08:00:00,In,,Pass,,"]);

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,Out,,Pass,,",
            $"{device},2,{date} 08:05:00,In,,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("新入库 1 条，重复 0 条", output);
        Assert.Contains("第 2 行（sequence）：设备已用流水号 1 上报过另一条通行记录", output);
        Assert.Contains("[passage.sequence_reused]", output);
        await using var db = store.NewContext();
        Assert.Equal(PassageDirection.In, await db.Passages.Where(p => p.DeviceSequence == 1).Select(p => p.Direction).SingleAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unparsable_values_are_named_per_row(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},2,2026-13-45 08:00:00,In,,Pass,,",
            $"{device},x7,{date} 08:05:00,In,,Pass,,",
            $"{device},,{date} 08:06:00,In,,Pass,,",
            $"{device},5,{date} 08:07:00,In,,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 5 行：新入库 2 条，重复 0 条（此前已入库或文件内重复），出错 3 行。", output);
        Assert.Contains("第 3 行（occurred_at）：通行时间“2026-13-45 08:00:00”无效", output);
        Assert.Contains("第 4 行（sequence）：设备序号“x7”无效", output);
        Assert.Contains("第 5 行（sequence）：缺少设备序号", output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rows_past_retention_are_rejected_alone(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();
        var tooOld = DateTimeOffset.UtcNow.AddDays(-(RetentionOptions.MovementDays + 1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},2,{tooOld},In,,Pass,,",
            $"{device},3,{date} 08:05:00,Out,,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 3 行：新入库 2 条，重复 0 条（此前已入库或文件内重复），出错 1 行。", output);
        Assert.Contains("第 3 行（occurred_at）：通行时间早于 28 天前。通行记录只保存 28 天", output);
        await using var db = store.NewContext();
        Assert.Equal([1L, 3L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gbk_line_stops_the_import_after_earlier_rows(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();
        byte[] csv =
        [
            .. Encoding.UTF8.GetBytes($"{Header}\n{device},1,{date} 08:00:00,In,,Pass,,\n"),
            .. Gb18030.Bytes($"{device},2,{date} 08:05:00,进,,Pass,,\n"),
        ];

        var (exitCode, output) = await ImportAsync(store, csv);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 1 行：新入库 1 条", output);
        Assert.Contains("第 3 行：从该行起的内容不是 UTF-8 编码", output);
        Assert.Contains("[import.not_utf8]", output);
        Assert.DoesNotContain("第 3 行：第 3 行", output);
        await using var db = store.NewContext();
        Assert.Equal(1, await db.Passages.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unclosed_quote_names_its_line(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},2,{date} 08:05:00,In,,\"Pass,,",
            $"{device},3,{date} 08:06:00,In,,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 1 行：新入库 1 条", output);
        Assert.Contains("第 3 行：该行有一个以英文双引号（\"）开始的字段没有结束引号", output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Error_lines_show_line_code_and_message_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,Sideways,,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("第 2 行（direction）：direction 的值无效，应为 In（进）或 Out（出）。 [passage.invalid_field]\n", output.ReplaceLineEndings("\n"));
        Assert.Single(output.ReplaceLineEndings("\n").Split('\n'), l => l.Contains("第 2 行", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Json_report_lists_counts_and_errors(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},2,{date} 08:05:00,Sideways,,Pass,,",
        ], "--json");

        Assert.Equal(1, exitCode);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("rows").GetInt32());
        Assert.Equal(1, root.GetProperty("accepted").GetInt32());
        Assert.Equal(1, root.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, root.GetProperty("failedRows").GetInt32());
        Assert.False(root.GetProperty("fileRejected").GetBoolean());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Equal("passage.invalid_field", error.GetProperty("code").GetString());
        Assert.Equal("direction", error.GetProperty("field").GetString());
        Assert.StartsWith("direction 的值无效", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Row_with_extra_field_is_rejected_alone(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,,Pass,,",
            $"{device},2,{date} 08:05:00,In,,Pass,,,extra",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("读取 2 行：新入库 1 条，重复 0 条（此前已入库或文件内重复），出错 1 行。", output);
        Assert.Contains("第 3 行：该行有 9 列，比列名行多 1 列，本行未导入。每行应只有这些列：device_id,sequence,occurred_at,direction,person_key,decision,channel,status。", output);
        Assert.Contains("[import.extra_fields]", output);
        await using var db = store.NewContext();
        Assert.Equal([1L], await db.Passages.Select(p => p.DeviceSequence).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Empty_file_is_reported_as_empty(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var (exitCode, output) = await ImportAsync(store, Array.Empty<byte>(), "--json");

        Assert.Equal(1, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("fileRejected").GetBoolean());
        Assert.Equal(0, json.RootElement.GetProperty("failedRows").GetInt32());
        var error = Assert.Single(json.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
        Assert.Equal("import.empty_file", error.GetProperty("code").GetString());
        Assert.Equal("文件为空：缺少列名行和数据行。", error.GetProperty("message").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unknown_header_column_rejects_the_file(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header + ",note",
            $"{device},1,{date} 08:00:00,In,,Pass,,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("整个文件未导入，未读取任何数据行，原因如下：", output, StringComparison.Ordinal);
        Assert.DoesNotContain("出错", output);
        Assert.Contains("第 1 行：列名行的第 9 列“note”不是本导入的列，整个文件未导入。", output);
        Assert.Contains("[import.unknown_column]", output);
        await using var db = store.NewContext();
        Assert.Equal(0, await db.Passages.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Person_key_errors_say_to_leave_the_cell_empty(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var device = await RegisterDeviceAsync(store);
        var date = RecentDate();

        var (exitCode, output) = await ImportAsync(store,
        [
            Header,
            $"{device},1,{date} 08:00:00,In,987654321,Pass,,",
            $"{device},2,{date} 08:05:00,In,abc,Pass,,",
        ]);

        Assert.Equal(1, exitCode);
        Assert.Contains("第 2 行（person_key）：人员标识 987654321 不在人口登记库中，本条未接收。请核对人员标识；未识别人员请将 person_key 列留空。 [passage.unknown_person]", output);
        Assert.Contains("第 3 行（person_key）：人员标识必须为正整数；未识别人员请将 person_key 列留空。", output);
        Assert.DoesNotContain("省略", output);
    }

    private const string Header = "device_id,sequence,occurred_at,direction,person_key,decision,channel,status";

    /// <summary>A UTC date two days back, so its rows are inside the movement retention that the import enforces.</summary>
    private static DateOnly RecentDay() => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);

    /// <summary><see cref="RecentDay"/> as the import's date format, yyyy-MM-dd.</summary>
    private static string RecentDate() => RecentDay().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Writes <paramref name="lines"/> as the UTF-8 file passages.csv and runs <c>import passages</c> on it with <paramref name="options"/>.</summary>
    private static async Task<(int ExitCode, string Output)> ImportAsync(TestStore store, IEnumerable<string> lines, params string[] options)
    {
        var file = CsvPath(store);
        await File.WriteAllLinesAsync(file, lines, TestContext.Current.CancellationToken);
        return await RunImportAsync(store, file, options);
    }

    /// <summary>Writes <paramref name="content"/> byte for byte as passages.csv and runs <c>import passages</c> on it with <paramref name="options"/>.</summary>
    private static async Task<(int ExitCode, string Output)> ImportAsync(TestStore store, byte[] content, params string[] options)
    {
        var file = CsvPath(store);
        await File.WriteAllBytesAsync(file, content, TestContext.Current.CancellationToken);
        return await RunImportAsync(store, file, options);
    }

    private static string CsvPath(TestStore store) => Path.Combine(store.Options.FullDataDirectory, "passages.csv");

    private static async Task<(int ExitCode, string Output)> RunImportAsync(TestStore store, string file, string[] options)
    {
        var (exitCode, output, _) = await CliRun.RunAsync(store, [ImportPassagesCommand.Create()], ["passages", file, .. options]);
        return (exitCode, output);
    }

    private static async Task<long> RegisterDeviceAsync(TestStore store)
    {
        await using var db = store.NewContext();
        var place = new Place { Name = "测试小区", Kind = PlaceKind.ResidentialCompound, GridCode = "g", RegionPath = "/g/" };
        db.Places.Add(place);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var entrance = new Entrance { PlaceId = place.Id, Name = "南门" };
        db.Entrances.Add(entrance);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var device = new Device { EntranceId = entrance.Id, Label = "南门闸机", ApiKeyHash = Device.HashApiKey("k") };
        db.Devices.Add(device);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return device.Id;
    }
}
