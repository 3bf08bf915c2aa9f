using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Components;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// The system administrator's changes to other staff accounts: reading one, changing roles, unit
/// and scope, disabling and enabling. The authenticator reset is in <c>TwoFactorSignInTests</c>,
/// which runs with the second factor required.
/// </summary>
public sealed partial class AccountChangeTests
{
    private const string Password = "Clerk-Pass-2026";

    private static Task<HttpResponseMessage> ChangeAccessAsync(HttpClient admin, string id, string[] roles, string scopeRegionCode, string? unitId = null) =>
        admin.PutAsJsonAsync($"/api/v1/users/{id}/access", new { roles, unitId, scopeRegionCode });

    private static Task<HttpResponseMessage> LoginAsync(PlatformFactory platform, string userName, string password) =>
        platform.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName, password });

    private static async Task<JsonElement> GetUserAsync(HttpClient admin, string id) =>
        await (await admin.GetAsync($"/api/v1/users/{id}")).ReadJsonAsync();

    private static string[] RolesOf(JsonElement user) =>
        user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToArray();

    private static async Task<string> FirstUnitIdAsync(HttpClient admin) =>
        (await (await admin.GetAsync("/api/v1/units")).ReadJsonAsync())[0].GetProperty("id").GetString()!;

    [Fact]
    public async Task Get_user_returns_the_account()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");

        var user = await GetUserAsync(admin, id);

        Assert.Equal("clerk", user.GetProperty("userName").GetString());
        Assert.Equal(["leader"], RolesOf(user));
        Assert.Equal("330203", user.GetProperty("scopeRegionCode").GetString());
        Assert.False(user.GetProperty("disabled").GetBoolean());
        Assert.False(user.GetProperty("lockedOut").GetBoolean());
    }

    [Fact]
    public async Task Get_unknown_user_is_not_found()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.GetAsync($"/api/v1/users/{Guid.NewGuid()}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user.not_found");
    }

    [Fact]
    public async Task Access_change_replaces_roles_unit_and_scope()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        var unitId = await FirstUnitIdAsync(admin);
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");

        var changed = await (await ChangeAccessAsync(admin, id, ["unit-handler", "command-operator"], "330200", unitId)).ReadJsonAsync();

        Assert.Equal(["command-operator", "unit-handler"], RolesOf(changed));
        var stored = await GetUserAsync(admin, id);
        Assert.Equal(["command-operator", "unit-handler"], RolesOf(stored));
        Assert.Equal(unitId, stored.GetProperty("unitId").GetString());
        Assert.Equal("330200", stored.GetProperty("scopeRegionCode").GetString());
        var auditor = await platform.SignInAsync("auditor", "Audit-Pass-2026");
        var records = await (await auditor.GetAsync($"/api/v1/audit?action=PermissionChanged&subject={id}")).ReadJsonAsync();
        var details = records.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("detail").GetString()).ToList();
        Assert.Contains($"access changed: roles leader -> command-operator,unit-handler; unit none -> {unitId}; scope 330203 -> 330200", details);
    }

    [Theory]
    [InlineData("system-admin,audit-admin", "330203", false, "user.admin_roles_conflict")]
    [InlineData("unit-handler", "330203", false, "user.unit_required")]
    [InlineData("leader", "999999", false, "user.unknown_scope")]
    [InlineData("leader", "", false, "user.scope_required")]
    [InlineData("leader", "330203", true, "user.unknown_unit")]
    [InlineData("chief", "330203", false, "user.invalid_roles")]
    [InlineData("", "330203", false, "user.invalid_roles")]
    public async Task Invalid_access_change_is_rejected(string roles, string scope, bool unknownUnit, string code)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");

        var response = await ChangeAccessAsync(admin, id, roles.Split(',', StringSplitOptions.RemoveEmptyEntries), scope,
            unknownUnit ? Guid.NewGuid().ToString() : null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(["leader"], RolesOf(await GetUserAsync(admin, id)));
    }

    [Fact]
    public async Task Access_change_of_unknown_user_is_not_found()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await ChangeAccessAsync(admin, Guid.NewGuid().ToString(), ["leader"], "330203");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user.not_found");
    }

    [Fact]
    public async Task Own_account_changes_are_forbidden()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var ownId = (await (await admin.GetAsync("/api/v1/auth/me")).ReadJsonAsync()).GetProperty("id").GetString()!;

        var demote = await ChangeAccessAsync(admin, ownId, ["leader"], "330200");
        var grant = await ChangeAccessAsync(admin, ownId, ["system-admin", "command-operator", "leader"], "330200");
        var disable = await admin.PostAsync($"/api/v1/users/{ownId}/disable", null);
        var reset = await admin.PostAsync($"/api/v1/users/{ownId}/authenticator/reset", null);

        await ProblemAssert.IsProblemAsync(demote, HttpStatusCode.Forbidden, "user.own_account");
        await ProblemAssert.IsProblemAsync(grant, HttpStatusCode.Forbidden, "user.own_account");
        await ProblemAssert.IsProblemAsync(disable, HttpStatusCode.Forbidden, "user.own_account");
        await ProblemAssert.IsProblemAsync(reset, HttpStatusCode.Forbidden, "user.own_account");
        Assert.Equal(["command-operator", "system-admin"], RolesOf(await GetUserAsync(admin, ownId)));
    }

    [Fact]
    public async Task Access_change_ends_the_accounts_sessions()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        var session = await platform.SignInAsync("clerk", Password);

        await (await ChangeAccessAsync(admin, id, ["command-operator"], "330203")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/auth/me")).StatusCode);
        var again = await platform.SignInAsync("clerk", Password);
        var me = await (await again.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        Assert.Equal(["command-operator"], RolesOf(me));
    }

    [Fact]
    public async Task Unchanged_access_keeps_the_session()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        var session = await platform.SignInAsync("clerk", Password);

        await (await ChangeAccessAsync(admin, id, ["leader"], "330203")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Last_active_system_admin_keeps_the_role(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var otherId = await admin.CreateUserAsync("admin2", Password, ["system-admin"], "330200");

        // Now only admin2 has the system-admin role in the store, while admin's cookie still carries
        // it. An edit in the store or a concurrent change could leave this state behind.
        await RemoveRoleInStoreAsync(platform, "admin", Roles.SystemAdmin);
        var demote = await ChangeAccessAsync(admin, otherId, ["leader"], "330200");
        var disable = await admin.PostAsync($"/api/v1/users/{otherId}/disable", null);

        await ProblemAssert.IsProblemAsync(demote, HttpStatusCode.Conflict, "user.last_system_admin");
        await ProblemAssert.IsProblemAsync(disable, HttpStatusCode.Conflict, "user.last_system_admin");
        var other = await GetUserAsync(admin, otherId);
        Assert.Equal(["system-admin"], RolesOf(other));
        Assert.False(other.GetProperty("disabled").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task System_admins_disabling_each_other_at_once_leave_one(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var first = await platform.SignInAdminAsync();
        var firstId = (await (await first.GetAsync("/api/v1/auth/me")).ReadJsonAsync()).GetProperty("id").GetString()!;
        var secondId = await first.CreateUserAsync("admin2", Password, ["system-admin"], "330200");

        // Several rounds, because a single pair of requests may not overlap.
        for (var round = 0; round < 5; round++)
        {
            var second = await platform.SignInAsync("admin2", Password);
            first = await platform.SignInAdminAsync();

            var answers = await Task.WhenAll(
                first.PostAsync($"/api/v1/users/{secondId}/disable", null),
                second.PostAsync($"/api/v1/users/{firstId}/disable", null));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NoContent);
            Assert.Equal(1, await CountActiveSystemAdminsAsync(platform));

            // The one left enables the other for the next round.
            var (survivor, disabledId) = answers[0].StatusCode == HttpStatusCode.NoContent ? (first, secondId) : (second, firstId);
            Assert.Equal(HttpStatusCode.NoContent, (await survivor.PostAsync($"/api/v1/users/{disabledId}/enable", null)).StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Disabled_account_cannot_sign_in_and_its_session_ends(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        var session = await platform.SignInAsync("clerk", Password);

        var disable = await admin.PostAsync($"/api/v1/users/{id}/disable", null);

        Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/auth/me")).StatusCode);
        await ProblemAssert.IsProblemAsync(await LoginAsync(platform, "clerk", Password), HttpStatusCode.Forbidden, "auth.account_disabled");
        Assert.True((await GetUserAsync(admin, id)).GetProperty("disabled").GetBoolean());
        var listed = (await (await admin.GetAsync("/api/v1/users")).ReadJsonAsync()).EnumerateArray()
            .Single(u => u.GetProperty("id").GetString() == id);
        Assert.True(listed.GetProperty("disabled").GetBoolean());
    }

    [Fact]
    public async Task Wrong_password_hides_disabled_state()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        await admin.CreateUserAsync("active", Password, ["leader"], "330203");
        await admin.PostAsync($"/api/v1/users/{id}/disable", null);

        var disabled = await ProblemAssert.IsProblemAsync(await LoginAsync(platform, "clerk", "wrong-password"), HttpStatusCode.Unauthorized, "auth.invalid_credentials");
        var active = await ProblemAssert.IsProblemAsync(await LoginAsync(platform, "active", "wrong-password"), HttpStatusCode.Unauthorized, "auth.invalid_credentials");

        Assert.Equal(active.GetProperty("detail").GetString(), disabled.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Disabled_account_sees_message_on_login_page()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        await admin.PostAsync($"/api/v1/users/{id}/disable", null);
        var client = platform.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var token = AntiforgeryToken().Match(await client.GetStringAsync("/login")).Groups[1].Value;

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = "clerk",
            ["password"] = Password,
            ["returnUrl"] = "/",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/login?error=disabled", location, StringComparison.Ordinal);
        Assert.Contains(ConsoleText.LoginDisabled, await client.GetStringAsync(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enabled_account_signs_in_again()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        await admin.PostAsync($"/api/v1/users/{id}/disable", null);

        var enable = await admin.PostAsync($"/api/v1/users/{id}/enable", null);

        Assert.Equal(HttpStatusCode.NoContent, enable.StatusCode);
        Assert.False((await GetUserAsync(admin, id)).GetProperty("disabled").GetBoolean());
        await platform.SignInAsync("clerk", Password);
    }

    [Fact]
    public async Task Unlock_does_not_enable_disabled_account()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        await admin.PostAsync($"/api/v1/users/{id}/disable", null);

        var unlock = await admin.PostAsync($"/api/v1/users/{id}/unlock", null);

        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        await ProblemAssert.IsProblemAsync(await LoginAsync(platform, "clerk", Password), HttpStatusCode.Forbidden, "auth.account_disabled");
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("enable")]
    [InlineData("authenticator/reset")]
    public async Task Action_on_unknown_user_is_not_found(string action)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await admin.PostAsync($"/api/v1/users/{Guid.NewGuid()}/{action}", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "user.not_found");
    }

    [Theory]
    [InlineData("PUT", "access")]
    [InlineData("POST", "disable")]
    [InlineData("POST", "enable")]
    [InlineData("POST", "authenticator/reset")]
    [InlineData("GET", "")]
    public async Task Account_changes_need_system_admin(string method, string action)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var id = await admin.CreateUserAsync("clerk", Password, ["leader"], "330203");
        await admin.CreateUserAsync("security", Password, ["security-admin"], "330200");
        var security = await platform.SignInAsync("security", Password);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/users/{id}/{action}".TrimEnd('/'));
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { roles = new[] { "security-admin" }, scopeRegionCode = "330200" });
        }

        var response = await security.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(["leader"], RolesOf(await GetUserAsync(admin, id)));
    }

    private static async Task RemoveRoleInStoreAsync(PlatformFactory platform, string userName, string role)
    {
        await using var db = platform.Store.NewContext();
        var userId = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        var roleId = await db.Roles.Where(r => r.Name == role).Select(r => r.Id).SingleAsync();
        await db.UserRoles.Where(ur => ur.UserId == userId && ur.RoleId == roleId).ExecuteDeleteAsync();
    }

    private static async Task<int> CountActiveSystemAdminsAsync(PlatformFactory platform)
    {
        await using var db = platform.Store.NewContext();
        var roleId = await db.Roles.Where(r => r.Name == Roles.SystemAdmin).Select(r => r.Id).SingleAsync();
        return await db.UserRoles.Where(ur => ur.RoleId == roleId)
            .Join(db.Users, ur => ur.UserId, u => u.Id, (_, u) => u)
            .CountAsync(u => !u.IsDisabled);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
