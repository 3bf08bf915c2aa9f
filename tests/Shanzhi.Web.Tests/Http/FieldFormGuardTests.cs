using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>What the /m forms do with input the JSON API rejects, and with posts that lack an antiforgery token.</summary>
public sealed partial class FieldFormTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Report_with_a_NUL_in_the_description_is_rejected_on_the_form(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude));
        form.Add(new StringContent("垃圾\0堆放"), "Input.Description");

        var response = await worker.PostAsync("/m/report", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-code=\"request.invalid_characters\"", page, StringComparison.Ordinal);
        Assert.Contains("“详细情况”中含有不可见的控制字符", page, StringComparison.Ordinal);
        Assert.Equal(0, await CaseCountAsync(worker));
    }

    [Theory]
    [InlineData("\u0007")]
    [InlineData("\u001B")]
    [InlineData("\u007F")]
    [InlineData("\u0085")]
    [InlineData("\u009F")]
    public async Task Report_title_with_a_control_character_is_rejected_on_the_form(string control)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude), "井盖" + control + "缺失");

        var page = await (await worker.PostAsync("/m/report", form)).Content.ReadAsStringAsync();

        Assert.Contains("“问题简述”中含有不可见的控制字符", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_with_line_breaks_and_tabs_in_the_description_is_stored()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude));
        form.Add(new StringContent("东门：\t堵塞\r\n西门：正常"), "Input.Description");

        var response = await worker.PostAsync("/m/report", form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Visit_notes_with_a_control_character_are_rejected_on_the_form(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);
        var taskId = await GiveTodaysTaskAsync(platform, worker);
        var fields = await VisitFieldsAsync(worker, taskId, ApiClient.Haishu);
        fields["Input.Notes"] = "楼道\u001B通畅";

        var response = await worker.PostAsync($"/m/tasks/{taskId}/visit", new FormUrlEncodedContent(fields));

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("“走访情况”中含有不可见的控制字符", page, StringComparison.Ordinal);
        Assert.Contains($"data-task=\"{taskId}\" data-state=\"Open\"", await worker.GetStringAsync("/m/tasks"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("G0101")]
    [InlineData("P0101")]
    [InlineData("P0301")]
    [InlineData("Y0101")]
    [InlineData("Y0201")]
    public async Task Report_form_offers_no_module_category(string code)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);

        var page = await worker.GetStringAsync("/m/report");

        Assert.Contains("<option value=\"E0101\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"<option value=\"{code}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_in_a_module_category_is_rejected_on_the_form()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);
        var form = await ReportFormAsync(worker, Invariant(ApiClient.Haishu.Latitude));
        form.Add(new StringContent("G0101"), "Input.CategoryCode");

        var response = await worker.PostAsync("/m/report", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("data-code=\"field.category_not_offered\"", page, StringComparison.Ordinal);
        Assert.Equal(0, await CaseCountAsync(worker));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Module_category_is_rejected_on_the_json_api(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var worker = await SignInWorkerAsync(platform);

        foreach (var code in new[] { "G0101", "P0101", "P0301", "Y0101", "Y0201" })
        {
            var response = await worker.PostAsJsonAsync("/api/v1/cases",
                new { title = "专项案件", latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude, categoryCode = code });
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "case.category_not_for_field");
        }

        var street = await worker.PostAsJsonAsync("/api/v1/cases",
            new { title = "人行道上有暴露垃圾", latitude = ApiClient.Haishu.Latitude, longitude = ApiClient.Haishu.Longitude, categoryCode = "E0101" });
        Assert.Equal(HttpStatusCode.Created, street.StatusCode);
        Assert.Equal(1, await CaseCountAsync(worker));
    }

    [Fact]
    public async Task Report_without_antiforgery_token_shows_the_form_again_with_an_error()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);
        var form = new MultipartFormDataContent
        {
            { new StringContent("report"), "_handler" },
            { new StringContent("人行道上堆放建筑垃圾"), "Input.Title" },
        };

        var response = await worker.PostAsync("/m/report", form);

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-code=\"request.antiforgery_invalid\"", page, StringComparison.Ordinal);
        Assert.Contains("页面已过期", page, StringComparison.Ordinal);
        Assert.Matches(AntiforgeryToken(), page);
        Assert.Equal(0, await CaseCountAsync(worker));
    }

    [Fact]
    public async Task Visit_with_a_forged_antiforgery_token_is_not_recorded()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var worker = await SignInWorkerAsync(platform);
        var taskId = await GiveTodaysTaskAsync(platform, worker);
        var fields = await VisitFieldsAsync(worker, taskId, ApiClient.Haishu);
        fields["__RequestVerificationToken"] = "CfDJ8-forged";

        var response = await worker.PostAsync($"/m/tasks/{taskId}/visit", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"data-task=\"{taskId}\" data-state=\"Open\"", await worker.GetStringAsync("/m/tasks"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_pages_log_no_antiforgery_warning()
    {
        var logs = new WarningRecorder();
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite,
            web => web.ConfigureLogging(logging => logging.AddProvider(logs)));
        var worker = await SignInWorkerAsync(platform);

        await worker.GetStringAsync("/m/report");
        await worker.GetStringAsync("/m");

        Assert.DoesNotContain(logs.Warnings, w => w.Contains("Antiforgery", StringComparison.Ordinal));
    }

    private static async Task<Dictionary<string, string>> VisitFieldsAsync(HttpClient worker, Guid taskId, (double Latitude, double Longitude) point)
    {
        var page = await worker.GetStringAsync($"/m/tasks/{taskId}/visit");
        return new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryToken().Match(page).Groups[1].Value,
            ["_handler"] = "visit",
            ["Input.Latitude"] = Invariant(point.Latitude),
            ["Input.Longitude"] = Invariant(point.Longitude),
            ["Input.Notes"] = "巡查正常",
        };
    }

    /// <summary>Keeps the category and text of every warning or worse that the host logs.</summary>
    private sealed class WarningRecorder : ILoggerProvider
    {
        public ConcurrentQueue<string> Warnings { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(WarningRecorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner.Warnings.Enqueue($"{category} {formatter(state, exception)}");
                }
            }
        }
    }
}
