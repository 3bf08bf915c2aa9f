using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Inputs a first user tried against the platform: each gets a 4xx problem and changes nothing.</summary>
public sealed class HardeningTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Nul_character_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var client = await platform.SignInAdminAsync();

        var body = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            title = "a\u0000b",
            latitude = ApiClient.Haishu.Latitude,
            longitude = ApiClient.Haishu.Longitude,
            categoryCode = "E0101",
        });
        var query = await client.GetAsync("/api/v1/cases?q=a%00b");
        var form = await client.PostAsync("/open311/v2/requests.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "E0101",
            ["lat"] = "29.87",
            ["long"] = "121.545",
            ["description"] = "a\u0000b",
        }));

        var bodyProblem = await ProblemAssert.IsProblemAsync(body, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal("title", bodyProblem.GetProperty("field").GetString());
        await ProblemAssert.IsProblemAsync(query, HttpStatusCode.BadRequest, "request.invalid_characters");
        await ProblemAssert.IsProblemAsync(form, HttpStatusCode.BadRequest, "request.invalid_characters");
        var page = await (await client.GetAsync("/api/v1/cases?pageSize=1")).ReadJsonAsync();
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Bidirectional_override_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var body = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            title = "井盖\u202E缺失",
            latitude = ApiClient.Haishu.Latitude,
            longitude = ApiClient.Haishu.Longitude,
            categoryCode = "E0101",
        });

        var problem = await ProblemAssert.IsProblemAsync(body, HttpStatusCode.BadRequest, "request.invalid_field");
        Assert.Equal("title", problem.GetProperty("field").GetString());
        var page = await (await client.GetAsync("/api/v1/cases?pageSize=1")).ReadJsonAsync();
        Assert.Equal(0, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Json_in_other_charset_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();
        var content = new StringContent("{\"title\":\"x\"}", Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "gbk" };

        var response = await client.PostAsync("/api/v1/cases", content);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "request.unsupported_charset");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Dispatch_to_unit_of_other_district_is_rejected(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var id = (await admin.ReportAsync(ApiClient.Haishu)).GetProperty("id").GetString()!;
        await admin.ActOkAsync(id, "file", new { categoryCode = "E0101" });
        var units = await (await admin.GetAsync("/api/v1/units")).ReadJsonAsync();
        var cixiGovernment = units.EnumerateArray().First(u => u.GetProperty("regionCode").GetString() == "330282").GetProperty("id").GetString();

        var response = await admin.ActAsync(id, "dispatch", new { unitId = cixiGovernment });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "case.unit_outside_region");
        Assert.Equal("Filed", (await admin.GetCaseAsync(id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Street_user_cannot_report_outside_scope()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var haishuStreet = (await admin.ReportAsync(ApiClient.Haishu)).GetProperty("regionCode").GetString()![..9];
        await admin.CreateUserAsync("haishu-operator", "Street-Pass-2026", ["command-operator"], haishuStreet);
        var streetUser = await platform.SignInAsync("haishu-operator", "Street-Pass-2026");

        var response = await streetUser.PostAsJsonAsync("/api/v1/cases", new
        {
            title = "慈溪的井盖",
            latitude = ApiClient.Cixi.Latitude,
            longitude = ApiClient.Cixi.Longitude,
            categoryCode = "C0101",
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "geo.outside_scope");
        var all = await (await admin.GetAsync("/api/v1/cases?pageSize=10")).ReadJsonAsync();
        Assert.Equal(1, all.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Password_change_takes_effect()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var wrong = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "not-it", newPassword = "Changed-Pass-2026" });
        var changed = await admin.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = PlatformFactory.AdminPassword, newPassword = "Changed-Pass-2026" });

        await ProblemAssert.IsProblemAsync(wrong, HttpStatusCode.BadRequest, "auth.wrong_password");
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        var old = await platform.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "admin", password = PlatformFactory.AdminPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await platform.SignInAsync("admin", "Changed-Pass-2026");
    }

    [Fact]
    public async Task Admin_unlocks_locked_account()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("clerk", "Clerk-Pass-2026", ["leader"], "330203");
        var users = await (await admin.GetAsync("/api/v1/users")).ReadJsonAsync();
        var clerkId = users.EnumerateArray().First(u => u.GetProperty("userName").GetString() == "clerk").GetProperty("id").GetString();
        var anonymous = platform.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "clerk", password = "wrong" });
        }

        var locked = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "clerk", password = "Clerk-Pass-2026" });
        var unlock = await admin.PostAsync($"/api/v1/users/{clerkId}/unlock", null);

        await ProblemAssert.IsProblemAsync(locked, (HttpStatusCode)423, "auth.locked_out");
        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        await platform.SignInAsync("clerk", "Clerk-Pass-2026");
    }

    [Fact]
    public async Task Calendar_with_null_entry_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PutAsync("/api/v1/calendar/2027", new StringContent("[null]", Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "calendar.invalid_day");
    }

    [Fact]
    public async Task Kpi_period_backwards_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync("/api/v1/kpi?from=2026-12-31&to=2026-01-01");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "kpi.invalid_period");
    }

    [Fact]
    public async Task Truncated_jpeg_is_rejected()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = (await admin.ReportAsync(ApiClient.Haishu)).GetProperty("id").GetString()!;
        var photo = new MultipartFormDataContent();
        var image = new ByteArrayContent([0xFF, 0xD8, 0xFF]);
        image.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/jpeg");
        photo.Add(image, "file", "broken.jpg");

        var response = await admin.PostAsync($"/api/v1/cases/{id}/attachments?stage=report", photo);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "attachment.unsupported_type");
    }
}
