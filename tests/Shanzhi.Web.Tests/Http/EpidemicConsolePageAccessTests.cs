using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The epidemic console pages for places, rosters and health status open for epidemic officers only.</summary>
public sealed class EpidemicConsolePageAccessTests
{
    private const string OfficerPassword = "Epi-Officer-2026";

    private static readonly string[] Pages = ["/epidemic/places", "/epidemic/sites", "/epidemic/health-overrides", "/epidemic/persons/1"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Epidemic_pages_are_for_officers_only()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("epi-pages", OfficerPassword, ["epidemic-officer"], "330200");
        var officer = await platform.SignInAsync("epi-pages", OfficerPassword);

        foreach (var page in Pages)
        {
            Assert.Equal((page, HttpStatusCode.Redirect), (page, (await admin.GetAsync(page, Ct)).StatusCode));
            Assert.Equal((page, HttpStatusCode.OK), (page, (await officer.GetAsync(page, Ct)).StatusCode));
        }
    }
}
