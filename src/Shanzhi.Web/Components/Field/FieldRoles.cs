using Shanzhi.Identity;

namespace Shanzhi.Web.Components.Field;

/// <summary>Who works from the phone pages, and who lands there after signing in.</summary>
public static class FieldRoles
{
    /// <summary>The roles of <c>[Authorize(Roles = …)]</c> on the field pages, comma-separated.</summary>
    public const string Allowed = Roles.GridWorker + "," + Roles.MicroGridMember;

    /// <summary>
    /// Whether the console's home page should send this user to the phone pages: a field role and
    /// no role that works in the console. A grid worker who also verifies for the street keeps the console.
    /// </summary>
    public static bool LandsOnPhonePages(StaffPrincipal user) =>
        user.IsInAnyRole(Roles.GridWorker, Roles.MicroGridMember)
        && !user.Roles.Any(r => r is not (Roles.GridWorker or Roles.MicroGridMember));
}
