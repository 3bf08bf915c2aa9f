using Shanzhi.Cli.Commands;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cli;

/// <summary>Runs <c>shanzhi keys …</c> in process against a test store.</summary>
public sealed class KeysCommandTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rotate_adds_an_active_key_and_list_shows_the_old_one_retired(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);

        var rotate = await RunAsync(store, "keys", "rotate", "--algorithm", "Sm4Gcm", "--batch", "50");
        var list = await RunAsync(store, "keys", "list");

        Assert.Equal(0, rotate.ExitCode);
        Assert.StartsWith("已创建新的字段加密密钥 #3（SM4-GCM）", rotate.Output);
        Assert.Equal(0, list.ExitCode);
        var lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            ["1\t字段加密\tAES-256-GCM\t已停用（仅解密旧数据）", "2\t盲索引\tHMAC-SHA256\t当前使用", "3\t字段加密\tSM4-GCM\t当前使用"],
            lines.Skip(1).Select(WithoutCreationTime));
    }

    [Fact]
    public async Task Reencrypt_with_zero_batch_is_refused_in_chinese()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);

        var reencrypt = await RunAsync(store, "keys", "reencrypt", "--batch", "0");

        Assert.Equal(1, reencrypt.ExitCode);
        Assert.Contains("--batch 的值 0 无效", reencrypt.Error);
    }

    private static string WithoutCreationTime(string line)
    {
        var cells = line.Split('\t');
        return string.Join('\t', cells[0], cells[1], cells[2], cells[4]);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunAsync(TestStore store, params string[] args) =>
        CliRun.RunAsync(store, [KeysCommand.Create()], args);
}
