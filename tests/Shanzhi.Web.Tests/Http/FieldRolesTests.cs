using Shanzhi.Identity;
using Shanzhi.Web.Components.Field;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Who the console's home page sends to the phone pages after sign-in.</summary>
public sealed class FieldRolesTests
{
    [Theory]
    [InlineData(new[] { Roles.GridWorker }, true)]
    [InlineData(new[] { Roles.MicroGridMember }, true)]
    [InlineData(new[] { Roles.GridWorker, Roles.MicroGridMember }, true)]
    [InlineData(new[] { Roles.GridWorker, Roles.Verifier }, false)]
    [InlineData(new[] { Roles.CommandOperator }, false)]
    [InlineData(new[] { Roles.Leader }, false)]
    public void Only_field_roles_land_on_phone_pages(string[] roles, bool expected)
    {
        var user = new StaffPrincipal(Guid.CreateVersion7(), "测试", roles.ToHashSet(), null, "/330200/");

        Assert.Equal(expected, FieldRoles.LandsOnPhonePages(user));
    }
}
