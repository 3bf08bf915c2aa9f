using Shanzhi.Privacy;

namespace Shanzhi.Tests.Privacy;

/// <summary>Chinese display text of stored audit details and subject types; the stored values stay as they are.</summary>
public sealed class AuditDetailTextTests
{
    [Theory]
    [InlineData("no reason given", "未填写事由")]
    [InlineData("password changed by the user", "用户本人修改了密码")]
    [InlineData("wrong password", "密码错误")]
    [InlineData("name, ID number and phone", "姓名、身份证号和手机号")]
    [InlineData("created with roles audit-admin,grid-worker, scope 330203", "创建账户，角色：审计管理员、网格员，管辖区域：330203")]
    [InlineData("SZ20261205000001 File: Reported -> Filed", "SZ20261205000001 立案：已上报 → 已立案")]
    [InlineData("SZ20261205000001 Report: -> Reported", "SZ20261205000001 上报：已上报")]
    [InlineData("SZ20261205000001 Escalate: Dispatched -> Dispatched", "SZ20261205000001 督办：已派遣 → 已派遣")]
    [InlineData("kind=trace; outcome=refused; reason=out of scope", "类型：密接追踪；结果：拒绝；原因：超出管辖范围")]
    [InlineData("kind=detail-view; outcome=refused; reason=no such person", "类型：查看详情；结果：拒绝；原因：人员不存在")]
    [InlineData("key-person list of grid, masked; rows=3", "查看网格重点人员名单（已脱敏）；条数：3")]
    [InlineData("industry=Medical, keySupervision=True; rows=12", "行业：Medical；重点监管：是；条数：12")]
    public void Known_detail_reads_in_Chinese(string stored, string expected)
    {
        Assert.Equal(expected, AuditDetailText.Chinese(stored));
    }

    [Theory]
    [InlineData("text=a; b, rows=1")]
    [InlineData("SZ1 Fly: Reported -> Filed")]
    [InlineData("something new")]
    public void Unknown_detail_is_shown_as_stored(string stored)
    {
        Assert.Equal(stored, AuditDetailText.Chinese(stored));
    }

    [Fact]
    public void Empty_detail_is_empty()
    {
        Assert.Equal("", AuditDetailText.Chinese(null));
    }

    [Theory]
    [InlineData("user", "账户")]
    [InlineData("case", "案件")]
    [InlineData("EpidemicPerson", "登记人员")]
    [InlineData("Investigation", "流调")]
    [InlineData("SomethingNew", "SomethingNew")]
    public void Subject_type_reads_in_Chinese(string stored, string expected)
    {
        Assert.Equal(expected, AuditDetailText.SubjectTypeName(stored));
    }
}
