using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Geography;
using Shanzhi.Grids;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The grid workers' static /m forms posted as a phone browser without scripts would post them.</summary>
public sealed partial class FieldFormTests
{
    private const string WorkerPassword = "Worker-Pass-2026";

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grid_worker_home_redirects_to_field_pages(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);

        var response = await worker.GetAsync("/");

        Assert.Equal("/m", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Oversized_report_photo_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude));

        // 5 MB is the default limit; a JPEG signature makes the size the only fault.
        var photo = new byte[5 * 1024 * 1024 + 1];
        photo[0] = 0xFF;
        photo[1] = 0xD8;
        photo[2] = 0xFF;
        var image = new ByteArrayContent(photo);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(image, "photo", "big.jpg");
        var response = await worker.PostAsync("/m/report", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-code=\"attachment.too_large\"", page, StringComparison.Ordinal);
        Assert.Contains("图片超过大小上限", page, StringComparison.Ordinal);
        Assert.Equal(0, await CaseCountAsync(worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Non_numeric_report_position_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, "二十九度");

        var response = await worker.PostAsync("/m/report", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-code=\"field.position_invalid\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_without_photo_is_stored(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude));

        var response = await worker.PostAsync("/m/report", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cases = await (await worker.GetAsync("/api/v1/cases")).ReadJsonAsync();
        Assert.Equal("GridWorker", cases.GetProperty("items")[0].GetProperty("channel").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_outside_the_grid_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var taskId = await GiveTodaysTaskAsync(platform, worker);

        var response = await worker.PostAsync($"/m/tasks/{taskId}/visit", await VisitFormAsync(worker, taskId, ApiClient.Cixi));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-code=\"visit.outside_grid\"", page, StringComparison.Ordinal);
        Assert.Contains("定位不在网格内", page, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_inside_the_grid_completes_the_task(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var taskId = await GiveTodaysTaskAsync(platform, worker);

        var response = await worker.PostAsync($"/m/tasks/{taskId}/visit", await VisitFormAsync(worker, taskId, ApiClient.Haishu));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var tasks = await worker.GetStringAsync("/m/tasks");
        Assert.Contains($"data-task=\"{taskId}\" data-state=\"Done\"", tasks, StringComparison.Ordinal);
    }

    /// <summary>Assigns the worker to the grid of <see cref="ApiClient.Haishu"/> with a daily plan; returns today's task id.</summary>
    private static async Task<Guid> GiveTodaysTaskAsync(PlatformFactory platform, HttpClient worker)
    {
        var me = await (await worker.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        await using var scope = platform.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var grid = services.GetRequiredService<GridLocator>().Locate(ApiClient.Haishu.Latitude, ApiClient.Haishu.Longitude)!;
        var prepared = await GridDemo.PrepareWorkerAsync(services.GetRequiredService<ShanzhiDbContext>(), services.GetRequiredService<TimeProvider>(),
            me.GetProperty("id").GetGuid(), grid.RegionCode, cancellationToken: TestContext.Current.CancellationToken);
        return prepared.Task.Id;
    }

    private static async Task<MultipartFormDataContent> VisitFormAsync(HttpClient worker, Guid taskId, (double Latitude, double Longitude) point)
    {
        var page = await worker.GetStringAsync($"/m/tasks/{taskId}/visit");
        return new MultipartFormDataContent
        {
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent("visit"), "_handler" },
            { new StringContent(Invariant(point.Latitude)), "Input.Latitude" },
            { new StringContent(Invariant(point.Longitude)), "Input.Longitude" },
            { new StringContent("巡查正常"), "Input.Notes" },
        };
    }

    private static async Task<int> CaseCountAsync(HttpClient worker) =>
        (await (await worker.GetAsync("/api/v1/cases")).ReadJsonAsync()).GetProperty("total").GetInt32();

    private static string Invariant(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<HttpClient> SignInWorkerAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("worker1", WorkerPassword, ["grid-worker"], "330203");
        return await platform.SignInAsync("worker1", WorkerPassword);
    }

    /// <summary>The report form's fields as the page rendered them (antiforgery token, handler name) with a title and a position.</summary>
    private static async Task<MultipartFormDataContent> ReportFormAsync(HttpClient worker, string latitude, string title = "人行道上堆放建筑垃圾")
    {
        var page = await worker.GetStringAsync("/m/report");
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        return new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("report"), "_handler" },
            { new StringContent(title), "Input.Title" },
            { new StringContent(latitude), "Input.Latitude" },
            { new StringContent(Invariant(ApiClient.Haishu.Longitude)), "Input.Longitude" },
        };
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
