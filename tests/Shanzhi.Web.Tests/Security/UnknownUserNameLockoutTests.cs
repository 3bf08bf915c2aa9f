using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Identity;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Auth;
using Shanzhi.Web.Components;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Security;

/// <summary>
/// Sign-in with a user name that matches no account gets the same responses as a wrong password
/// for an account, lockout after five failures included, so the responses do not show which
/// names exist.
/// </summary>
public sealed partial class UnknownUserNameLockoutTests
{
    private const string UnknownName = "no-such-clerk";

    private const int Attempts = 6;

    [Fact]
    public async Task Unknown_name_locks_like_account_on_api()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient();

        var known = new List<string>();
        var unknown = new List<string>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            known.Add(await ApiAnswerAsync(client, "admin"));
            unknown.Add(await ApiAnswerAsync(client, UnknownName));
        }

        Assert.Equal(known, unknown);
        Assert.Equal($"401 auth.invalid_credentials {AuthErrors.InvalidCredentials.Detail}", unknown[3]);
        Assert.Equal($"423 auth.locked_out {AuthErrors.LockedOut.Detail}", unknown[4]);
        Assert.Equal($"423 auth.locked_out {AuthErrors.LockedOut.Detail}", unknown[5]);
    }

    [Fact]
    public async Task Locked_unknown_name_is_audited_as_unknown()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        await admin.CreateUserAsync("auditor", "Audit-Pass-2026", ["audit-admin"], "330200");
        var client = platform.CreateClient();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            await ApiAnswerAsync(client, UnknownName);
        }

        var locked = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = UnknownName, password = "wrong-password" });
        var auditor = await platform.SignInAsync("auditor", "Audit-Pass-2026");
        var failures = await (await auditor.GetAsync("/api/v1/audit?action=LoginFailed")).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(locked, HttpStatusCode.Locked, "auth.locked_out");
        var details = failures.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("detail").GetString()).ToList();
        Assert.Equal(Attempts + 1, details.Count);
        Assert.All(details, detail => Assert.Equal("unknown user name", detail));
    }

    [Fact]
    public async Task Unknown_name_locks_like_account_in_console()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = platform.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        var token = AntiforgeryToken().Match(await client.GetStringAsync("/login")).Groups[1].Value;

        var known = new List<string?>();
        var unknown = new List<string?>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            known.Add(await FormAnswerAsync(client, token, "admin"));
            unknown.Add(await FormAnswerAsync(client, token, UnknownName));
        }

        var page = await client.GetStringAsync(unknown[^1]);

        Assert.Equal(known, unknown);
        Assert.Equal("/login?error=1&returnUrl=%2F", unknown[3]);
        Assert.Equal("/login?error=locked&returnUrl=%2F", unknown[4]);
        Assert.Contains(ConsoleText.LoginLocked, page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_name_lockout_ends_after_lockout_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite,
            web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        var client = platform.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await ApiAnswerAsync(client, UnknownName);
        }

        clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await ApiAnswerAsync(client, UnknownName);
        clock.Advance(TimeSpan.FromMinutes(2));
        var unlocked = await ApiAnswerAsync(client, UnknownName);

        Assert.StartsWith("423 ", stillLocked, StringComparison.Ordinal);
        Assert.StartsWith("401 ", unlocked, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_name_costs_one_password_verification()
    {
        var hasher = new CountingPasswordHasher();
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite,
            web => web.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<StaffUser>>(hasher)));
        var client = platform.CreateClient();

        await ApiAnswerAsync(client, "admin");
        var forAccount = hasher.Verifications;
        await ApiAnswerAsync(client, UnknownName);
        var forUnknownName = hasher.Verifications - forAccount;

        Assert.Equal(1, forAccount);
        Assert.Equal(1, forUnknownName);
    }

    [Fact]
    public void Full_name_cache_is_logged_once()
    {
        var logger = new RecordingLogger();
        using var lockout = new UnknownUserNameLockout(Options.Create(new IdentityOptions()), TimeProvider.System, logger);
        var hasher = new RejectingPasswordHasher();

        // 100 names past the bound: compaction frees about 5% of the entries, far more than 100, so the cache fills only once.
        for (var name = 0; name < UnknownUserNameLockout.MaxTrackedNames + 100; name++)
        {
            lockout.CheckPassword(string.Create(CultureInfo.InvariantCulture, $"NO-SUCH-CLERK-{name}"), "wrong-password", hasher, lockoutOnFailure: true);
        }

        var warning = Assert.Single(logger.Entries);
        Assert.Equal(6, warning.EventId.Id);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.DoesNotContain("NO-SUCH-CLERK", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>Signs in with a wrong password; returns status, problem code and detail in one line.</summary>
    private static async Task<string> ApiAnswerAsync(HttpClient client, string userName)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = "wrong-password" });
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return $"{(int)response.StatusCode} {problem.GetProperty("code").GetString()} {problem.GetProperty("detail").GetString()}";
    }

    /// <summary>Posts the console login form with a wrong password; returns where it redirects.</summary>
    private static async Task<string?> FormAnswerAsync(HttpClient client, string token, string userName)
    {
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = "wrong-password",
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location?.OriginalString;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    /// <summary>A hasher that rejects every password without hashing, so a test can make many attempts quickly.</summary>
    private sealed class RejectingPasswordHasher : IPasswordHasher<StaffUser>
    {
        public string HashPassword(StaffUser user, string password) => "not-a-hash";

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword) =>
            PasswordVerificationResult.Failed;
    }

    /// <summary>Every entry logged through it, with its event id, level and formatted message.</summary>
    private sealed class RecordingLogger : ILogger<UnknownUserNameLockout>
    {
        public ConcurrentQueue<(EventId EventId, LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((eventId, logLevel, formatter(state, exception)));
    }

    /// <summary>Identity's hasher, counting how often a password is verified.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<StaffUser>
    {
        private readonly PasswordHasher<StaffUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(StaffUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
