using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Security;

/// <summary>The platform as deployed: administrators need a TOTP second factor.</summary>
public sealed class TwoFactorSignInTests
{
    private static Task<PlatformFactory> StartAsync(StoreKind kind = StoreKind.Sqlite) =>
        PlatformFactory.StartAsync(kind, web => web.UseSetting("Security:RequireTwoFactorForAdmins", "true"));

    private static HttpClient NewClient(PlatformFactory platform) =>
        platform.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> PasswordAsync(HttpClient client, string userName = "admin", string password = PlatformFactory.AdminPassword) =>
        client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });

    /// <summary>Signs the administrator in for the first time, enrolling an authenticator; returns the signed-in client and the key.</summary>
    /// <summary>A new client past the password step of the administrator, waiting for the code.</summary>
    private static async Task<HttpClient> AtCodeStepAsync(PlatformFactory platform)
    {
        var client = NewClient(platform);
        await (await PasswordAsync(client)).ReadJsonAsync();
        return client;
    }

    private static Task<HttpResponseMessage> CodeAsync(HttpClient client, string code) =>
        client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code });

    private static async Task<(HttpClient Client, string Key)> SignInFirstTimeAsync(
        PlatformFactory platform, string userName = "admin", string password = PlatformFactory.AdminPassword)
    {
        var client = NewClient(platform);
        var login = await (await PasswordAsync(client, userName, password)).ReadJsonAsync();
        var key = login.GetProperty("sharedKey").GetString()!;
        await (await client.PostAsJsonAsync("/api/v1/auth/enroll", new { code = Totp.Now(key) })).ReadJsonAsync();
        return (client, key);
    }

    private static async Task<string> EnrollAdminAsync(PlatformFactory platform) => (await SignInFirstTimeAsync(platform)).Key;

    [Fact]
    public async Task Password_of_unenrolled_administrator_asks_for_enrolment_with_key_and_uri()
    {
        await using var platform = await StartAsync();
        var client = NewClient(platform);

        var body = await (await PasswordAsync(client)).ReadJsonAsync();

        Assert.True(body.GetProperty("requiresEnrollment").GetBoolean());
        Assert.Matches("^[A-Z2-7]{16,}$", body.GetProperty("sharedKey").GetString());
        Assert.StartsWith("otpauth://totp/", body.GetProperty("authenticatorUri").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_between_password_and_enrolment_reaches_nothing()
    {
        await using var platform = await StartAsync();
        var client = NewClient(platform);
        await (await PasswordAsync(client)).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Enrolment_with_wrong_code_is_rejected()
    {
        await using var platform = await StartAsync();
        var client = NewClient(platform);
        var key = (await (await PasswordAsync(client)).ReadJsonAsync()).GetProperty("sharedKey").GetString()!;

        var response = await client.PostAsJsonAsync("/api/v1/auth/enroll", new { code = Totp.WrongNow(key) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_code");
    }

    [Fact]
    public async Task Enrolment_with_code_from_the_key_signs_in()
    {
        await using var platform = await StartAsync();
        var client = NewClient(platform);
        var key = (await (await PasswordAsync(client)).ReadJsonAsync()).GetProperty("sharedKey").GetString()!;

        await (await client.PostAsJsonAsync("/api/v1/auth/enroll", new { code = Totp.Now(key) })).ReadJsonAsync();

        var me = await (await client.GetAsync("/api/v1/auth/me")).ReadJsonAsync();
        Assert.Contains("system-admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Enrolled_administrator_is_asked_for_a_code_and_is_not_signed_in_yet()
    {
        await using var platform = await StartAsync();
        await EnrollAdminAsync(platform);
        var client = NewClient(platform);

        var body = await (await PasswordAsync(client)).ReadJsonAsync();

        Assert.True(body.GetProperty("requiresTwoFactor").GetBoolean());
        Assert.False(body.TryGetProperty("sharedKey", out var key) && key.ValueKind == JsonValueKind.String, "The key is shown only at enrolment.");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Enrolled_administrator_signs_in_with_a_fresh_code()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);
        var client = await AtCodeStepAsync(platform);

        // The current code was used at enrolment, so the app's next code signs in.
        await (await CodeAsync(client, Totp.Next(key))).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task Enrolment_code_rejected_at_sign_in()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);
        var client = await AtCodeStepAsync(platform);

        var response = await CodeAsync(client, Totp.Now(key));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_code");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Code_signs_in_only_once(StoreKind kind)
    {
        await using var platform = await StartAsync(kind);
        var key = await EnrollAdminAsync(platform);
        var code = Totp.Next(key);
        await (await CodeAsync(await AtCodeStepAsync(platform), code)).ReadJsonAsync();
        var second = await AtCodeStepAsync(platform);

        var replay = await CodeAsync(second, code);

        await ProblemAssert.IsProblemAsync(replay, HttpStatusCode.Unauthorized, "auth.invalid_code");
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Same_code_sent_twice_at_once_signs_in_once(StoreKind kind)
    {
        await using var platform = await StartAsync(kind);
        var key = await EnrollAdminAsync(platform);
        var clients = new[] { await AtCodeStepAsync(platform), await AtCodeStepAsync(platform) };
        var code = Totp.Next(key);

        var responses = await Task.WhenAll(clients.Select(c => CodeAsync(c, code)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Earlier_step_code_rejected()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);

        // The previous step is inside the drift window, but the enrolment used the step after it.
        var response = await CodeAsync(await AtCodeStepAsync(platform), Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(-30)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_code");
    }

    [Fact]
    public async Task Code_beyond_the_drift_window_is_rejected()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);

        // Three steps ahead is at least two steps from the server's step, even when a step boundary passes meanwhile.
        var response = await CodeAsync(await AtCodeStepAsync(platform), Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(90)));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.invalid_code");
    }

    [Fact]
    public async Task Code_without_password_step_is_rejected()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);

        var response = await NewClient(platform).PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Now(key) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.step_expired");
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_account()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);
        var client = NewClient(platform);
        await (await PasswordAsync(client)).ReadJsonAsync();

        for (var attempt = 1; attempt < 5; attempt++)
        {
            await ProblemAssert.IsProblemAsync(
                await client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.WrongNow(key) }), HttpStatusCode.Unauthorized, "auth.invalid_code");
        }

        var fifth = await client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.WrongNow(key) });

        await ProblemAssert.IsProblemAsync(fifth, HttpStatusCode.Locked, "auth.locked_out");
    }

    [Fact]
    public async Task Locked_account_refuses_even_the_right_code()
    {
        await using var platform = await StartAsync();
        var key = await EnrollAdminAsync(platform);
        var client = NewClient(platform);
        await (await PasswordAsync(client)).ReadJsonAsync();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.WrongNow(key) });
        }

        // Not the enrolment's code, which would be rejected as used whatever the lockout.
        var response = await client.PostAsJsonAsync("/api/v1/auth/login/totp", new { code = Totp.Next(key) });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Locked, "auth.locked_out");
    }

    [Fact]
    public async Task Staff_without_administrator_role_signs_in_with_password_alone()
    {
        await using var platform = await StartAsync();
        var (admin, _) = await SignInFirstTimeAsync(platform);
        await admin.CreateUserAsync("operator1", "Operator-Test-2026", ["command-operator"], "330200");

        var client = NewClient(platform);
        var body = await (await PasswordAsync(client, "operator1", "Operator-Test-2026")).ReadJsonAsync();

        Assert.Equal("测试operator1", body.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Reset_authenticator_leads_to_enrolment()
    {
        await using var platform = await StartAsync();
        var (admin, _) = await SignInFirstTimeAsync(platform);
        var id = await admin.CreateUserAsync("secadmin", "Secadmin-Test-2026", ["security-admin"], "330200");
        var (session, oldKey) = await SignInFirstTimeAsync(platform, "secadmin", "Secadmin-Test-2026");

        var reset = await admin.PostAsync($"/api/v1/users/{id}/authenticator/reset", null);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/auth/me")).StatusCode);
        var client = NewClient(platform);
        var login = await (await PasswordAsync(client, "secadmin", "Secadmin-Test-2026")).ReadJsonAsync();
        Assert.True(login.GetProperty("requiresEnrollment").GetBoolean());
        var newKey = login.GetProperty("sharedKey").GetString()!;
        Assert.NotEqual(oldKey, newKey);

        // Usually the step of the first enrolment, accepted because the reset deleted the last accepted step.
        await (await client.PostAsJsonAsync("/api/v1/auth/enroll", new { code = Totp.Now(newKey) })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Added_administrator_role_requires_enrolment()
    {
        await using var platform = await StartAsync();
        var (admin, _) = await SignInFirstTimeAsync(platform);
        var id = await admin.CreateUserAsync("operator1", "Operator-Test-2026", ["command-operator"], "330200");
        var session = NewClient(platform);
        await (await PasswordAsync(session, "operator1", "Operator-Test-2026")).ReadJsonAsync();

        var change = await admin.PutAsJsonAsync($"/api/v1/users/{id}/access", new { roles = new[] { "audit-admin" }, scopeRegionCode = "330200" });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/auth/me")).StatusCode);
        var login = await (await PasswordAsync(NewClient(platform), "operator1", "Operator-Test-2026")).ReadJsonAsync();
        Assert.True(login.GetProperty("requiresEnrollment").GetBoolean());
    }

    [Fact]
    public async Task Account_disabled_before_the_code_step_is_refused()
    {
        await using var platform = await StartAsync();
        var (admin, _) = await SignInFirstTimeAsync(platform);
        var id = await admin.CreateUserAsync("secadmin", "Secadmin-Test-2026", ["security-admin"], "330200");
        var (_, key) = await SignInFirstTimeAsync(platform, "secadmin", "Secadmin-Test-2026");
        var client = NewClient(platform);
        await (await PasswordAsync(client, "secadmin", "Secadmin-Test-2026")).ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/users/{id}/disable", null)).StatusCode);
        var response = await CodeAsync(client, Totp.Next(key));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden, "auth.account_disabled");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }
}
