using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy;

namespace Shanzhi.Cli.Commands;

/// <summary><c>shanzhi audit verify</c>: walks the audit hash chain; exit 0 when intact, 1 at the first bad record.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var verify = new Command("verify", "校验审计日志哈希链：逐条核对序号、前序哈希和记录哈希，发现被修改或删除的记录时返回 1。");
        verify.SetAction(async (parse, cancellationToken) =>
        {
            if (!CliHost.StoreExists(parse))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(CliHost.MissingStoreMessage(parse));
                return 2;
            }

            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync(cancellationToken);
            if (result.IsIntact)
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"审计日志完整：共 {result.Checked} 条记录，哈希链校验通过。"));
                return 0;
            }

            await parse.InvocationConfiguration.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"审计日志校验失败：第 {result.FirstBadSequence} 条记录{result.Reason}。此前 {result.Checked} 条记录完好。请保全数据库现场并报告安全管理员。"));
            return 1;
        });

        return new Command("audit", "审计日志维护。") { verify };
    }
}
