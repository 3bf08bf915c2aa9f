using Microsoft.Playwright;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>Unknown console addresses opened in a browser show the Chinese 404 page, not problem JSON.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotFoundPageTests(ConsoleAppFixture app)
{
    [Theory]
    [InlineData("console/no-such-page")]
    [InlineData("no-such-page?from=bookmark")]
    public async Task Unknown_page_shows_Chinese_404(string url)
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync(url);

        Assert.NotNull(response);
        Assert.Equal(404, response.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await Assertions.Expect(page.TestId("not-found")).ToContainTextAsync("页面不存在");
        Assert.Equal("/", await page.TestId("not-found-home").GetAttributeAsync("href"));
        Assert.DoesNotContain("\"code\"", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_link_leads_back_to_the_console()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword, "/");
        await page.WaitForReadyAsync("home");

        await page.GotoAsync("console/no-such-page");
        await Assertions.Expect(page.TestId("not-found")).ToContainTextAsync("返回首页");
        await page.ScreenshotToOutputAsync("not-found.png");
        await page.TestId("not-found-home").ClickAsync();

        await page.WaitForReadyAsync("home");
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Api_path_keeps_problem_json_in_browser()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync("api/v1/no-such-endpoint");

        Assert.NotNull(response);
        Assert.Equal(404, response.Status);
        Assert.StartsWith("application/problem+json", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        Assert.Contains("request.not_found", await response.TextAsync(), StringComparison.Ordinal);
    }
}
