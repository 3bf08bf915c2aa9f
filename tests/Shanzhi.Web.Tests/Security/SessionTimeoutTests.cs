using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Security;

/// <summary>Idle (30 min, sliding) and absolute (8 h) session limits, on a fake clock.</summary>
public sealed class SessionTimeoutTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private Task<PlatformFactory> StartAsync() =>
        PlatformFactory.StartAsync(StoreKind.Sqlite, web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));

    [Fact]
    public async Task Session_ends_after_idle_timeout()
    {
        await using var platform = await StartAsync();
        var client = await platform.SignInAdminAsync();

        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Requests_keep_session_past_idle_timeout()
    {
        await using var platform = await StartAsync();
        var client = await platform.SignInAdminAsync();

        for (var step = 1; step <= 6; step++)
        {
            _clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        }
    }

    [Fact]
    public async Task Active_session_ends_after_absolute_timeout()
    {
        await using var platform = await StartAsync();
        var client = await platform.SignInAdminAsync();

        // Requests 20 minutes apart stay within the idle limit up to 7 h 40 min; the security-stamp
        // check rebuilds the principal on the way, which must keep the sign-in time.
        for (var step = 1; step <= 23; step++)
        {
            _clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        }

        _clock.Advance(TimeSpan.FromMinutes(21));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
    }
}
