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
    public const string CommandOperator = "command-operator";
    public const string UnitHandler = "unit-handler";
    public const string Verifier = "verifier";
    public const string GridWorker = "grid-worker";
    public const string Leader = "leader";
    public const string AuditAdmin = "audit-admin";

    public static readonly IReadOnlyList<string> All = [SystemAdmin, CommandOperator, UnitHandler, Verifier, GridWorker, Leader, AuditAdmin];

    public static string ChineseName(string role) => role switch
    {
        SystemAdmin => "系统管理员",
        CommandOperator => "指挥中心受理员",
        UnitHandler => "处置单位人员",
        Verifier => "核查员",
        GridWorker => "网格员",
        Leader => "领导（只读）",
        AuditAdmin => "审计管理员",
        _ => role,
    };
}
