using System.Diagnostics;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary>
/// Runs the CLI (<c>dotnet shanzhi.dll</c> from the test's output folder) as a separate process
/// over a test store, as an operator runs it beside the web server.
/// </summary>
internal static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TestStore store, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "shanzhi.dll") },

            // The store's folder has no appsettings.json, so only the options below choose the store.
            WorkingDirectory = store.Options.FullDataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(store.Options.FullDataDirectory);
        if (store.Kind == StoreKind.Postgres)
        {
            start.ArgumentList.Add("--provider");
            start.ArgumentList.Add(nameof(StorageProvider.Postgres));
            start.ArgumentList.Add("--connection");
            start.ArgumentList.Add(store.Options.ConnectionString!);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"shanzhi {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, await output, await error);
    }
}
