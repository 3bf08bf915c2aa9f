using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Components;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The console's verifier picker offers the staff the case engine accepts as verifiers.</summary>
public sealed class VerifierPickerTests
{
    private const string Password = "Verifier-Pass-2026";

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Picker_offers_grid_workers_and_verifiers_of_the_case_region(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("haishuverifier", Password, ["verifier"], "330203");
        await admin.CreateUserAsync("haishuworker", Password, ["grid-worker"], "330203");
        await admin.CreateUserAsync("cixiworker", Password, ["grid-worker"], "330282");
        await admin.CreateUserAsync("haishuoperator", Password, ["command-operator"], "330203");
        await using var scope = platform.Services.CreateAsyncScope();

        var picker = await Lookups.LoadVerifiersAsync(scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>(), "/330200/330203/330203001/",
            TestContext.Current.CancellationToken);

        Assert.Equal(["测试haishuverifier", "测试haishuworker"], picker.Select(p => p.Name).Order(StringComparer.Ordinal));
    }
}
