using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The directory of PI handlers over HTTP: masking, audited reveal and export, the role rule, findings as cases.</summary>
public sealed class PiHandlerTests
{
    private const string OfficerName = "邬静怡";
    private const string OfficerPhone = "13967801234";
    private const string SupervisorPassword = "Pi-Supervisor-2026";

    static PiHandlerTests() => LogSink.RegisterName(OfficerName);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_needs_a_reason_and_both_outcomes_are_audited(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (supervisor, auditor) = await SignInRolesAsync(platform);
        var id = await CreateAsync(supervisor);

        var refused = await supervisor.PostAsJsonAsync($"/api/v1/pi-handlers/{id}/reveal", new { reason = "" }, Ct);
        var revealed = await (await supervisor.PostAsJsonAsync($"/api/v1/pi-handlers/{id}/reveal", new { reason = "约谈负责人" }, Ct)).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "pihandler.reason_required");
        Assert.Equal((OfficerName, OfficerPhone), (revealed.GetProperty("officerName").GetString(), revealed.GetProperty("officerPhone").GetString()));
        Assert.Equal("约谈负责人", Assert.Single(await AuditAsync(auditor, "Revealed")).GetProperty("purpose").GetString());
        Assert.Equal(id, Assert.Single(await AuditAsync(auditor, "RevealRefused")).GetProperty("subjectId").GetString());
    }

    [Fact]
    public async Task List_and_detail_mask_the_officer_and_are_not_cached()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (supervisor, _) = await SignInRolesAsync(platform);
        var id = await CreateAsync(supervisor);

        var list = await supervisor.GetAsync($"/api/v1/pi-handlers?officerPhone={OfficerPhone}&industry=Internet", Ct);
        var detail = await (await supervisor.GetAsync($"/api/v1/pi-handlers/{id}", Ct)).ReadJsonAsync();

        var body = await list.Content.ReadAsStringAsync(Ct);
        Assert.Equal("no-store", list.Headers.CacheControl?.ToString());
        Assert.Equal(1, (await list.ReadJsonAsync()).GetProperty("total").GetInt32());
        Assert.DoesNotContain(OfficerPhone, body, StringComparison.Ordinal);
        Assert.DoesNotContain(OfficerName, body, StringComparison.Ordinal);
        Assert.Equal(("邬**", "139****1234"), (detail.GetProperty("officerName").GetString(), detail.GetProperty("officerPhone").GetString()));
    }

    [Fact]
    public async Task Export_is_masked_csv_and_audited()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (supervisor, auditor) = await SignInRolesAsync(platform);
        await CreateAsync(supervisor);

        var response = await supervisor.GetAsync("/api/v1/pi-handlers/export.csv?keySupervision=true", Ct);

        var csv = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"139****1234\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(OfficerPhone, csv, StringComparison.Ordinal);
        Assert.Equal("keySupervision=True; rows=1", Assert.Single(await AuditAsync(auditor, "Exported")).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Only_pi_supervisors_use_the_directory()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (supervisor, _) = await SignInRolesAsync(platform);
        var id = await CreateAsync(supervisor);
        var admin = await platform.SignInAdminAsync();

        var list = await admin.GetAsync("/api/v1/pi-handlers", Ct);
        var reveal = await admin.PostAsJsonAsync($"/api/v1/pi-handlers/{id}/reveal", new { reason = "查看" }, Ct);

        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Forbidden, "pihandler.forbidden");
        await ProblemAssert.IsProblemAsync(reveal, HttpStatusCode.Forbidden, "pihandler.forbidden");
    }

    [Fact]
    public async Task Directory_page_opens_for_pi_supervisors_only()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (supervisor, _) = await SignInRolesAsync(platform);
        await CreateAsync(supervisor);
        var admin = await platform.SignInAdminAsync();

        var forAdmin = await admin.GetAsync("/pi-handlers", Ct);
        var forSupervisor = await supervisor.GetAsync("/pi-handlers", Ct);

        var page = await forSupervisor.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Redirect, forAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forSupervisor.StatusCode);
        Assert.Contains("139****1234", page, StringComparison.Ordinal);
        Assert.DoesNotContain(OfficerPhone, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_credit_code_is_a_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (supervisor, _) = await SignInRolesAsync(platform);

        var response = await supervisor.PostAsJsonAsync("/api/v1/pi-handlers", Body("91330200MA2AB12340"), Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "pihandler.invalid_credit_code");
        Assert.Equal("creditCode", problem.GetProperty("field").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Finding_opens_a_rectification_case(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (supervisor, _) = await SignInRolesAsync(platform);
        var id = await CreateAsync(supervisor);
        var inspection = await (await supervisor.PostAsJsonAsync($"/api/v1/pi-handlers/{id}/inspections",
            new { date = "2026-12-01", inspector = "检查员甲", result = "FindingsRaised" }, Ct)).ReadJsonAsync();

        var finding = await (await supervisor.PostAsJsonAsync($"/api/v1/pi-handlers/{id}/inspections/{inspection.GetProperty("id").GetString()}/findings",
            new { description = "未公开个人信息处理规则", severity = "Major" }, Ct)).ReadJsonAsync();

        var @case = await supervisor.GetCaseAsync(finding.GetProperty("caseId").GetString()!);
        Assert.Equal("P0301", @case.GetProperty("categoryCode").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Complaint_is_listed_under_its_handler(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (supervisor, _) = await SignInRolesAsync(platform);
        var handlerId = await CreateAsync(supervisor);

        var complaint = await (await supervisor.PostAsJsonAsync("/api/v1/privacy/requests",
            new { kind = "complaint", districtCode = "330203", description = "该公司未经同意向第三方提供用户信息", piHandlerId = handlerId }, Ct)).ReadJsonAsync();
        var access = await supervisor.PostAsJsonAsync("/api/v1/privacy/requests",
            new { kind = "access", districtCode = "330203", description = "请求查阅本人信息", piHandlerId = handlerId }, Ct);
        var unknown = await supervisor.PostAsJsonAsync("/api/v1/privacy/requests",
            new { kind = "report", districtCode = "330203", description = "违法收集个人信息", piHandlerId = Guid.NewGuid() }, Ct);
        var listed = await (await supervisor.GetAsync($"/api/v1/pi-handlers/{handlerId}/complaints", Ct)).ReadJsonAsync();

        var item = Assert.Single(listed.EnumerateArray());
        Assert.Equal(complaint.GetProperty("id").GetString(), item.GetProperty("caseId").GetString());
        Assert.Equal("P0201", item.GetProperty("categoryCode").GetString());
        await ProblemAssert.IsProblemAsync(access, HttpStatusCode.BadRequest, "privacy.handler_not_allowed");
        await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.BadRequest, "privacy.unknown_handler");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Body(string creditCode = "91330200MA2AB1234Y") => new
    {
        creditCode,
        name = "宁波某网络科技有限公司",
        industry = "Internet",
        scale = "Under1Million",
        regionCode = "330203",
        keySupervision = true,
        officerName = OfficerName,
        officerPhone = OfficerPhone,
        selfAssessment = new Dictionary<string, bool> { ["officer_appointed"] = true },
    };

    private static async Task<string> CreateAsync(HttpClient supervisor) =>
        (await (await supervisor.PostAsJsonAsync("/api/v1/pi-handlers", Body(), Ct)).ReadJsonAsync()).GetProperty("id").GetString()!;

    private static async Task<(HttpClient Supervisor, HttpClient Auditor)> SignInRolesAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("pisup", SupervisorPassword, ["pi-supervisor"], "330200");
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        return (await platform.SignInAsync("pisup", SupervisorPassword), await platform.SignInAsync("auditor", "Audit-Pass-2026"));
    }

    private static async Task<List<JsonElement>> AuditAsync(HttpClient auditor, string action) =>
        [.. (await (await auditor.GetAsync($"/api/v1/audit?action={action}", Ct)).ReadJsonAsync()).GetProperty("items").EnumerateArray()];
}
