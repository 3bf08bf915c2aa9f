using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The audit API: only audit administrators read it, and sign-ins, account changes and case actions show up.</summary>
public sealed class AuditLogTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Audit_log_is_for_audit_admins_and_records_logins_and_case_actions(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var reported = await admin.ReportAsync(ApiClient.Haishu);
        var caseId = reported.GetProperty("id").GetString()!;
        await admin.ActOkAsync(caseId, "file", new { categoryCode = "E0101" });
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        var failed = await platform.CreateClient().PostAsJsonAsync("/api/v1/auth/login",
            new { userName = "admin", password = "wrong-password" }, TestContext.Current.CancellationToken);
        var auditor = await platform.SignInAsync("auditor", "Audit-Pass-2026");

        var forbidden = await admin.GetAsync("/api/v1/audit", TestContext.Current.CancellationToken);
        var logins = await ItemsAsync(auditor, "/api/v1/audit?action=Login&actor=系统管理员");
        var failures = await ItemsAsync(auditor, "/api/v1/audit?action=LoginFailed");
        var caseRecords = await ItemsAsync(auditor, $"/api/v1/audit?subject={caseId}");
        var grants = await ItemsAsync(auditor, "/api/v1/audit?action=PermissionChanged");

        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "audit.forbidden");
        Assert.NotEmpty(logins);
        Assert.Equal("wrong password", Assert.Single(failures).GetProperty("detail").GetString());
        Assert.Contains(caseRecords, r => r.GetProperty("detail").GetString()!.EndsWith("File: Reported -> Filed", StringComparison.Ordinal));
        Assert.Equal("案件流转", caseRecords[0].GetProperty("actionName").GetString());
        Assert.Contains("audit-admin", Assert.Single(grants).GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Subject_filter_takes_Chinese_type_names(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var auditor = await FileCaseAndSignInAuditorAsync(platform);

        var byEnglishUser = await ItemsAsync(auditor, "/api/v1/audit?subject=user");
        var byChineseUser = await ItemsAsync(auditor, "/api/v1/audit?subject=账户");
        var byChineseCase = await ItemsAsync(auditor, "/api/v1/audit?subject=%20案件%20");
        var byUnknownName = await ItemsAsync(auditor, "/api/v1/audit?subject=不存在的类型");

        Assert.NotEmpty(byEnglishUser);
        Assert.All(byChineseUser, r => Assert.Equal("user", r.GetProperty("subjectType").GetString()));
        Assert.Equal(Hashes(byEnglishUser), Hashes(byChineseUser));
        Assert.NotEmpty(byChineseCase);
        Assert.All(byChineseCase, r => Assert.Equal("case", r.GetProperty("subjectType").GetString()));
        Assert.Empty(byUnknownName);
    }

    [Fact]
    public async Task Audit_page_opens_for_audit_admins_only()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        var auditor = await platform.SignInAsync("auditor", "Audit-Pass-2026");

        var forAdmin = await admin.GetAsync("/audit", TestContext.Current.CancellationToken);
        var forAuditor = await auditor.GetAsync("/audit", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, forAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forAuditor.StatusCode);
        Assert.Contains("审计日志", await forAuditor.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Audit_page_shows_Chinese_details(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        await platform.CreateClient().PostAsJsonAsync("/api/v1/auth/login",
            new { userName = "admin", password = "wrong-password" }, TestContext.Current.CancellationToken);
        var auditor = await FileCaseAndSignInAuditorAsync(platform);

        var page = await auditor.GetStringAsync("/audit", TestContext.Current.CancellationToken);

        Assert.Contains(">创建账户，角色：审计管理员，管辖区域：330200<", page);
        Assert.Contains(">密码错误<", page);
        Assert.Contains("立案：已上报 → 已立案<", page);
        Assert.Contains("账户 ", page);
        Assert.Contains("案件 ", page);

        // The stored English detail stays available on hover, unchanged.
        Assert.Contains("title=\"wrong password\"", page);
    }

    /// <summary>Reports and files a case as the administrator, then creates an audit administrator and returns a client signed in as them.</summary>
    private static async Task<HttpClient> FileCaseAndSignInAuditorAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        var reported = await admin.ReportAsync(ApiClient.Haishu);
        await admin.ActOkAsync(reported.GetProperty("id").GetString()!, "file", new { categoryCode = "E0101" });
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        return await platform.SignInAsync("auditor", "Audit-Pass-2026");
    }

    private static List<string?> Hashes(List<JsonElement> records) => [.. records.Select(r => r.GetProperty("hash").GetString())];

    private static async Task<List<JsonElement>> ItemsAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{url} returned {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return [.. (await response.ReadJsonAsync()).GetProperty("items").EnumerateArray()];
    }
}
