using Microsoft.Playwright;
using Shanzhi.Identity;
using Shanzhi.Web.Tests.Epidemic;

namespace Shanzhi.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class InvestigationPageTests(ConsoleAppFixture app)
{
    [Fact]
    public async Task Officer_goes_from_confirmed_case_to_follow_ups()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-browser", "流调测试专员", Roles.EpidemicOfficer);
        var scene = await EpidemicScene.SeedAsync(app.Services);
        var page = await app.NewPageAsync();
        await page.LoginAsync("epi-browser", ConsoleAppFixture.StaffPassword, "/epidemic/investigations");
        await page.WaitForReadyAsync("investigations");

        Assert.Equal("发病（或采样）前 4 天起，至确诊隔离时止，最迟到发病后第 14 天；同一场所同日累计共处不少于 15 分钟；追踪次密接，仅计学校、住宅小区、建筑工地内的共处。",
            await page.TestId("inv-rules-summary").InnerTextAsync());
        await page.TestId("inv-person").FillAsync(scene.IndexKey.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.TestId("inv-purpose").Locator("textarea").FillAsync("追踪确诊病例的密切接触者并落实管控");
        await page.TestId("inv-open").ClickAsync();
        await page.WaitForReadyAsync("investigation");

        await page.TestId("inv-trace").ClickAsync();
        var graph = page.Locator("[data-testid='contact-graph'][data-chart-ready='true']");
        await graph.WaitForAsync();
        Assert.Equal(1, await graph.Locator("canvas").CountAsync());
        Assert.Equal(4, int.Parse(await graph.GetAttributeAsync("data-nodes") ?? "0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, await page.Locator("[data-testid='edge-row'][data-degree='1']").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid='edge-row'][data-degree='2']").CountAsync());
        await page.ScreenshotToOutputAsync("investigation-graph.png");

        await page.TestId("inv-follow-ups").ClickAsync();
        await page.TestId("follow-up-note").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        var grids = await page.TestId("follow-up-row").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.grid).sort()");
        Assert.Equal(new[] { scene.MallGrid, scene.SchoolGrid }.Order(StringComparer.Ordinal), grids);
        Assert.Equal(2, await page.TestId("follow-up-case").CountAsync());
        await page.ScreenshotToOutputAsync("investigation-follow-ups.png");
    }
}
