using Microsoft.Playwright;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>The record of processing activities in the console, reached from the menu.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ProcessingRecordPageTests(ConsoleAppFixture app)
{
    [Fact]
    public async Task Menu_opens_processing_record_with_personal_fields()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword);

        // The menu navigates through the interactive circuit: a click before it is up is lost.
        await page.WaitForReadyAsync("home");
        await page.GetByRole(AriaRole.Link, new() { Name = "个人信息处理记录" }).ClickAsync();
        await page.WaitForReadyAsync("processing-record");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("个人信息处理活动记录");
        await Assertions.Expect(page.TestId("processing-record").Locator("tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.TestId("processing-record")).ToContainTextAsync("敏感个人信息");
    }
}
