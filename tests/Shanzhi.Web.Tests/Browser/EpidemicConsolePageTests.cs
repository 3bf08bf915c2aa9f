using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Identity;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Storage;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Web.Tests.Epidemic;

namespace Shanzhi.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class EpidemicConsolePageTests(ConsoleAppFixture app)
{
    [Fact]
    public async Task Device_key_is_shown_once_per_issue()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-places", "场所测试专员", Roles.EpidemicOfficer);
        var page = await app.NewPageAsync();
        await page.LoginAsync("epi-places", ConsoleAppFixture.StaffPassword, "/epidemic/places");
        await page.WaitForReadyAsync("epidemic-places");

        var name = "甬城测试火车站" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        await page.TestId("epl-name").FillAsync(name);
        await PickVisibleOptionAsync(page, "epl-new-kind", "火车站");
        await page.TestId("epl-lat").FillAsync(EpidemicScene.Mall.Latitude.ToString(CultureInfo.InvariantCulture));
        await page.TestId("epl-lng").FillAsync(EpidemicScene.Mall.Longitude.ToString(CultureInfo.InvariantCulture));
        await page.TestId("epl-create").ClickAsync();
        var detail = page.TestId("epl-detail");
        await detail.WaitForAsync();
        var placeId = await detail.GetAttributeAsync("data-place");
        Assert.Equal(["外出返甬通道", "外出返甬通道", "来甬访客通道", "来甬访客通道", "来甬访客通道"], await page.TestId("epl-route").AllInnerTextsAsync());

        await page.TestId("epl-entrance-name").FillAsync("东门");
        await page.TestId("epl-add-entrance").ClickAsync();
        await page.TestId("epl-entrance").WaitForAsync();
        await page.TestId("epl-add-device").ClickAsync();
        var deviceError = page.TestId("epl-entrance").Locator("[data-testid='epl-device-error']");
        await deviceError.WaitForAsync();
        Assert.Contains("请填写名称", await deviceError.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.TestId("epl-detail-error").CountAsync());
        await page.TestId("epl-device-label").FillAsync("东门人脸核验终端 1");
        await page.TestId("epl-add-device").ClickAsync();
        var key = (await page.TestId("epl-key").InnerTextAsync()).Trim();
        Assert.True(await IsActiveKeyAsync(key), "The key shown must be the device's key.");
        await page.ScreenshotToOutputAsync("epidemic-device-key.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "我已保存", Exact = true }).ClickAsync();
        await page.TestId("epl-key").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.TestId("epl-device").WaitForAsync();
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoReadyAsync("/epidemic/places", "epidemic-places");
        await page.Locator($"[data-testid='epl-manage'][data-place='{placeId}']").ClickAsync();
        await page.TestId("epl-detail").WaitForAsync();
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

        await page.TestId("epl-rotate").ClickAsync();
        await ConfirmAsync(page, "更换");
        var rotated = (await page.TestId("epl-key").InnerTextAsync()).Trim();
        Assert.NotEqual(key, rotated);
        Assert.False(await IsActiveKeyAsync(key), "The replaced key must stop working.");
        Assert.True(await IsActiveKeyAsync(rotated), "The new key must be the device's key.");
        await page.GetByRole(AriaRole.Button, new() { Name = "我已保存", Exact = true }).ClickAsync();

        await page.TestId("epl-disable").ClickAsync();
        await ConfirmAsync(page, "停用");
        await page.Locator("[data-testid='epl-device'][data-active='false']").WaitForAsync();
        Assert.False(await IsActiveKeyAsync(rotated), "A disabled device's key must stop working.");
    }

    [Fact]
    public async Task Unknown_person_page_shows_not_found()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-missing", "查无此人专员", Roles.EpidemicOfficer);
        var page = await app.NewPageAsync();

        await page.LoginAsync("epi-missing", ConsoleAppFixture.StaffPassword, "/epidemic/persons/999999999");
        await page.WaitForReadyAsync("epidemic-person");

