using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Auth;

/// <summary>
/// Creates the roles and, on a store without an administrator, the first administrator account.
/// Its password comes from <c>Bootstrap:AdminPassword</c> or is generated and printed once to
/// standard output; there is no fixed default password.
/// </summary>
public sealed partial class AdminBootstrapper(
    UserManager<StaffUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IConfiguration configuration,
    ILogger<AdminBootstrapper> logger) : IStoreSeeder
{
    public const string AdminUserName = "admin";

    public int Order => 900;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() });
            }
        }

        if ((await users.GetUsersInRoleAsync(Roles.SystemAdmin)).Count > 0 || await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        var configured = configuration["Bootstrap:AdminPassword"];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new StaffUser
        {
            UserName = AdminUserName,
            DisplayName = "系统管理员",
            ScopeRegionCode = "330200",

            // The root path: the first administrator also sees the external-jurisdiction region.
            ScopePath = StaffPrincipal.RootScope,
        };

        var created = await users.CreateAsync(admin, password);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(
                "The first administrator could not be created: " + string.Join("; ", created.Errors.Select(e => e.Description)) +
                ". Check Bootstrap:AdminPassword against the password policy (at least 10 characters with upper and lower case letters and digits).");
        }

        // The initial administrator also operates the command centre so a new installation can
        // be tried end to end before real accounts exist.
        await users.AddToRolesAsync(admin, [Roles.SystemAdmin, Roles.CommandOperator]);
        LogAdminCreated(AdminUserName, configured is { Length: > 0 });

        if (string.IsNullOrEmpty(configured))
        {
            // Printed, not logged: log files are kept and shipped; the console line is seen once.
            Console.Out.WriteLine($"""

                ============================================================
                 首个管理员账户已创建 (first administrator created)
                 用户名 user: {AdminUserName}
                 密码 password: {password}
                 该密码只显示这一次，请登录后立即修改。
                ============================================================

                """);
        }
    }

    private static string GeneratePassword()
    {
        // 20 characters from an alphabet without look-alikes, plus one of each class the policy needs.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return RandomNumberGenerator.GetString(alphabet, 20) + "Aa7";
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Created the first administrator account {UserName} (password from configuration: {FromConfiguration}); change its password after the first login")]
    private partial void LogAdminCreated(string userName, bool fromConfiguration);
}
