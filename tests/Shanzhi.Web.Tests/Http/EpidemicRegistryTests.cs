using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>The population registry and health status over HTTP: status codes, problem codes, masking, audit, no caching.</summary>
public sealed class EpidemicRegistryTests
{
    private const string Name = "宓思远";
    private const string OfficerPassword = "Epi-Officer-2026";

    static EpidemicRegistryTests() => LogSink.RegisterName(Name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registration_is_masked_and_deduplicated(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        var grid = await AnyGridAsync(platform);

        var created = await officer.PostAsJsonAsync("/api/v1/epidemic/persons", Body(1, grid), Ct);
        var again = await officer.PostAsJsonAsync("/api/v1/epidemic/persons", Body(1, grid), Ct);

        var body = await created.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("no-store", created.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(Name, body, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticIds.Id(1), body, StringComparison.Ordinal);
        var key = JsonDocument.Parse(body).RootElement.GetProperty("personKey").GetInt64();
        var problem = await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, "person.duplicate");
        Assert.Contains(key.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_input_and_roles_are_problems()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _, _) = await SignInAsync(platform);
        var admin = await platform.SignInAdminAsync();

        var invalid = await officer.PostAsJsonAsync("/api/v1/epidemic/persons", Body(1, null) with { IdNumber = SyntheticIds.WithBadCheckDigit(1) }, Ct);
        var forbidden = await admin.GetAsync("/api/v1/epidemic/persons", Ct);
        var missing = await officer.GetAsync("/api/v1/epidemic/persons/999999", Ct);

        var problem = await ProblemAssert.IsProblemAsync(invalid, HttpStatusCode.BadRequest, "privacy.id_number_invalid");
        Assert.Equal("idNumber", problem.GetProperty("field").GetString());
        await ProblemAssert.IsProblemAsync(forbidden, HttpStatusCode.Forbidden, "person.forbidden");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound, "person.not_found");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_needs_a_reason_and_both_outcomes_are_audited(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, auditor) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 1, null);

        var refused = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/reveal", new { reason = "" }, Ct);
        var revealed = await (await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/reveal", new { reason = "核实密接身份" }, Ct)).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, "person.reason_required");
        Assert.Equal((Name, SyntheticIds.Id(1)), (revealed.GetProperty("name").GetString(), revealed.GetProperty("idNumber").GetString()));
        Assert.Equal("核实密接身份", Assert.Single(await AuditAsync(auditor, "Revealed")).GetProperty("purpose").GetString());
        Assert.Equal(key, Assert.Single(await AuditAsync(auditor, "RevealRefused")).GetProperty("subjectId").GetString());
    }

