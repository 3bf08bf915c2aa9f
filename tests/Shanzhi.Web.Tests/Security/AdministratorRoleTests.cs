using System.Net;
using System.Net.Http.Json;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Security;

/// <summary>System, security and audit administration are held by different accounts (三员分立).</summary>
public sealed class AdministratorRoleTests
{
    [Theory]
    [InlineData("system-admin", "security-admin")]
    [InlineData("system-admin", "audit-admin")]
    [InlineData("security-admin", "audit-admin")]
    public async Task Creating_user_with_two_administrator_roles_is_rejected(string first, string second)
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await CreateAsync(admin, "twohats", first, second);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "user.admin_roles_conflict");
    }

    [Fact]
    public async Task Security_administrator_with_an_operator_role_is_created()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();

        var response = await CreateAsync(admin, "secadmin", "security-admin", "leader");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static Task<HttpResponseMessage> CreateAsync(HttpClient admin, string userName, params string[] roles) =>
        admin.PostAsJsonAsync("/api/v1/users", new
        {
            userName,
            displayName = "测试" + userName,
            password = "Roles-Test-2026",
            roles,
            scopeRegionCode = "330200",
        });
}
