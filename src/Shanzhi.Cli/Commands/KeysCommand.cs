using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi keys list | rotate [--batch N] [--algorithm …] | reencrypt [--batch N]</c>: the field-encryption key ring.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "管理个人信息字段加密密钥（密钥环保存在数据库之外）。");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Reencrypt());
        return command;
    }

    private static Option<int> BatchOption() => new("--batch")
    {
        Description = "每个事务重新加密的行数，默认 500。",
        DefaultValueFactory = _ => 500,
    };

    private static Command List()
    {
        var command = new Command("list", "列出密钥编号、用途、算法、创建时间与状态（不显示密钥本身）。");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync("编号\t用途\t算法\t创建时间（北京时间）\t状态");
            foreach (var key in services.GetRequiredService<IKeyStore>().Current.Keys.OrderBy(k => k.Id))
            {
                await output.WriteLineAsync(string.Join('\t',
                    key.Id.ToString(CultureInfo.InvariantCulture),
                    key.Purpose == KeyPurpose.Encryption ? "字段加密" : "盲索引",
                    AlgorithmName(key.Algorithm),
                    ShanghaiTime.ToLocal(key.CreatedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    key.Active ? "当前使用" : "已停用（仅解密旧数据）"));
            }

            return 0;
        });
        return command;
    }

    private static Command Rotate()
    {
        var batch = BatchOption();
        var algorithm = new Option<KeyAlgorithm?>("--algorithm")
        {
            Description = "新密钥的算法：Aes256Gcm 或 Sm4Gcm。默认沿用当前加密密钥的算法。",
        };
        var command = new Command("rotate", "创建新的字段加密密钥并设为当前密钥，然后把已登记的加密字段分批改用新密钥加密。平台运行时可执行；中断后用 keys reencrypt 继续。")
        {
            batch,
            algorithm,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(algorithm) is KeyAlgorithm.HmacSha256)
            {
                await error.WriteLineAsync("--algorithm 只能是 Aes256Gcm 或 Sm4Gcm：盲索引密钥暂不支持轮换。");
                return 1;
            }

            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            var keys = services.GetRequiredService<IKeyStore>();
            var chosen = parse.GetValue(algorithm) ?? keys.Current.Active(KeyPurpose.Encryption).Algorithm;
            var key = keys.Rotate(chosen);
            await parse.InvocationConfiguration.Output.WriteLineAsync(
                $"已创建新的字段加密密钥 #{key.Id}（{AlgorithmName(key.Algorithm)}），并设为当前密钥。旧密钥保留，用于解密尚未改写的数据。");
            if (services.GetService<IAuditLog>() is { } audit)
            {
                await audit.AppendAsync(new AuditEntry(AuditAction.KeyRotated, null, "命令行", "key", key.Id.ToString(CultureInfo.InvariantCulture)), cancellationToken);
            }

            return await ReencryptAsync(services, parse, parse.GetValue(batch), cancellationToken);
        });
        return command;
    }

    private static Command Reencrypt()
    {
        var batch = BatchOption();
        var command = new Command("reencrypt", "把仍由旧密钥加密的已登记字段改用当前密钥加密（用于续完中断的轮换）。") { batch };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            return await ReencryptAsync(services, parse, parse.GetValue(batch), cancellationToken);
        });
        return command;
    }

    private static async Task<int> ReencryptAsync(IServiceProvider services, ParseResult parse, int batch, CancellationToken cancellationToken)
    {
        if (batch < 1)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"--batch 的值 {batch} 无效：应为正整数，例如 500。");
            return 1;
        }

        var report = await services.GetRequiredService<ReencryptFields>().RunAsync(batch, cancellationToken);
        var output = parse.InvocationConfiguration.Output;
        foreach (var (field, scanned, rewritten) in report.Fields)
        {
            await output.WriteLineAsync($"{field.Table}.{field.CiphertextColumn}：检查 {scanned} 行，改写 {rewritten} 行。");
        }

        await output.WriteLineAsync(report.Fields.Count == 0
            ? "没有已登记的加密字段，无需改写。"
            : $"重新加密完成：共改写 {report.Rewritten} 行。");
        return 0;
    }

    private static string AlgorithmName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.Aes256Gcm => "AES-256-GCM",
        KeyAlgorithm.Sm4Gcm => "SM4-GCM",
        KeyAlgorithm.HmacSha256 => "HMAC-SHA256",
        _ => algorithm.ToString(),
    };
}
