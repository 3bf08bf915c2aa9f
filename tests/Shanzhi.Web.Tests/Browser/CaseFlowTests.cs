using Microsoft.Playwright;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>The closed loop of one case, clicked through the console by three staff members.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CaseFlowTests(ConsoleAppFixture app)
{
    // 天一广场, central Haishu: well inside the city and its generated grids.
    private const double Latitude = 29.8705;
    private const double Longitude = 121.5500;

    // The smallest valid PNG: signature, IHDR, IDAT and IEND chunks of a 1×1 image.
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private const string UnitName = "浏览器测试市政维护所";
    private const string HandlerName = "处置员小王";
    private const string VerifierName = "核查员小李";

    [Fact]
    public async Task Reported_case_is_closed_through_every_step_of_the_loop()
    {
        app.SkipIfUnavailable();
        var unitId = await app.CreateUnitAsync(UnitName);
        await app.CreateStaffAsync("browser-handler", HandlerName, Shanzhi.Identity.Roles.UnitHandler, unitId);
        await app.CreateStaffAsync("browser-verifier", VerifierName, Shanzhi.Identity.Roles.Verifier);

        var admin = await app.NewPageAsync();
        await admin.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword);

        // Other browser tests share this store and close cases of their own.
        await admin.GotoReadyAsync("kpi", "kpi");
        var closedBefore = int.Parse(
            (await admin.TestId("kpi-closed").Locator(".ant-statistic-content-value").InnerTextAsync()).Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

        // Report: pick the place on the map, see its grid, describe the problem.
        await admin.GotoReadyAsync("cases/new", "case-new");
        await admin.ClickMapAtAsync("report-map", Latitude, Longitude);
        await Assertions.Expect(admin.TestId("report-grid")).ToContainTextAsync("所属网格：");
        await admin.TestId("report-title").FillAsync("天一广场东侧井盖破损");
        await admin.TestId("report-description").Locator("textarea").FillAsync("井盖边缘破损约十厘米，行人经过有绊倒风险。");
        await admin.PickOptionAsync("report-category");
        await admin.TestId("report-submit").ClickAsync();

        await admin.WaitForReadyAsync("case-detail");
        var caseUrl = $"cases/{await admin.CurrentCaseIdAsync()}";
        await Assertions.Expect(admin.TestId("case-title")).ToHaveTextAsync("天一广场东侧井盖破损");

        // Command centre: file and dispatch to the test unit.
        await admin.ActAsync("File", "Filed");
        await admin.ActAsync("Dispatch", "Dispatched", () => admin.PickOptionAsync("action-unit", UnitName));
        await Assertions.Expect(admin.TestId("case-unit")).ToHaveTextAsync(UnitName);

        // Unit handler: start and finish the work.
        var handler = await app.NewPageAsync();
        await handler.LoginAsync("browser-handler", ConsoleAppFixture.StaffPassword);
        await handler.GotoReadyAsync(caseUrl, "case-detail");
        await handler.ActAsync("Start", "Started");
        await handler.TestId("attachment-input").SetInputFilesAsync(new FilePayload
        {
            Name = "after.png",
            MimeType = "image/png",
            Buffer = TinyPng,
        });
        await Assertions.Expect(handler.TestId("attachments")).ToContainTextAsync("处置照片");
        await handler.ActAsync("Resolve", "Resolved", () => handler.TestId("action-reason").Locator("textarea").FillAsync("已更换新井盖。"));

        // Command centre asks a verifier who did not do the work to check on site.
        await admin.GotoReadyAsync(caseUrl, "case-detail");
        await admin.ActAsync("RequestVerification", "VerificationRequested",
            () => admin.PickOptionAsync("action-verifier", VerifierName));

        var verifier = await app.NewPageAsync();
        await verifier.LoginAsync("browser-verifier", ConsoleAppFixture.StaffPassword);
        await verifier.GotoReadyAsync(caseUrl, "case-detail");
        await verifier.ActAsync("PassVerification", "VerificationPassed",
            () => verifier.TestId("action-reason").Locator("textarea").FillAsync("现场核实井盖已更换。"));

        await admin.GotoReadyAsync(caseUrl, "case-detail");
        await admin.ActAsync("Close", "Closed");

        await Assertions.Expect(admin.Locator("[data-testid='case-state']")).ToContainTextAsync("已结案");
        var events = await admin.Locator("[data-testid='timeline-item']").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.event)");
        Assert.Equal(
            ["Reported", "Filed", "Dispatched", "Started", "Resolved", "VerificationRequested", "VerificationPassed", "Closed"],
            events.Where(e => e != "AttachmentAdded"));
        await Assertions.Expect(admin.TestId("timeline")).ToContainTextAsync(HandlerName);
        await admin.ScreenshotToOutputAsync("case-detail.png");

        // The closed case counts in this month's KPIs.
        await admin.GotoReadyAsync("kpi", "kpi");
        await Assertions.Expect(admin.TestId("kpi-closed").Locator(".ant-statistic-content-value")).ToHaveTextAsync(
            (closedBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.Locator("[data-testid='kpi-chart'][data-chart-ready='true']").WaitForAsync();
        await admin.ScreenshotToOutputAsync("kpi.png");
    }

    [Fact]
    public async Task Report_form_rejects_a_point_outside_Ningbo()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword);
        await page.GotoReadyAsync("cases/new", "case-new");

        // Daishan island (舟山): inside the map's view of Ningbo, but in Zhoushan city.
        await page.ClickMapAtAsync("report-map", 30.25, 122.20);

        await Assertions.Expect(page.TestId("report-outside")).ToContainTextAsync("不在宁波市");
    }

    [Fact]
    public async Task City_map_draws_the_districts_and_the_case_layer()
    {
        app.SkipIfUnavailable();
        await app.ReportCaseAsync("江北区路灯不亮", 29.8890, 121.5560);
        var page = await app.NewPageAsync();
        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword);

        await page.GotoReadyAsync("map", "map");
        var map = page.Locator("[data-testid='city-map'][data-map-ready='true']");
        await map.WaitForAsync();

        var districts = await map.GetAttributeAsync("data-districts");
        Assert.True(int.TryParse(districts, System.Globalization.CultureInfo.InvariantCulture, out var count),
            $"data-districts is not a number: '{districts}'.");
        Assert.True(count >= 10, $"Expected the 10 districts of Ningbo on the map, got {count}.");
        var cases = await map.GetAttributeAsync("data-cases");
        Assert.True(int.TryParse(cases, System.Globalization.CultureInfo.InvariantCulture, out var caseCount),
            $"data-cases is not a number: '{cases}'.");
        Assert.True(caseCount >= 1, $"Expected the reported case on the map, got {caseCount}.");
        await page.ScreenshotToOutputAsync("map.png");

        // Grids are drawn from street-level zoom on, so the test zooms in with the map's own control.
        // Leaflet ignores a zoom request while a zoom animation runs, and on a loaded machine the
        // animation class appears late, so some clicks are lost. The loop therefore keeps clicking
        // until the grid layer starts loading or the control is disabled at the maximum zoom.
        var zoomIn = page.Locator("[data-testid='city-map'] .leaflet-control-zoom-in");
        for (var i = 0; i < 40 && await map.GetAttributeAsync("data-grids") is null; i++)
        {
            if ((await zoomIn.GetAttributeAsync("class"))?.Contains("leaflet-disabled", StringComparison.Ordinal) == true)
            {
                break;
            }

            await zoomIn.ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('.leaflet-zoom-anim') === null");
        }

        // About 10,000 polygons are fetched and parsed once; on a loaded 2-core CI machine that can
        // take well over the default 15 s.
        await Assertions.Expect(map).ToHaveAttributeAsync("data-grids", new System.Text.RegularExpressions.Regex("^[0-9]{5}$"),
            new() { Timeout = 120_000 });
        var grids = int.Parse((await map.GetAttributeAsync("data-grids"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grids >= 10_000, $"Expected the generated grids (about 10,000) on the map, got {grids}.");
        await page.ScreenshotToOutputAsync("map-grids.png");
    }
}
