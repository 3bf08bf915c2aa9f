using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary>
/// The real web host as a child process (<c>dotnet Shanzhi.Web.dll</c> from the test's output
/// folder) on a free loopback port over a test store, for tests that must kill it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts the host and waits until it is ready; the address goes in <c>--urls</c>, or in ASPNETCORE_URLS when <paramref name="addressInEnvironment"/>.</summary>
    public static async Task<ServerProcess> StartAsync(TestStore store, bool addressInEnvironment = false)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Shanzhi.Web.dll") },
            WorkingDirectory = store.Options.FullDataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (addressInEnvironment)
        {
            start.Environment["ASPNETCORE_URLS"] = address.ToString();
        }
        else
        {
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(address.ToString());
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["SHANZHI_Storage__Provider"] = store.Options.Provider.ToString();
        start.Environment["SHANZHI_Storage__DataDirectory"] = store.Options.FullDataDirectory;
        start.Environment["SHANZHI_Storage__ConnectionString"] = store.Options.ConnectionString ?? "";
        start.Environment["SHANZHI_Bootstrap__AdminPassword"] = PlatformFactory.AdminPassword;
        start.Environment["SHANZHI_Logging__LogLevel__Default"] = "Warning";

        var server = new ServerProcess(Process.Start(start)!, address);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var watch = Stopwatch.StartNew();
        await server.WaitUntilReadyAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"Server ready on {address} after {watch.Elapsed.TotalSeconds:F1} s.");
        return server;
    }

    /// <summary>Kills the process and its children with SIGKILL (what Process.Kill sends on Linux) and returns the exit code.</summary>
    public async Task<int> KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"The server exited with {(_process.HasExited ? _process.ExitCode : 0)} while starting:\n{Output()}");
            try
            {
                if ((await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting and responding slowly.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The server was not ready within {StartTimeout.TotalSeconds} s:\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 50)
            {
                _output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
