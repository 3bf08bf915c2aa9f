using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Browser;

/// <summary>
/// The real web host on Kestrel at 127.0.0.1 (free port) with its own data folder, and Debian's
/// Chromium driven by Playwright. One instance serves every test of the browser collection.
/// </summary>
public sealed class ConsoleAppFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string AdminUserName = "admin";
    public const string AdminPassword = "Browser-Admin-2026!";
    public const string StaffPassword = "Browser-Staff-2026!";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu",
    ];

    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;
    private string? _dataDirectory;

    /// <summary>Why the browser tests cannot run here; null when they can.</summary>
    public string? SkipReason { get; private set; }

    public Uri BaseAddress { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _factory!.Services;

    /// <summary>Screenshots land here and are attached to the test result.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            var reason = $"Browser tests need Debian's Chromium at {ChromiumPath} (apt-get install chromium fonts-noto-cjk).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(reason + " CI must install it.");
            }

            SkipReason = reason;
            return;
        }

        _dataDirectory = Directory.CreateTempSubdirectory("shanzhi-browser-").FullName;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("Storage:Provider", "Sqlite");
            web.UseSetting("Storage:DataDirectory", _dataDirectory);
            web.UseSetting("Bootstrap:AdminPassword", AdminPassword);

            // The console tests sign in as the bootstrap administrator with the password alone;
            // the TOTP step has its own test with an enrolled account.
            web.UseSetting("Security:RequireTwoFactorForAdmins", "false");

            // Open pages re-check their session every second, so an account change reaches an open page within a second.
            web.UseSetting("Security:ConsoleRevalidationInterval", "00:00:01");
            web.ConfigureLogging(logging => logging.AddProvider(LogSink.Shared.Provider()));
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());

        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ChromiumArgs,
            Headless = true,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public void SkipIfUnavailable()
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }
    }

    /// <summary>A fresh browser context (own cookies) at a desktop size, with Chinese as the browser language.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Creates a unit for the test to dispatch to, named so the unit select can find it.</summary>
    public async Task<Guid> CreateUnitAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var unit = new Unit { Name = name, Kind = UnitKind.Department, RegionCode = await CityCodeAsync(db) };
        db.Units.Add(unit);
        await db.SaveChangesAsync();
        return unit.Id;
    }

    /// <summary>Reports a case as the platform itself, for pages that need one to show.</summary>
    public async Task<Guid> ReportCaseAsync(string title, double latitude, double longitude)
    {
        await using var scope = Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<CaseService>()
            .ReportAsync(new ReportCaseRequest(title, null, latitude, longitude), StaffPrincipal.System, CancellationToken.None);
        return result.Value?.Id ?? throw new InvalidOperationException($"Could not report the test case: {result.Error}");
    }

    /// <summary>Creates a staff account with city-wide scope and the given roles (created if missing).</summary>
    public async Task CreateStaffAsync(string userName, string displayName, string role, Guid? unitId = null)
    {
        LogSink.RegisterName(displayName);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();

        if (!await db.Roles.AnyAsync(r => r.Name == role))
        {
            db.Roles.Add(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7(), NormalizedName = role.ToUpperInvariant() });
            await db.SaveChangesAsync();
        }

        var cityCode = await CityCodeAsync(db);
        var cityPath = await db.Regions.Where(r => r.Code == cityCode).Select(r => r.Path).FirstOrDefaultAsync() ?? StaffPrincipal.RootScope;
        var user = new StaffUser
        {
            UserName = userName,
            DisplayName = displayName,
            UnitId = unitId,
            ScopeRegionCode = cityCode,
            ScopePath = cityPath,
        };
        Check(await users.CreateAsync(user, StaffPassword), userName);
        Check(await users.AddToRoleAsync(user, role), userName);
    }

    /// <summary>Switches on the authenticator second factor for an existing account; returns its key.</summary>
    public async Task<string> EnrollAuthenticatorAsync(string userName)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No test user {userName}.");
        Check(await users.ResetAuthenticatorKeyAsync(user), userName);
        Check(await users.SetTwoFactorEnabledAsync(user, true), userName);
        return (await users.GetAuthenticatorKeyAsync(user))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_dataDirectory is not null)
        {
            // SQLite pools may still hold the file briefly; a leftover temp folder is harmless.
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> CityCodeAsync(ShanzhiDbContext db) =>
        await db.Regions.Where(r => r.Level == RegionLevel.City).Select(r => r.Code).FirstOrDefaultAsync() ?? "330200";

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create test user {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ConsoleAppFixture>
{
    public const string Name = "browser";
}
