using System.CommandLine;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Cli.Commands;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Tests.Cases.Import;

namespace Shanzhi.Tests.Cli;

/// <summary>Runs <c>shanzhi import cases</c> and <c>shanzhi kpi</c> in process against a test store.</summary>
public sealed class CaseCommandsTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task La311_fixture_imports_and_kpi_json_counts_it(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            await TestCatalog.EnsureAsync(db, TestContext.Current.CancellationToken);
        }

        var import = await RunAsync(store, "import", "cases", "--format", "la311", La311Csv.FixturePath);
        var kpi = await RunAsync(store, "kpi", "--json");

        Assert.Equal(0, import.ExitCode);
        Assert.StartsWith("读取 9999 行：导入 9999 条，跳过 0 条（此前已导入或文件内重复），出错 0 行。", import.Output);
        Assert.Equal(0, kpi.ExitCode);
        using var json = JsonDocument.Parse(kpi.Output);
        var total = json.RootElement.GetProperty("total");
        var states = total.GetProperty("stateCounts");
        Assert.Equal(9999, total.GetProperty("reported").GetInt32());
        Assert.Equal(9739, total.GetProperty("closed").GetInt32());
        Assert.Equal(9739, states.GetProperty("closed").GetInt32());
        Assert.Equal(246, states.GetProperty("rejected").GetInt32());
        Assert.Equal(9, states.GetProperty("returned").GetInt32());
        Assert.Equal(5, states.GetProperty("dispatched").GetInt32());
        Assert.Equal(14, total.GetProperty("open").GetInt32());

        await using var check = store.NewContext();
        var stored = await check.Cases.GroupBy(c => c.State).ToDictionaryAsync(g => g.Key, g => g.Count(), TestContext.Current.CancellationToken);
        Assert.Equal(9739, stored[CaseState.Closed]);
        Assert.Equal(246, stored[CaseState.Rejected]);
        Assert.Equal(9, stored[CaseState.Returned]);
        Assert.Equal(5, stored[CaseState.Dispatched]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_with_bad_rows_exits_with_1_and_lists_them(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = await WriteBadDateFileAsync(store);

        var import = await RunAsync(store, "import", "cases", "--format", "la311", file);

        Assert.Equal(1, import.ExitCode);
        Assert.Contains("导入 1 条", import.Output);
        Assert.Contains("第 3 行（CreatedDate）：无法识别的时间“31/12/2017”", import.Output);
        Assert.Contains("[case_import.invalid_date]", import.Output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_json_report_lists_bad_rows(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = await WriteBadDateFileAsync(store);

        var import = await RunAsync(store, "import", "cases", "--format", "la311", file, "--json");

        Assert.Equal(1, import.ExitCode);
        using var json = JsonDocument.Parse(import.Output);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("rows").GetInt32());
        Assert.Equal(1, root.GetProperty("imported").GetInt32());
        Assert.Equal(1, root.GetProperty("failedRows").GetInt32());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("CreatedDate", error.GetProperty("field").GetString());
        Assert.Equal("case_import.invalid_date", error.GetProperty("code").GetString());
        Assert.StartsWith("无法识别的时间“31/12/2017”", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Empty_file_is_rejected_without_counting_a_failed_row(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = Path.Combine(store.Options.FullDataDirectory, "empty.csv");
        await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);

        var text = await RunAsync(store, "import", "cases", "--format", "la311", file);
        var json = await RunAsync(store, "import", "cases", "--format", "la311", file, "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("整个文件未导入，未读取任何数据行，原因如下：", text.Output, StringComparison.Ordinal);
        Assert.Contains("第 1 行：文件为空：缺少列名行和数据行。 [import.empty_file]", text.Output);
        Assert.DoesNotContain("出错", text.Output);
        using var report = JsonDocument.Parse(json.Output);
        Assert.True(report.RootElement.GetProperty("fileRejected").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("failedRows").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Kpi_table_groups_by_month_in_chinese(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var kpi = await RunAsync(store, "kpi", "--from", "2016-12-01", "--to", "2016-12-31", "--group-by", "month");

        Assert.Equal(0, kpi.ExitCode);
        Assert.Contains("统计期：2016-12-01 至 2016-12-31（北京时间）", kpi.Output);
        Assert.Contains("按期结案率", kpi.Output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Kpi_rejects_unknown_scope(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var kpi = await RunAsync(store, "kpi", "--scope", "999999");

        Assert.Equal(1, kpi.ExitCode);
        Assert.Contains("未找到区划代码“999999”", kpi.Error);
    }

    /// <summary>Loads the category catalogue and writes a file whose second request (line 3) has a day-first date.</summary>
    private static async Task<string> WriteBadDateFileAsync(TestStore store)
    {
        await using (var db = store.NewContext())
        {
            await TestCatalog.EnsureAsync(db, TestContext.Current.CancellationToken);
        }

        var file = Path.Combine(store.Options.FullDataDirectory, "bad.csv");
        await using var stream = new La311Csv().Row("1-1").Row("1-2", ("CreatedDate", "31/12/2017")).ToStream();
        await using var target = File.Create(file);
        await stream.CopyToAsync(target, TestContext.Current.CancellationToken);
        return file;
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(TestStore store, params string[] args) =>
        CliRun.RunAsync(store, [new Command("import") { ImportCasesCommand.Create() }, KpiCommand.Create()], args);
}
