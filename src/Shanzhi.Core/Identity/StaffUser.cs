using Microsoft.AspNetCore.Identity;

namespace Shanzhi.Identity;

/// <summary>A staff account: roles say what the user may do, the region scope says where.</summary>
public sealed class StaffUser : IdentityUser<Guid>
{
    public StaffUser()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString();
    }

    public required string DisplayName { get; set; }

    /// <summary>Unit the user works for; handlers act only on cases dispatched to it.</summary>
    public Guid? UnitId { get; set; }

    /// <summary>Region the user may see and act in (a city scope sees everything).</summary>
    public required string ScopeRegionCode { get; set; }

    /// <summary>Path of <see cref="ScopeRegionCode"/>, copied so scope checks need no join.</summary>
    public required string ScopePath { get; set; }
}

/// <summary>Role names. Stable strings: they are stored in the database and in cookies.</summary>
public static class Roles
{
    public const string SystemAdmin = "system-admin";
    public const string SecurityAdmin = "security-admin";
    public const string AuditAdmin = "audit-admin";
    public const string CommandOperator = "command-operator";
    public const string UnitHandler = "unit-handler";
    public const string Verifier = "verifier";
    public const string GridWorker = "grid-worker";
    public const string Leader = "leader";

    public static readonly IReadOnlyList<string> All = [SystemAdmin, SecurityAdmin, AuditAdmin, CommandOperator, UnitHandler, Verifier, GridWorker, Leader];

    /// <summary>
    /// The three administrator roles MLPS level 3 keeps apart (三员分立): one account holds at most
    /// one of them, and each signs in with a second factor.
    /// </summary>
    public static readonly IReadOnlyList<string> Administrators = [SystemAdmin, SecurityAdmin, AuditAdmin];

    public static bool IsAdministrator(IEnumerable<string> roles) => roles.Any(Administrators.Contains);

    /// <summary>The administrator roles in <paramref name="roles"/> when there are two or more of them, else empty.</summary>
    public static IReadOnlyList<string> ConflictingAdministratorRoles(IEnumerable<string> roles)
    {
        var held = Administrators.Where(roles.Contains).ToList();
        return held.Count > 1 ? held : [];
    }

    public static string ChineseName(string role) => role switch
    {
        SystemAdmin => "系统管理员",
        SecurityAdmin => "安全管理员",
        AuditAdmin => "审计管理员",
        CommandOperator => "指挥中心受理员",
        UnitHandler => "处置单位人员",
        Verifier => "核查员",
        GridWorker => "网格员",
        Leader => "领导（只读）",
        _ => role,
    };
}
