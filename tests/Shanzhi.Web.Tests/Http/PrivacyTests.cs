using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

public sealed class PrivacyTests
{
    [Fact]
    public async Task Processing_record_lists_staff_phone()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var client = await platform.SignInAdminAsync();

        var document = await (await client.GetAsync("/api/v1/privacy/processing-record")).ReadJsonAsync();

        var staff = document.GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("entity").GetString() == "StaffUser");
        var phone = staff.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("property").GetString() == "PhoneNumber");
        Assert.Equal("个人信息", phone.GetProperty("className").GetString());
        Assert.Equal("处理目的", document.GetProperty("legend").GetProperty("purpose").GetString());
        Assert.Equal(0, document.GetProperty("unclassified").GetArrayLength());
    }

    [Fact]
    public async Task Processing_record_states_configured_retention()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite,
            builder => builder.UseSetting("Retention:Policies:Movement", "14"));
        var client = await platform.SignInAdminAsync();

        var document = await (await client.GetAsync("/api/v1/privacy/processing-record")).ReadJsonAsync();

        var passages = document.GetProperty("activities").EnumerateArray().Single(a => a.GetProperty("entity").GetString() == "Passage");
        var retention = passages.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("retention").GetString()).Distinct().ToList();
        Assert.Equal(["自发生之日起保存 14 天，到期删除。"], retention);
    }

    [Fact]
    public async Task Processing_record_requires_sign_in()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await platform.CreateClient().GetAsync("/api/v1/privacy/processing-record");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.required");
    }
}
