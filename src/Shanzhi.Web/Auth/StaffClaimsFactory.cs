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
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(StaffClaims.DisplayName, user.DisplayName));
        identity.AddClaim(new Claim(StaffClaims.ScopePath, user.ScopePath));
        if (user.UnitId is { } unitId)
        {
            identity.AddClaim(new Claim(StaffClaims.UnitId, unitId.ToString("D", CultureInfo.InvariantCulture)));
        }

        return identity;
    }
}
