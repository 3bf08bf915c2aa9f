using Microsoft.Playwright;
using Shanzhi.Identity;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>
/// A grid worker's day on a phone-sized screen: the static /m pages, with the command centre and a
/// department working the case in between through the API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GridWorkerDayTests(ConsoleAppFixture app)
{
    // 天一广场, central Haishu: inside the city and its generated grids.
    private const double Latitude = 29.8705;
    private const double Longitude = 121.5500;

    // A 1×1 PNG: signature, IHDR, IDAT and IEND chunks.
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private const string UnitName = "浏览器测试消防设施所";
    private const string HazardTitle = "3 号楼消防通道被电动车堵塞";

    [Fact]
    public async Task Grid_worker_reports_a_hazard_that_a_department_fixes_and_the_worker_verifies()
    {
        app.SkipIfUnavailable();
        var unitId = await app.CreateUnitAsync(UnitName);
        await app.CreateStaffAsync("field-handler", "处置员小周", Roles.UnitHandler, unitId);
        await app.CreateStaffAsync("field-worker", "网格员小陈", Roles.GridWorker);

        // Sign-in on the phone lands on the field pages, not on the console.
        var phone = await NewPhoneAsync();
        await phone.LoginAsync("field-worker", ConsoleAppFixture.StaffPassword);
        Assert.Equal("/m", new Uri(phone.Url).AbsolutePath);

        // Report the hazard: the position comes from the phone's geolocation, the photo from its camera.
        await phone.TestId("m-nav-report").ClickAsync();
        await phone.TestId("m-report-title").FillAsync(HazardTitle);
        await phone.TestId("m-report-description").FillAsync("楼道口停放六辆电动车，其中两辆在充电。");
        await Assertions.Expect(phone.TestId("m-lat")).Not.ToBeEmptyAsync();
        await phone.TestId("m-photo").SetInputFilesAsync(new FilePayload { Name = "hazard.png", MimeType = "image/png", Buffer = TinyPng });
        await phone.TestId("m-report-submit").ClickAsync();
        await Assertions.Expect(phone.TestId("m-done")).ToContainTextAsync("已上报");
        await Assertions.Expect(phone.TestId("m-photos")).ToContainTextAsync("上报照片");
        var caseId = Guid.Parse(new Uri(phone.Url).Segments[^1]);
        await phone.ScreenshotToOutputAsync("field-report.png");

        // The command centre files and dispatches; the department handles and resolves.
        var centre = await app.NewPageAsync();
        await centre.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword);
        await ActAsync(centre, caseId, "file", new { categoryCode = "E0506" });
        await ActAsync(centre, caseId, "dispatch", new { unitId });
        var handler = await app.NewPageAsync();
        await handler.LoginAsync("field-handler", ConsoleAppFixture.StaffPassword);
        await ActAsync(handler, caseId, "start", new { });
        await ActAsync(handler, caseId, "resolve", new { reason = "已清理通道并张贴禁停告示。" });
        await ActAsync(centre, caseId, "request-verification", new { verifierId = await UserIdAsync(phone) });

        // The worker sees the follow-up and verifies on site.
        await phone.GotoAsync("m");
        await phone.Locator($"[data-testid='m-verify-item'][data-case='{caseId}'] a").ClickAsync();
        await phone.TestId("m-verify-pass").CheckAsync();
        await phone.TestId("m-verify-note").FillAsync("通道已畅通。");
        await phone.TestId("m-verify-submit").ClickAsync();
        await Assertions.Expect(phone.TestId("m-done")).ToContainTextAsync("核查结果已提交");
        await Assertions.Expect(phone.Locator("[data-testid='m-timeline-item'][data-event='VerificationPassed']")).ToHaveCountAsync(1);
        await phone.ScreenshotToOutputAsync("field-verified.png");
    }

    private async Task<IPage> NewPhoneAsync()
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
            Geolocation = new Geolocation { Latitude = (float)Latitude, Longitude = (float)Longitude, Accuracy = 10 },
            Permissions = ["geolocation"],
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Takes a case action through the API with the page's sign-in cookie and fails the test on a problem answer.</summary>
    private static async Task ActAsync(IPage page, Guid caseId, string action, object body)
    {
        var response = await page.Context.APIRequest.PostAsync($"api/v1/cases/{caseId}/actions/{action}", new() { DataObject = body });
        Assert.True(response.Ok, $"{action} failed: {response.Status} {await response.TextAsync()}");
    }

    private static async Task<Guid> UserIdAsync(IPage page)
    {
        var response = await page.Context.APIRequest.GetAsync("api/v1/auth/me");
        var me = await response.JsonAsync();
        return me!.Value.GetProperty("id").GetGuid();
    }
}
