using System.CommandLine;

namespace Shanzhi.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "创建或升级数据库结构，并写入默认区划、事件分类与工作日历。");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var existed = CliHost.StoreExists(parse);
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            Console.WriteLine(existed ? "数据库结构已升级到最新版本（原已是最新时不作改动）。" : "已创建数据库，并写入默认区划、事件分类与工作日历。");
            return 0;
        });
        return command;
    }
}
