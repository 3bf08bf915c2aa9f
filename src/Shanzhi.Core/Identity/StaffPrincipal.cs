using Shanzhi.Cases;

namespace Shanzhi.Identity;

/// <summary>
/// The signed-in staff member as services see it: who, which roles, which unit, which region.
/// The web host builds it from the cookie's claims; the CLI uses <see cref="System"/>.
/// </summary>
public sealed record StaffPrincipal(Guid? UserId, string DisplayName, IReadOnlySet<string> Roles, Guid? UnitId, string ScopePath)
{
    /// <summary>Region path that covers every region, including the external one.</summary>
    public const string RootScope = "/";

    /// <summary>The platform itself: imports, scheduled jobs. Every role, every region.</summary>
    public static readonly StaffPrincipal System = new(null, "系统", new HashSet<string>(Identity.Roles.All), null, RootScope);

    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsInAnyRole(params ReadOnlySpan<string> roles)
    {
        foreach (var role in roles)
        {
            if (Roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a record located at <paramref name="regionPath"/> is inside this user's region scope.</summary>
    public bool CanSee(string regionPath) => regionPath.StartsWith(ScopePath, StringComparison.Ordinal);

    public Actor AsActor() => new(UserId, DisplayName);
}
