using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cli.Commands;
using Shanzhi.Tests.Cli;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>Runs <c>shanzhi import persons</c> in process against a test store.</summary>
public sealed class ImportPersonsCommandTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Import_lists_bad_rows_by_code(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = Path.Combine(store.Options.FullDataDirectory, "persons.csv");
        await File.WriteAllTextAsync(file,
            "name,id_number,phone,residency,home_grid\r\n"
            + $"测试甲,{SyntheticIds.Id(30)},13900000030,Floating,\r\n"
            + $"测试乙,{SyntheticIds.WithBadCheckDigit(31)},,Visitor,\r\n",
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync(store, [ImportCommand()], "import", "persons", file);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("读取 2 行：导入 1 人，出错 1 行。", run.Output);
        Assert.Contains("第 3 行（id_number）：身份证号码无效", run.Output);
        Assert.DoesNotContain(SyntheticIds.WithBadCheckDigit(31), run.Output, StringComparison.Ordinal);
        await using var db = store.NewContext();
        Assert.Equal(1, await db.Persons.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gbk_error_names_its_line_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = Path.Combine(store.Options.FullDataDirectory, "persons.csv");
        await File.WriteAllBytesAsync(file,
        [
            .. Encoding.UTF8.GetBytes($"name,id_number,residency\r\n测试甲,{SyntheticIds.Id(32)},Permanent\r\n"),
            .. Gb18030.Bytes($"测试乙,{SyntheticIds.Id(33)},Permanent\r\n"),
        ], TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync(store, [ImportCommand()], "import", "persons", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("第 3 行：从该行起的内容不是 UTF-8 编码，导入在此停止。", run.Output);
        Assert.Contains("[import.not_utf8]", run.Output);
        Assert.DoesNotContain("第 3 行：第 3 行", run.Output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Json_report_lists_counts_and_errors(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = Path.Combine(store.Options.FullDataDirectory, "persons.csv");
        await File.WriteAllTextAsync(file,
            "name,id_number,phone,residency,home_grid\r\n"
            + $"测试甲,{SyntheticIds.Id(34)},13900000034,Floating,\r\n"
            + $"测试乙,{SyntheticIds.WithBadCheckDigit(35)},,Visitor,\r\n",
            TestContext.Current.CancellationToken);

        var run = await CliRun.RunAsync(store, [ImportCommand()], "import", "persons", file, "--json");

        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("rows").GetInt32());
        Assert.Equal(1, root.GetProperty("imported").GetInt32());
        Assert.Equal(1, root.GetProperty("failedRows").GetInt32());
        Assert.False(root.GetProperty("rolledBack").GetBoolean());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("privacy.id_number_invalid", error.GetProperty("code").GetString());
        Assert.Equal("id_number", error.GetProperty("field").GetString());
        Assert.StartsWith("身份证号码无效", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Missing_column_rejects_the_file_without_counting_a_failed_row(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var file = Path.Combine(store.Options.FullDataDirectory, "persons.csv");
        await File.WriteAllTextAsync(file, $"name,residency\r\n测试甲,Permanent\r\n", TestContext.Current.CancellationToken);

        var text = await CliRun.RunAsync(store, [ImportCommand()], "import", "persons", file);
        var json = await CliRun.RunAsync(store, [ImportCommand()], "import", "persons", file, "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("整个文件未导入，未读取任何数据行，原因如下：", text.Output, StringComparison.Ordinal);
        Assert.Contains("第 1 行（id_number）：文件缺少必需的列“id_number”", text.Output);
        Assert.DoesNotContain("出错", text.Output);
        using var report = JsonDocument.Parse(json.Output);
        Assert.True(report.RootElement.GetProperty("fileRejected").GetBoolean());
        Assert.Equal(0, report.RootElement.GetProperty("failedRows").GetInt32());
        Assert.Equal("import.missing_column", Assert.Single(report.RootElement.GetProperty("errors").EnumerateArray()).GetProperty("code").GetString());
    }

    private static Command ImportCommand() => new("import") { ImportPersonsCommand.Create() };
}
