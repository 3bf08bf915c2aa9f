using System.CommandLine;
using System.Text;
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

    private static Command ImportCommand() => new("import") { ImportPersonsCommand.Create() };
}
