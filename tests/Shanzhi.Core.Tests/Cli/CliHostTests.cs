using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Cli;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cli;

/// <summary>The services the CLI builds for its commands.</summary>
public sealed class CliHostTests
{
    [Fact]
    public async Task Imported_passages_do_not_feed_a_contact_index()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        var root = new RootCommand { CliHost.DataOption, CliHost.ProviderOption, CliHost.ConnectionOption };

        await using var services = await CliHost.StartAsync(root.Parse(["--data", store.Options.FullDataDirectory]), TestContext.Current.CancellationToken);

        Assert.Empty(services.GetServices<IPassageObserver>());
        Assert.Empty(services.GetServices<IPlaceObserver>());
        Assert.NotNull(services.GetService<IPassageIngest>());
        Assert.NotNull(services.GetService<ContactIndex>());
    }
}