    [Fact]
    public async Task Two_uploaded_files_import_neither()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _, _) = await SignInAsync(platform);
        var first = Encoding.UTF8.GetBytes($"姓名,身份证号,人口类别\r\n测试甲,{SyntheticIds.Id(42)},常住人口\r\n");
        var second = Encoding.UTF8.GetBytes($"姓名,身份证号,人口类别\r\n测试乙,{SyntheticIds.Id(43)},常住人口\r\n");
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(first), "file", "a.csv" },
            { new ByteArrayContent(second), "file", "b.csv" },
        };

        var response = await officer.PostAsync("/api/v1/epidemic/persons/import", form, Ct);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "request.multiple_files");
        Assert.Equal("file", problem.GetProperty("field").GetString());
        var persons = await (await officer.GetAsync("/api/v1/epidemic/persons", Ct)).ReadJsonAsync();
        Assert.Equal(0, persons.GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gbk_csv_upload_reports_not_utf8(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GB18030").GetBytes($"姓名,身份证号,人口类别\r\n测试甲,{SyntheticIds.Id(41)},常住人口\r\n");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(gbk), "file", "persons.csv" } };

        var response = await officer.PostAsync("/api/v1/epidemic/persons/import", form, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadJsonAsync();
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((1, "import.not_utf8"), (error.GetProperty("row").GetInt32(), error.GetProperty("code").GetString()));
        Assert.Contains("CSV UTF-8", error.GetProperty("message").GetString());
        Assert.Equal(0, report.GetProperty("imported").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Csv_header_error_rejects_file(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        var csv = $"name,id_number,residency,nickname\r\n测试甲,{SyntheticIds.Id(42)},Permanent,甲\r\n";

        var response = await officer.PostAsync("/api/v1/epidemic/persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadJsonAsync();
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal((1, "import.unknown_column"), (error.GetProperty("row").GetInt32(), error.GetProperty("code").GetString()));
        Assert.True(report.GetProperty("fileRejected").GetBoolean(), "a header error did not reject the file");
        Assert.Equal(0, report.GetProperty("failedRows").GetInt32());
        Assert.True(report.GetProperty("hasErrors").GetBoolean(), "a rejected file reported no errors");
        Assert.Equal((0, 0), (report.GetProperty("rows").GetInt32(), report.GetProperty("imported").GetInt32()));
    }

    [Fact]
    public async Task Csv_empty_id_number_is_required()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _, _) = await SignInAsync(platform);
        var csv = "name,id_number,residency\r\n测试甲,,Permanent\r\n";

        var response = await officer.PostAsync("/api/v1/epidemic/persons/import", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var error = Assert.Single((await response.ReadJsonAsync()).GetProperty("errors").EnumerateArray());
        Assert.Equal((2, "person.id_number_required", "请填写身份证号码。"),
            (error.GetProperty("row").GetInt32(), error.GetProperty("code").GetString(), error.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Csv_import_reports_rows_and_honours_atomic(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        var csv = "name,id_number,phone,residency,home_grid\r\n"
                  + $"测试甲,{SyntheticIds.Id(40)},,Permanent,\r\n"
                  + $"测试乙,{SyntheticIds.Id(40)},,Permanent,\r\n";

        var atomic = await (await officer.PostAsync("/api/v1/epidemic/persons/import?atomic=true",
            new StringContent(csv, Encoding.UTF8, "text/csv"), Ct)).ReadJsonAsync();
        using var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "persons.csv" } };
        var partial = await (await officer.PostAsync("/api/v1/epidemic/persons/import", form, Ct)).ReadJsonAsync();
        var json = await officer.PostAsJsonAsync("/api/v1/epidemic/persons/import", new { csv }, Ct);

        Assert.Equal((0, true), (atomic.GetProperty("imported").GetInt32(), atomic.GetProperty("rolledBack").GetBoolean()));
        Assert.Equal(1, partial.GetProperty("imported").GetInt32());
        Assert.Equal(1, partial.GetProperty("failedRows").GetInt32());
        Assert.False(partial.GetProperty("fileRejected").GetBoolean(), "a row error rejected the whole file");
        var error = Assert.Single(partial.GetProperty("errors").EnumerateArray());
        Assert.Equal((3, "person.duplicate_in_file"), (error.GetProperty("row").GetInt32(), error.GetProperty("code").GetString()));
        await ProblemAssert.IsProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "request.unsupported_media_type");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Health_changes_by_all_three_sources(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, second, _) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 1, null);

        var upstream = await (await officer.PostAsJsonAsync("/api/v1/epidemic/health/upstream", new
        {
            sourceSystem = "浙江省健康码",
            items = new object[]
            {
                new { idNumber = SyntheticIds.Id(1), status = "Yellow", upstreamRef = "ZJ-1", at = "2026-12-01T08:00:00+08:00" },
                new { idNumber = SyntheticIds.Id(2), status = "Red", upstreamRef = "ZJ-2", at = "2026-12-01T08:00:00+08:00" },
            },
        }, Ct)).ReadJsonAsync();
        var rule = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/health/rule-hits",
            new { ruleId = "close-contact", evidence = "流调判定", evidenceRef = "INV-1" }, Ct);
        var filed = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/health/overrides",
            new { status = "Green", reason = "复核排除密接" }, Ct);
        var id = (await filed.ReadJsonAsync()).GetProperty("id").GetString();
        var fetched = await officer.GetAsync(filed.Headers.Location, Ct);
        var self = await officer.PostAsync($"/api/v1/epidemic/health/overrides/{id}/approve", null, Ct);
        var approved = await second.PostAsync($"/api/v1/epidemic/health/overrides/{id}/approve", null, Ct);
        var explanation = await (await officer.GetAsync($"/api/v1/epidemic/persons/{key}/health/explanation", Ct)).ReadJsonAsync();
        var history = await (await officer.GetAsync($"/api/v1/epidemic/persons/{key}/health", Ct)).ReadJsonAsync();

        Assert.Equal(["Applied", "Rejected"], upstream.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("outcome").GetString()));
        Assert.Equal(HttpStatusCode.OK, rule.StatusCode);
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        Assert.Equal(id, (await fetched.ReadJsonAsync()).GetProperty("id").GetString());
        await ProblemAssert.IsProblemAsync(self, HttpStatusCode.Forbidden, "health.self_approval");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Contains("人工调整：复核排除密接", explanation.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(["Upstream", "Rule", "Manual"], history.EnumerateArray().Select(c => c.GetProperty("source").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_rule_hit_returns_first_response(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 1, null);
        var path = $"/api/v1/epidemic/persons/{key}/health/rule-hits";
        var hit = new { ruleId = "close-contact", evidence = "流调判定", evidenceRef = "INV-1", hitRef = "RE-1" };

        var first = await officer.PostAsJsonAsync(path, hit, Ct);
        var again = await officer.PostAsJsonAsync(path, hit, Ct);
        var reused = await officer.PostAsJsonAsync(path, hit with { evidence = "另一次流调判定" }, Ct);
        var history = await (await officer.GetAsync($"/api/v1/epidemic/persons/{key}/health", Ct)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal("RE-1", (await again.ReadJsonAsync()).GetProperty("hitRef").GetString());
        await ProblemAssert.IsProblemAsync(reused, HttpStatusCode.Conflict, "health.hit_ref_reused");
        Assert.Equal(1, history.GetArrayLength());
    }

    [Fact]
    public async Task Rule_hit_without_evidence_is_a_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _, _) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 1, null);

        var response = await officer.PostAsJsonAsync($"/api/v1/epidemic/persons/{key}/health/rule-hits", new { ruleId = "close-contact" }, Ct);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "health.evidence_required");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Id_number_search_takes_a_body(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var (officer, _, _) = await SignInAsync(platform);
        var key = await RegisterAsync(officer, 1, null);
        await RegisterAsync(officer, 2, null);

        var found = await (await officer.PostAsJsonAsync("/api/v1/epidemic/persons/search", new { idNumber = SyntheticIds.Id(1) }, Ct)).ReadJsonAsync();
        var inQuery = await officer.GetAsync($"/api/v1/epidemic/persons?idNumber={SyntheticIds.Id(1)}", Ct);

        var item = Assert.Single(found.GetProperty("items").EnumerateArray());
        Assert.Equal(key, item.GetProperty("personKey").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("未赋码", item.GetProperty("statusName").GetString());
        await ProblemAssert.IsProblemAsync(inQuery, HttpStatusCode.BadRequest, "person.id_number_in_query");
    }

    [Fact]
    public async Task Registry_page_is_masked_and_restricted()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var (officer, _, _) = await SignInAsync(platform);
        await RegisterAsync(officer, 1, null);
        var admin = await platform.SignInAdminAsync();

        var forAdmin = await admin.GetAsync("/epidemic/persons", Ct);
        var forOfficer = await officer.GetAsync("/epidemic/persons", Ct);

        var page = await forOfficer.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Redirect, forAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forOfficer.StatusCode);
        Assert.Contains("宓**", page, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticIds.Id(1), page, StringComparison.Ordinal);
        Assert.DoesNotContain(Name, page, StringComparison.Ordinal);
    }

    private sealed record PersonBody(string Name, string IdNumber, string Phone, string Residency, string? HomeGridCode);

    private static PersonBody Body(int n, string? grid) => new(Name, SyntheticIds.Id(n), "13957400002", "Permanent", grid);

    private static async Task<string> RegisterAsync(HttpClient officer, int n, string? grid) =>
        (await (await officer.PostAsJsonAsync("/api/v1/epidemic/persons", Body(n, grid), Ct)).ReadJsonAsync())
        .GetProperty("personKey").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> AnyGridAsync(PlatformFactory platform)
    {
        await using var db = platform.Store.NewContext();
        return await db.Regions.Where(r => r.Level == RegionLevel.Grid).OrderBy(r => r.Code).Select(r => r.Code).FirstAsync(Ct);
    }

    private static async Task<(HttpClient Officer, HttpClient Second, HttpClient Auditor)> SignInAsync(PlatformFactory platform)
    {
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("epi1", OfficerPassword, ["epidemic-officer"], "330200");
        await admin.CreateUserAsync("epi2", OfficerPassword, ["epidemic-officer"], "330200");
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        return (await platform.SignInAsync("epi1", OfficerPassword), await platform.SignInAsync("epi2", OfficerPassword),
            await platform.SignInAsync("auditor", "Audit-Pass-2026"));
    }

    private static async Task<List<JsonElement>> AuditAsync(HttpClient auditor, string action) =>
        [.. (await (await auditor.GetAsync($"/api/v1/audit?action={action}", Ct)).ReadJsonAsync()).GetProperty("items").EnumerateArray()];
}
