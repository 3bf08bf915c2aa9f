using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Identity;
using Shanzhi.Web.Tests.Security;

namespace Shanzhi.Web.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class StaffSecurityTests(ConsoleAppFixture app)
{
    [Fact]
    public async Task Console_pages_run_under_the_content_security_policy()
    {
        app.SkipIfUnavailable();
        await app.ReportCaseAsync("策略测试案件", 29.8700, 121.5450);
        var page = await app.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.LoginAsync(ConsoleAppFixture.AdminUserName, ConsoleAppFixture.AdminPassword, "/map");
        await page.WaitForReadyAsync("map");
        await page.GotoReadyAsync("cases", "case-list");
        await page.GotoReadyAsync("cases/new", "case-new");
        await page.GotoReadyAsync("kpi", "kpi");
        await page.GotoReadyAsync("", "home");

        Assert.Empty(violations);
    }

    [Fact]
    public async Task Enrolled_user_signs_in_with_the_authenticator_code()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("totp-operator", "动态口令测试员", "command-operator");
        var key = await app.EnrollAuthenticatorAsync("totp-operator");
        var page = await app.NewPageAsync();

        await page.GotoAsync("login?returnUrl=%2Fcases");
        await page.TestId("login-user").FillAsync("totp-operator");
        await page.TestId("login-password").FillAsync(ConsoleAppFixture.StaffPassword);
        await page.TestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login/totp");
        await page.TestId("totp-code").FillAsync(Totp.Now(key));
        await page.TestId("totp-submit").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/cases");
        await page.ScreenshotToOutputAsync("login-totp-done.png");
    }

    [Fact]
    public async Task Open_page_goes_to_login_after_account_change()
    {
        app.SkipIfUnavailable();
        await app.CreateStaffAsync("revalidate-operator", "会话复核测试员", "command-operator");
        var page = await app.NewPageAsync();
        await page.LoginAsync("revalidate-operator", ConsoleAppFixture.StaffPassword, "/cases");
        await page.WaitForReadyAsync("case-list");

        // A password reset, an access change or disabling the account each replace the security stamp.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByNameAsync("revalidate-operator") ?? throw new InvalidOperationException("The test account is missing.");
            Assert.True((await users.UpdateSecurityStampAsync(user)).Succeeded);
        }

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        Assert.Contains("returnUrl=%2Fcases", page.Url, StringComparison.Ordinal);
    }
}
