using System.CommandLine;
using System.Globalization;
using Shanzhi.Cli;
using Shanzhi.Cli.Commands;

// The command's own texts are Chinese; System.CommandLine's built-in ones ("Usage", "Options",
// parse errors) follow the UI culture, which is invariant on a server with LANG=C.
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

var root = new RootCommand("善治 Shanzhi 城市治理平台命令行：导入、指标、维护。");
root.Options.Add(CliHost.DataOption);
root.Options.Add(CliHost.ProviderOption);
root.Options.Add(CliHost.ConnectionOption);

var import = new Command("import", "导入数据（区划图层、历史案件、人口登记、通行记录）。");
import.Subcommands.Add(ImportRegionsCommand.Create());
import.Subcommands.Add(ImportCasesCommand.Create());
import.Subcommands.Add(ImportPassagesCommand.Create());
import.Subcommands.Add(ImportPersonsCommand.Create());
root.Subcommands.Add(import);
root.Subcommands.Add(KpiCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(AuditCommand.Create());
root.Subcommands.Add(KeysCommand.Create());

return await root.Parse(args).InvokeAsync();
