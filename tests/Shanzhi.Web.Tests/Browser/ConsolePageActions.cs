using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>What a staff member does in the console, expressed once for every browser test.</summary>
public static partial class ConsolePageActions
{
    public static ILocator TestId(this IPage page, string id) => page.Locator($"[data-testid='{id}']");

    /// <summary>Signs in through the login form and waits until the console left the login page.</summary>
    public static async Task LoginAsync(this IPage page, string userName, string password, string returnUrl = "/")
    {
        await page.GotoAsync($"login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.TestId("login-user").FillAsync(userName);
        await page.TestId("login-password").FillAsync(password);
        await page.TestId("login-submit").ClickAsync();
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith("/login", StringComparison.Ordinal));
    }

    /// <summary>
    /// Waits until the page's interactive circuit is up: before that, clicks on the prerendered
    /// markup are silently lost.
    /// </summary>
    public static Task WaitForReadyAsync(this IPage page, string pageKey) =>
        page.Locator($"body[data-ready='true'][data-page='{pageKey}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    public static async Task GotoReadyAsync(this IPage page, string url, string pageKey)
    {
        await page.GotoAsync(url);
        await page.WaitForReadyAsync(pageKey);
    }

    /// <summary>
    /// Picks an option of the AntDesign select inside the wrapper <paramref name="testId"/>: the
    /// option containing <paramref name="text"/> (typed into the search box), or the first one.
    /// The click is dispatched to the option element rather than aimed at its position: the
    /// dropdown slides in and re-renders while it filters, so it is rarely "stable" for a real click.
    /// </summary>
    public static async Task PickOptionAsync(this IPage page, string testId, string? text = null)
    {
        var select = page.TestId(testId);
        await select.Locator(".ant-select-selector").ClickAsync();
        if (text is not null)
        {
            await select.Locator("input").PressSequentiallyAsync(text);
        }

        var options = page.Locator(".ant-select-dropdown .ant-select-item-option");
        var option = text is null ? options.First : options.Filter(new() { HasText = text }).First;
        var label = await option.GetAttributeAsync("aria-label") ?? "";
        await option.DispatchEventAsync("click");
        await Assertions.Expect(select.Locator(".ant-select-selection-item")).ToContainTextAsync(label);
    }

    /// <summary>Clicks the map of the report form at a WGS84 coordinate.</summary>
    public static async Task ClickMapAtAsync(this IPage page, string testId, double latitude, double longitude)
    {
        var map = page.TestId(testId);
        await page.Locator($"[data-testid='{testId}'][data-map-ready='true']").WaitForAsync();
        var point = await map.EvaluateAsync<double[]?>(
            "async (element, [lat, lng]) => { const p = (await import('./js/map.js')).containerPoint(element, lat, lng); return p ? [p.x, p.y] : null; }",
            new object[] { latitude, longitude });
        Assert.NotNull(point);
        await map.ClickAsync(new() { Position = new() { X = (float)point[0], Y = (float)point[1] } });
    }

    /// <summary>Takes a case action on the detail page and waits for its event in the timeline.</summary>
    public static async Task ActAsync(this IPage page, string action, string expectedEvent, Func<Task>? fillInputs = null)
    {
        await page.TestId($"action-{action}").ClickAsync();
        await page.Locator($"[data-testid='action-form'][data-action='{action}']").WaitForAsync();
        if (fillInputs is not null)
        {
            await fillInputs();
        }

        await page.TestId("action-submit").ClickAsync();
        await page.Locator($"[data-testid='timeline-item'][data-event='{expectedEvent}']").WaitForAsync();
    }

    public static async Task<byte[]> ScreenshotToOutputAsync(this IPage page, string name)
    {
        var bytes = await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleAppFixture.ScreenshotDirectory, name), FullPage = true });
        TestContext.Current.AddAttachment(name, bytes, "image/png");
        return bytes;
    }

    /// <summary>
    /// Id of the case the page shows, read from the browser's location: after an in-app
    /// navigation (history.pushState) Playwright's cached page URL can lag behind.
    /// </summary>
    public static async Task<Guid> CurrentCaseIdAsync(this IPage page)
    {
        var path = await page.EvaluateAsync<string>("() => location.pathname");
        return Guid.Parse(CasePath().Match(path).Groups[1].Value);
    }

    [GeneratedRegex(@"^/cases/([0-9a-fA-F-]{36})$")]
    private static partial Regex CasePath();
}
