using System.Diagnostics;

namespace Shanzhi.Tests.Geography;

/// <summary>Runs the real <c>shanzhi</c> executable against a temporary SQLite store.</summary>
public sealed class ImportRegionsCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "shanzhi-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Import_regions_exit_codes_follow_rejections()
    {
        var withErrors = await RunAsync("import", "regions", RegionImporterTests.FixturePath("haishu-streets-with-errors.geojson"),
            "--level", "street", "--code-property", "JDDM", "--name-property", "JDMC");
        var valid = await RunAsync("import", "regions", RegionImporterTests.FixturePath("haishu-streets.geojson"),
            "--level", "street", "--code-property", "JDDM", "--name-property", "JDMC");
        var atomic = await RunAsync("import", "regions", RegionImporterTests.FixturePath("haishu-streets-with-errors.geojson"),
            "--level", "street", "--code-property", "JDDM", "--name-property", "JDMC", "--atomic");
        var missing = await RunAsync("import", "regions", Path.Combine(_data, "none.geojson"),
            "--level", "street", "--code-property", "JDDM", "--name-property", "JDMC");

        Assert.Equal(1, withErrors.ExitCode);
        Assert.Contains("第 3 个要素：缺少代码属性“JDDM”", withErrors.Error, StringComparison.Ordinal);
        Assert.Contains("不合格 9 个", withErrors.Output, StringComparison.Ordinal);
        Assert.Equal(0, valid.ExitCode);
        Assert.Contains("新增 0，更新 2", valid.Output, StringComparison.Ordinal);
        Assert.Equal(1, atomic.ExitCode);
        Assert.Contains("全部不导入", atomic.Output, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task Import_regions_rejects_unknown_level()
    {
        var result = await RunAsync("import", "regions", RegionImporterTests.FixturePath("haishu-streets.geojson"),
            "--level", "district", "--code-property", "JDDM", "--name-property", "JDMC");

        Assert.NotEqual(0, result.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The command never created the store.
        }
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "shanzhi.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(_data);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
