using System.CommandLine;

namespace Shanzhi.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "创建或升级数据库结构，并写入默认区划、事件分类与工作日历。");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await CliHost.StartAsync(parse, cancellationToken);
            Console.WriteLine("数据库已是最新结构。");
            return 0;
        });
        return command;
    }
}
