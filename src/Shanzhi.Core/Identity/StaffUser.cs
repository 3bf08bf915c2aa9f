using Microsoft.AspNetCore.Identity;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Identity;

/// <summary>A staff account: its roles define what the user may do, and its region scope defines where.</summary>
[Classify(DataClass.Internal, "员工账号管理", Activity = "员工账号与登录")]
[ClassifyMember(nameof(UserName), DataClass.Personal, "登录名")]
[ClassifyMember(nameof(NormalizedUserName), DataClass.Personal, "登录名（检索用）")]
[ClassifyMember(nameof(Email), DataClass.Personal, "联系员工")]
[ClassifyMember(nameof(NormalizedEmail), DataClass.Personal, "联系员工（检索用）")]
[ClassifyMember(nameof(EmailConfirmed), DataClass.Internal, "邮箱是否已验证")]
[ClassifyMember(nameof(PhoneNumber), DataClass.Personal, "联系员工、短信通知")]
[ClassifyMember(nameof(PhoneNumberConfirmed), DataClass.Internal, "手机号是否已验证")]
[ClassifyMember(nameof(PasswordHash), DataClass.Sensitive, "登录校验（仅存口令散列）")]
[ClassifyMember(nameof(SecurityStamp), DataClass.Sensitive, "登录会话失效控制")]
public sealed class StaffUser : IdentityUser<Guid>
{
    public StaffUser()
    {
        Id = Guid.CreateVersion7();
        SecurityStamp = Guid.NewGuid().ToString();
    }

    [Classify(DataClass.Personal, "在案件记录与界面中显示经办人")]
    public required string DisplayName { get; set; }

    /// <summary>Unit the user works for; handlers act only on cases dispatched to it.</summary>
    public Guid? UnitId { get; set; }

    /// <summary>Region the user may see and act in (a city scope covers every region of the city).</summary>
    public required string ScopeRegionCode { get; set; }

    /// <summary>Path of <see cref="ScopeRegionCode"/>, copied so scope checks need no join.</summary>
    public required string ScopePath { get; set; }

    /// <summary>
    /// Whether an administrator has disabled the account (a member of staff who left, for example).
    /// A disabled account cannot sign in and its sessions end; unlike a lockout it does not expire.
    /// </summary>
    public bool IsDisabled { get; set; }
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
    public const string PiSupervisor = "pi-supervisor";

    /// <summary>Volunteer of a micro-grid (微网格): reports from the field like a grid worker.</summary>
    public const string MicroGridMember = "micro-grid-member";

    /// <summary>Epidemic-control staff: registry, gate devices, health status and investigations (流调).</summary>
    public const string EpidemicOfficer = "epidemic-officer";

    public static readonly IReadOnlyList<string> All =
        [SystemAdmin, SecurityAdmin, AuditAdmin, CommandOperator, UnitHandler, Verifier, GridWorker, Leader, PiSupervisor, MicroGridMember, EpidemicOfficer];

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
        PiSupervisor => "个人信息保护监管员",
        EpidemicOfficer => "疫情防控专员",
        MicroGridMember => "微网格员",
        _ => role,
    };
}
