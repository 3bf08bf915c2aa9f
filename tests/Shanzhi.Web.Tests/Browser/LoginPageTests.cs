using Microsoft.Playwright;

namespace Shanzhi.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LoginPageTests(ConsoleAppFixture app)
{
    [Fact]
    public async Task Login_page_renders_the_Chinese_form_with_its_assets()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        var failed = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                failed.Add($"{response.Status} {response.Url}");
            }
        };

        await page.GotoAsync("login", new() { WaitUntil = WaitUntilState.NetworkIdle });

        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("善治", await page.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal("登 录", (await page.TestId("login-submit").InnerTextAsync()).Trim());
        Assert.Empty(failed);
        await page.ScreenshotToOutputAsync("login.png");
    }

    [Fact]
    public async Task Login_page_styles_come_from_the_vendored_AntDesign_sheet()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.GotoAsync("login", new() { WaitUntil = WaitUntilState.NetworkIdle });

        // Unstyled, a button keeps the browser's grey; AntDesign paints the primary button blue.
        var background = await page.TestId("login-submit").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

        Assert.NotEqual("rgb(239, 239, 239)", background);
    }

    [Fact]
    public async Task Wrong_password_shows_the_Chinese_error()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.GotoAsync("login");

        await page.TestId("login-user").FillAsync(ConsoleAppFixture.AdminUserName);
        await page.TestId("login-password").FillAsync("not-the-password");
        await page.TestId("login-submit").ClickAsync();

        await Assertions.Expect(page.TestId("login-error")).ToContainTextAsync("用户名或密码错误");
    }

    [Fact]
    public async Task Anonymous_visit_to_the_case_list_lands_on_the_login_page()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();

        await page.GotoAsync("cases");

        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Signed_in_user_sees_the_name_and_can_sign_out()
    {
        app.SkipIfUnavailable();
        var page = await app.NewPageAsync();
        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword, "/map");
        await page.WaitForReadyAsync("map");

        await Assertions.Expect(page.TestId("user-name")).Not.ToBeEmptyAsync();
        await page.TestId("logout").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
    }
}
