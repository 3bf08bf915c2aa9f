using System.Net;
using System.Net.Http.Headers;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The closed loop over HTTP with separate operator, handler and verifier accounts.</summary>
public sealed class CaseLoopTests
{
    // The smallest valid PNG: signature, IHDR, IDAT and IEND chunks of a 1×1 image.
    private static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Case_runs_from_report_to_evaluation(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var reported = await admin.ReportAsync(ApiClient.Haishu);
        var id = reported.GetProperty("id").GetString()!;
        var district = reported.GetProperty("regionCode").GetString()![..6];

        await admin.ActOkAsync(id, "file", new { categoryCode = "E0101" });
        var proposal = await (await admin.GetAsync($"/api/v1/cases/{id}/routing-proposal")).ReadJsonAsync();
        var unitId = proposal.GetProperty("unitId").GetString()!;
        var dispatched = await admin.ActOkAsync(id, "dispatch", new { unitId });
        Assert.Equal(unitId, dispatched.GetProperty("unitId").GetString());

        await admin.CreateUserAsync("handler1", "Handler-Pass-2026", ["unit-handler"], district, unitId);
        await admin.CreateUserAsync("verifier1", "Verifier-Pass-2026", ["verifier"], district);
        var handler = await platform.SignInAsync("handler1", "Handler-Pass-2026");
        var verifier = await platform.SignInAsync("verifier1", "Verifier-Pass-2026");

        await handler.ActOkAsync(id, "start");
        var photo = new MultipartFormDataContent();
        var image = new ByteArrayContent(TinyPng);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        photo.Add(image, "file", "after.png");
        var upload = await handler.PostAsync($"/api/v1/cases/{id}/attachments?stage=handling", photo);
        var attachment = await upload.ReadJsonAsync();
        await handler.ActOkAsync(id, "resolve", new { reason = "已清理完毕" });
        await admin.ActOkAsync(id, "request-verification");
        await verifier.ActOkAsync(id, "pass-verification", new { reason = "现场已清理" });
        await admin.ActOkAsync(id, "close");
        var evaluated = await admin.ActOkAsync(id, "evaluate", new { satisfaction = 5 });

        Assert.Equal("Closed", evaluated.GetProperty("state").GetString());
        Assert.Equal(5, evaluated.GetProperty("satisfaction").GetInt32());
        var events = await (await admin.GetAsync($"/api/v1/cases/{id}/events")).ReadJsonAsync();
        var types = events.EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(
            ["Reported", "Filed", "Dispatched", "Started", "AttachmentAdded", "Resolved", "VerificationRequested", "VerificationPassed", "Closed", "Evaluated"],
            types);
        var download = await admin.GetAsync(attachment.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(TinyPng, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Handler_cannot_verify_own_work()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var reported = await admin.ReportAsync(ApiClient.Haishu);
        var id = reported.GetProperty("id").GetString()!;
        var district = reported.GetProperty("regionCode").GetString()![..6];
        await admin.ActOkAsync(id, "file", new { categoryCode = "E0101" });
        var unitId = (await (await admin.GetAsync($"/api/v1/cases/{id}/routing-proposal")).ReadJsonAsync()).GetProperty("unitId").GetString()!;
        await admin.ActOkAsync(id, "dispatch", new { unitId });
        await admin.CreateUserAsync("both", "Both-Roles-2026", ["unit-handler", "verifier"], district, unitId);
        var both = await platform.SignInAsync("both", "Both-Roles-2026");
        await both.ActOkAsync(id, "start");
        await both.ActOkAsync(id, "resolve", new { reason = "已处理" });
        await admin.ActOkAsync(id, "request-verification");

        var response = await both.ActAsync(id, "pass-verification");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, "case.verifier_is_handler");
        Assert.Equal("Verifying", (await admin.GetCaseAsync(id)).GetProperty("state").GetString());
    }
}
