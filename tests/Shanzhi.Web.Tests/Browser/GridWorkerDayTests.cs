using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shanzhi.Geography;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Storage;

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
    public async Task Grid_worker_day_ends_with_points()
    {
        app.SkipIfUnavailable();
        var unitId = await app.CreateUnitAsync(UnitName);
        await app.CreateStaffAsync("field-handler", "处置员小周", Roles.UnitHandler, unitId);
        await app.CreateStaffAsync("field-worker", "网格员小陈", Roles.GridWorker);
        await PutToWorkAsync("field-worker");

        // Sign-in on the phone lands on the field pages, not on the console.
        var phone = await NewPhoneAsync();
        await phone.GotoAsync("login");
        await phone.TestId("login-user").FillAsync("field-worker");
        await phone.TestId("login-password").FillAsync(ConsoleAppFixture.StaffPassword);
        await phone.TestId("login-submit").ClickAsync();

        // The first render of the field pages on a cold, shared CI machine can take longer than the default 15 s.
        await phone.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/m", new() { Timeout = 60_000 });
        await Assertions.Expect(phone.TestId("m-stat-tasks")).ToContainTextAsync("1");

        // Today's task: the visit's position proof comes from the phone's geolocation, inside the grid.
        await phone.TestId("m-nav-tasks").ClickAsync();
        await phone.TestId("m-task-visit").ClickAsync();
        await Assertions.Expect(phone.TestId("m-lat")).Not.ToBeEmptyAsync();
        await phone.TestId("m-visit-notes").FillAsync("沿街巡查，发现一处消防通道堵塞。");
        await phone.TestId("m-visit-submit").ClickAsync();
        await Assertions.Expect(phone.TestId("m-done")).ToContainTextAsync("走访已登记");
        await Assertions.Expect(phone.TestId("m-task")).ToHaveAttributeAsync("data-state", "Done");
        await phone.ScreenshotToOutputAsync("field-tasks.png");

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
        await ActAsync(centre, caseId, "request-verification", new { verifierId = await UserIdAsync("field-worker") });

        // The worker sees the follow-up and verifies on site.
        await phone.GotoAsync("m");
        await phone.Locator($"[data-testid='m-verify-item'][data-case='{caseId}'] a").ClickAsync();
        await phone.TestId("m-verify-pass").CheckAsync();
        await phone.TestId("m-verify-note").FillAsync("通道已畅通。");
        await phone.TestId("m-verify-submit").ClickAsync();
        await Assertions.Expect(phone.TestId("m-done")).ToContainTextAsync("核查结果已提交");
        await Assertions.Expect(phone.Locator("[data-testid='m-timeline-item'][data-event='VerificationPassed']")).ToHaveCountAsync(1);
        await phone.ScreenshotToOutputAsync("field-verified.png");
        await ActAsync(centre, caseId, "close", new { });

        // Filing credited the reporter. Closing does not: the reporter verified the fix, and the
        // ledger withholds closing points from reporters who check their own reports.
        await phone.TestId("m-nav-points").ClickAsync();
        await Assertions.Expect(phone.TestId("m-points-balance")).ToHaveTextAsync("2");
        await Assertions.Expect(phone.Locator("[data-testid='m-points-entry'][data-reason='ReportFiled']")).ToHaveCountAsync(1);
        await phone.ScreenshotToOutputAsync("field-points.png");
    }

    [Fact]
    public async Task Leader_sees_worker_in_workload_ranking()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("workload-worker", "网格员小孙", Roles.GridWorker);
        var gridCode = await PutToWorkAsync("workload-worker", Latitude + 0.01, Longitude + 0.01);
        await app.CreateStaffAsync("workload-leader", "街道领导老王", Roles.Leader);

        var leader = await app.NewPageAsync();
        await leader.LoginAsync("workload-leader", ConsoleAppFixture.StaffPassword);
        await leader.GotoReadyAsync("grid/workload", "grid-workload");
        var row = leader.Locator($"[data-testid='workload-grid'][data-grid='{gridCode}']");
        await row.Locator("[data-testid='workload-workers-open']").ClickAsync();

        await Assertions.Expect(leader.TestId("workload-workers")).ToContainTextAsync("网格员小孙");
        await leader.ScreenshotToOutputAsync("grid-workload.png");
    }

    /// <summary>Assigns the worker to the grid at the position with a daily plan and today's task; returns the grid code.</summary>
    private async Task<string> PutToWorkAsync(string userName, double latitude = Latitude, double longitude = Longitude)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = await services.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(userName);
        var grid = services.GetRequiredService<GridLocator>().Locate(latitude, longitude)
            ?? throw new InvalidOperationException("The test position is outside every grid.");
        await GridDemo.PrepareWorkerAsync(services.GetRequiredService<ShanzhiDbContext>(), services.GetRequiredService<TimeProvider>(),
            user!.Id, grid.RegionCode, cancellationToken: TestContext.Current.CancellationToken);
        return grid.RegionCode;
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

    private async Task<Guid> UserIdAsync(string userName)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(userName))!.Id;
    }
}
