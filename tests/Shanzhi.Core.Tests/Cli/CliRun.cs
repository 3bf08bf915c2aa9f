using System.CommandLine;
using Shanzhi.Cli;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cli;

/// <summary>Runs CLI commands in process against a test store, capturing output and error.</summary>
internal static class CliRun
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TestStore store, IEnumerable<Command> commands, params string[] args)
    {
        var root = new RootCommand { CliHost.DataOption, CliHost.ProviderOption, CliHost.ConnectionOption };
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        string[] storeArgs = store.Kind == StoreKind.Sqlite
            ? ["--data", store.Options.FullDataDirectory]
            : ["--provider", nameof(StorageProvider.Postgres), "--connection", store.Options.ConnectionString!, "--data", store.Options.FullDataDirectory];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse([.. args, .. storeArgs]).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
            TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
