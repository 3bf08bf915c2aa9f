using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

/// <summary>Adds display name, unit and region scope to the sign-in cookie so no request needs a lookup.</summary>
public sealed class StaffClaimsFactory(
    UserManager<StaffUser> userManager,
    RoleManager<IdentityRole<Guid>> roleManager,
    IOptions<IdentityOptions> options,
    TimeProvider clock)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(StaffClaims.ScopePath, user.ScopePath));

        // Replaced by the original sign-in time when the security stamp check rebuilds the principal.
        identity.AddClaim(new Claim(StaffClaims.SignedInAt,
            clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        if (user.UnitId is { } unitId)
        {
            identity.AddClaim(new Claim(StaffClaims.UnitId, unitId.ToString("D", CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
