using System.Globalization;
using System.Security.Claims;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Tests.Security;

public sealed class SessionRulesTests
{
    private static readonly DateTimeOffset SignedIn = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private static ClaimsPrincipal Principal(string role, bool secondFactor)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, role),
            new(StaffClaims.SignedInAt, SignedIn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
        };
        if (secondFactor)
        {
            claims.Add(new Claim(StaffClaims.AuthenticationMethodReference, "mfa"));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }

    [Fact]
    public void Administrator_session_without_second_factor_is_rejected()
    {
        Assert.False(AuthRegistration.IsSessionCurrent(Principal("security-admin", false), new SecurityOptions(), SignedIn.AddMinutes(1)));
    }

    [Fact]
    public void Administrator_session_with_second_factor_is_kept()
    {
        Assert.True(AuthRegistration.IsSessionCurrent(Principal("audit-admin", true), new SecurityOptions(), SignedIn.AddMinutes(1)));
    }

    [Fact]
    public void Session_without_sign_in_time_is_rejected()
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "leader")], "test"));

        Assert.False(AuthRegistration.IsSessionCurrent(principal, new SecurityOptions(), SignedIn));
    }
}
