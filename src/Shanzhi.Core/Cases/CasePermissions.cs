using Shanzhi.Identity;

namespace Shanzhi.Cases;

/// <summary>
/// Which role may take which action. The command centre runs the loop (file, dispatch, close …),
/// the handling unit's staff work on cases dispatched to their unit, and verifiers or grid
/// workers check the result on site. A system administrator gets case actions only through
/// another role.
/// </summary>
public static class CasePermissions
{
    private static readonly string[] CommandCentre = [Roles.CommandOperator];
    private static readonly string[] HandlingUnit = [Roles.UnitHandler];
    private static readonly string[] SiteCheck = [Roles.Verifier, Roles.GridWorker];

    /// <summary>Roles that may report a case from the console or the grid-worker page.</summary>
    public static IReadOnlyList<string> Reporters { get; } = [Roles.CommandOperator, Roles.UnitHandler, Roles.Verifier, Roles.GridWorker, Roles.PiSupervisor, Roles.MicroGridMember];

    public static IReadOnlyList<string> RolesFor(CaseAction action) => action switch
    {
        CaseAction.Start or CaseAction.Return or CaseAction.Resolve or CaseAction.RequestExtension => HandlingUnit,
        CaseAction.PassVerification or CaseAction.FailVerification => SiteCheck,
        _ => CommandCentre,
    };

    /// <summary>Checks role, unit and verifier assignment. The caller checks region scope and the entity checks state.</summary>
    public static Error? Check(CaseAction action, Case @case, StaffPrincipal user)
    {
        var roles = RolesFor(action);
        if (!roles.Any(user.IsInRole))
        {
            return CaseErrors.RoleRequired(action, roles);
        }

        // The platform itself (imports, jobs) acts for any unit.
        var isPlatform = ReferenceEquals(user, StaffPrincipal.System);
        if (roles == HandlingUnit && !isPlatform && (@case.UnitId is null || @case.UnitId != user.UnitId))
        {
            return CaseErrors.NotCaseUnit(action);
        }

        if (roles == SiteCheck && !isPlatform && @case.VerifierId is { } assigned && assigned != user.UserId)
        {
            return CaseErrors.NotAssignedVerifier;
        }

        return null;
    }
}
