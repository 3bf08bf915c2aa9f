using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shanzhi.Identity;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PiHandlerPageTests(ConsoleAppFixture app)
{
    private const string OfficerName = "童雅琴";
    private const string OfficerPhone = "13706741234";

    [Fact]
    public async Task Supervisor_reveals_a_contact_with_a_reason()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("pi-browser", "名录测试监管员", Roles.PiSupervisor);
        await CreateHandlerAsync();
        var page = await app.NewPageAsync();
        await page.LoginAsync("pi-browser", ConsoleAppFixture.StaffPassword, "/pi-handlers");
        await page.WaitForReadyAsync("pi-handlers");

        await page.TestId("pih-reveal").First.ClickAsync();
        await page.TestId("pih-reason").FillAsync("约谈负责人");
        await page.Locator(".ant-modal-footer .ant-btn-primary").ClickAsync();

        await page.TestId("pih-contact").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Contains(OfficerPhone, await page.TestId("pih-contact").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotToOutputAsync("pi-handlers-reveal.png");
    }

    private async Task CreateHandlerAsync()
    {
        LogSink.RegisterName(OfficerName);
        await using var scope = app.Services.CreateAsyncScope();
        var supervisor = new StaffPrincipal(null, "测试", new HashSet<string> { Roles.PiSupervisor }, null, StaffPrincipal.RootScope);
        var result = await scope.ServiceProvider.GetRequiredService<PiHandlerService>().CreateAsync(
            new SavePiHandlerRequest("91350100M000100Y43", "宁波某物业服务有限公司", PiIndustry.PropertyManagement, PiDataScale.Under100Thousand,
                "330203", true, OfficerName, OfficerPhone),
            supervisor, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
    }
}