        await Assertions.Expect(page.TestId("eph-load-error")).ToContainTextAsync("未找到");
        await Assertions.Expect(page.TestId("eph-load-error")).ToContainTextAsync("该人员不存在");
        Assert.Equal(0, await page.TestId("eph-status").CountAsync());
    }

    [Fact]
    public async Task Override_needs_second_officer_approval()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-requester", "健康码申请专员", Roles.EpidemicOfficer);
        await app.CreateStaffAsync("epi-approver", "健康码审核专员", Roles.EpidemicOfficer);
        var personKey = await RegisterPersonAsync();
        var url = $"/epidemic/persons/{personKey}";

        var requester = await app.NewPageAsync();
        await requester.LoginAsync("epi-requester", ConsoleAppFixture.StaffPassword, url);
        await requester.WaitForReadyAsync("epidemic-person");
        await requester.TestId("eph-status").WaitForAsync();
        await PickVisibleOptionAsync(requester, "eph-to", "黄码");
        await requester.TestId("eph-reason").Locator("textarea").FillAsync("到访外地中风险地区，社区核实后申请调整");
        await requester.TestId("eph-request").ClickAsync();
        await requester.TestId("eph-pending").WaitForAsync();

        await ConfirmApprovalAsync(requester);
        await Assertions.Expect(requester.TestId("eph-approve-error")).ToContainTextAsync("不能审核本人的申请");
        // A new registration has no health code yet, and the refused approval must not give it one.
        Assert.Null(await requester.TestId("eph-status").GetAttributeAsync("data-status"));
        await Assertions.Expect(requester.TestId("eph-status")).ToContainTextAsync("未赋码");

        var approver = await app.NewPageAsync();
        await approver.LoginAsync("epi-approver", ConsoleAppFixture.StaffPassword, "/epidemic/health-overrides");
        await approver.WaitForReadyAsync("epidemic-health-overrides");
        await approver.Locator($"[data-testid='eho-person'][data-person='{personKey}']").ClickAsync();
        await approver.WaitForReadyAsync("epidemic-person");
        await approver.TestId("eph-pending").WaitForAsync();
        await ConfirmApprovalAsync(approver);
        await approver.Locator("[data-testid='eph-status'][data-status='Yellow']").WaitForAsync();
        await approver.TestId("eph-no-pending").WaitForAsync();
        await Assertions.Expect(approver.TestId("eph-explanation")).ToContainTextAsync("人工调整：到访外地中风险地区");
        await Assertions.Expect(approver.Locator("[data-testid='eph-change'][data-to='Yellow']")).ToHaveCountAsync(1);
        await approver.ScreenshotToOutputAsync("epidemic-health-override.png");
    }

    [Fact]
    public async Task Rejected_override_leaves_status_unchanged()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-rejecter", "健康码驳回专员", Roles.EpidemicOfficer);
        var personKey = await RegisterPersonAsync(976, "测试驳回");
        var page = await app.NewPageAsync();
        await page.LoginAsync("epi-rejecter", ConsoleAppFixture.StaffPassword, $"/epidemic/persons/{personKey}");
        await page.WaitForReadyAsync("epidemic-person");
        await PickVisibleOptionAsync(page, "eph-to", "红码");
        await page.TestId("eph-reason").Locator("textarea").FillAsync("误报为同住人员");
        await page.TestId("eph-request").ClickAsync();
        await page.TestId("eph-pending").WaitForAsync();

        await page.TestId("eph-reject").ClickAsync();
        await Assertions.Expect(page.TestId("eph-approve-error")).ToContainTextAsync("原因");
        await page.TestId("eph-reject-reason").Locator("textarea").FillAsync("经核实不是同住人员，撤回申请");
        await page.TestId("eph-reject").ClickAsync();

        await page.TestId("eph-no-pending").WaitForAsync();
        Assert.Null(await page.TestId("eph-status").GetAttributeAsync("data-status"));
    }

    [Fact]
    public async Task Roster_shows_masked_worker_and_ends_entry()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("epi-sites", "花名册测试专员", Roles.EpidemicOfficer);
        var workerKey = await RegisterPersonAsync(978, "测试工人");
        var suffix = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var siteName = "甬城测试工地" + suffix;
        await CreateSiteAsync(siteName);
        var page = await app.NewPageAsync();
        await page.LoginAsync("epi-sites", ConsoleAppFixture.StaffPassword, "/epidemic/sites");
        await page.WaitForReadyAsync("epidemic-sites");

        var employer = "甬城测试劳务公司" + suffix;
        await page.TestId("eps-employer-name").FillAsync(employer);
        await page.TestId("eps-credit-code").FillAsync(CreditCode(suffix));
        await page.TestId("eps-add-employer").ClickAsync();
        await page.GetByText(employer).WaitForAsync();

        await PickVisibleOptionAsync(page, "eps-site", siteName);
        await PickVisibleOptionAsync(page, "eps-entry-employer", employer);
        await page.TestId("eps-entry-person").FillAsync(workerKey.ToString(CultureInfo.InvariantCulture));
        await page.TestId("eps-add-entry").ClickAsync();
        await Assertions.Expect(page.TestId("eps-entry-state")).ToHaveTextAsync("有效");
        var content = await page.ContentAsync();
        Assert.DoesNotContain("测试工人", content, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticIds.Id(978), content, StringComparison.Ordinal);
        await page.ScreenshotToOutputAsync("epidemic-site-roster.png");

        await page.TestId("eps-end").ClickAsync();
        await Assertions.Expect(page.TestId("eps-entry-state")).ToHaveTextAsync("有效（已提前终止）");
    }

    /// <summary>
    /// Picks an option in the open dropdown only. The places page has two selects with the same
    /// place kinds, and AntDesign keeps a closed dropdown in the page.
    /// </summary>
    private static async Task PickVisibleOptionAsync(IPage page, string testId, string text)
    {
        var select = page.TestId(testId);
        await select.Locator(".ant-select-selector").ClickAsync();
        var option = page.Locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").Filter(new() { HasText = text }).First;
        await option.DispatchEventAsync("click");
        await Assertions.Expect(select.Locator(".ant-select-selection-item")).ToContainTextAsync(text);
    }

    private static async Task ConfirmApprovalAsync(IPage page)
    {
        await page.TestId("eph-approve").ClickAsync();
        await ConfirmAsync(page, "通过");
    }

    /// <summary>Clicks the OK button of the open confirmation popover, which may share its text with the button that opened it.</summary>
    private static Task ConfirmAsync(IPage page, string okText) =>
        page.Locator(".ant-popover:not(.ant-popover-hidden)").GetByRole(AriaRole.Button, new() { Name = okText, Exact = true }).ClickAsync();

    private async Task<bool> IsActiveKeyAsync(string key)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var hash = Device.HashApiKey(key);
        return await db.Devices.AnyAsync(d => d.ApiKeyHash == hash && d.Active, TestContext.Current.CancellationToken);
    }

    /// <summary>A construction site at the mall's point, registered as the platform.</summary>
    private async Task CreateSiteAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var request = new CreatePlaceRequest(name, PlaceKind.ConstructionSite, EpidemicScene.Mall.Latitude, EpidemicScene.Mall.Longitude);
        var result = await scope.ServiceProvider.GetRequiredService<PlaceRegistry>().CreatePlaceAsync(request, StaffPrincipal.System, TestContext.Current.CancellationToken);
        Assert.Null(result.Error);
    }

    /// <summary>A valid unified social credit code for a Ningbo company (type 91, region 330200), unique by <paramref name="suffix"/>.</summary>
    private static string CreditCode(string suffix)
    {
        var first17 = "913302000" + suffix + "00";
        return first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
    }

    /// <summary>Person <paramref name="n"/> of the synthetic IDs, registered through the registry (real encryption), living in the mall's grid, with no health code yet.</summary>
    private async Task<long> RegisterPersonAsync(int n = 977, string name = "测试健康码")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var grid = scope.ServiceProvider.GetRequiredService<Shanzhi.Geography.GridLocator>().Locate(EpidemicScene.Mall.Latitude, EpidemicScene.Mall.Longitude)!;
        var request = new RegisterPersonRequest(name, SyntheticIds.Id(n), "13900000977", ResidencyClass.Permanent, grid.RegionCode);
        var result = await scope.ServiceProvider.GetRequiredService<PersonRegistry>().RegisterAsync(request, StaffPrincipal.System, TestContext.Current.CancellationToken);
        return result.Value?.PersonKey ?? throw new InvalidOperationException($"Could not register the test person: {result.Error}");
    }
}
