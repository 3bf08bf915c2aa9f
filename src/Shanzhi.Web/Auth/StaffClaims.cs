using System.Globalization;
using System.Security.Claims;
using Shanzhi.Identity;

namespace Shanzhi.Web.Auth;

/// <summary>Claim types the sign-in cookie carries besides the standard name, id and role claims.</summary>
public static class StaffClaims
{
    public const string DisplayName = "shanzhi:display_name";
    public const string UnitId = "shanzhi:unit_id";
    public const string ScopePath = "shanzhi:scope_path";

    /// <summary>When the password step of this session succeeded, Unix seconds; the absolute timeout counts from it.</summary>
    public const string SignedInAt = "shanzhi:signed_in_at";

    /// <summary>Identity's claim for how the user signed in; "mfa" after a second factor.</summary>
    public const string AuthenticationMethodReference = "amr";

    /// <summary>Builds the service-level principal from the cookie, or null for an anonymous user.</summary>
    public static StaffPrincipal? ToStaffPrincipal(this ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || user.FindFirstValue(ScopePath) is not { Length: > 0 } scopePath)
        {
            return null;
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        Guid? unitId = Guid.TryParse(user.FindFirstValue(UnitId), CultureInfo.InvariantCulture, out var unit) ? unit : null;
        var displayName = user.FindFirstValue(DisplayName) ?? user.Identity.Name ?? "";
        return new StaffPrincipal(userId, displayName, roles, unitId, scopePath);
    }
}
