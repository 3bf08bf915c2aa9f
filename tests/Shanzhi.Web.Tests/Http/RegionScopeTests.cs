using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>A user of one street neither reads nor acts on another street's cases.</summary>
public sealed class RegionScopeTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Street_user_cannot_see_or_act_on_other_street(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var haishuCase = await admin.ReportAsync(ApiClient.Haishu);
        var cixiCase = await admin.ReportAsync(ApiClient.Cixi);
        var haishuStreet = haishuCase.GetProperty("regionCode").GetString()![..9];
        var cixiId = cixiCase.GetProperty("id").GetString()!;
        await admin.CreateUserAsync("haishu-operator", "Street-Pass-2026", ["command-operator"], haishuStreet);
        var streetUser = await platform.SignInAsync("haishu-operator", "Street-Pass-2026");

        var get = await streetUser.GetAsync($"/api/v1/cases/{cixiId}");
        var events = await streetUser.GetAsync($"/api/v1/cases/{cixiId}/events");
        var act = await streetUser.ActAsync(cixiId, "file", new { categoryCode = "E0101" });
        var list = await (await streetUser.GetAsync("/api/v1/cases?pageSize=200")).ReadJsonAsync();

        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound, "case.not_found");
        await ProblemAssert.IsProblemAsync(events, HttpStatusCode.NotFound, "case.not_found");
        await ProblemAssert.IsProblemAsync(act, HttpStatusCode.NotFound, "case.not_found");
        var visible = list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains(haishuCase.GetProperty("id").GetString(), visible);
        Assert.DoesNotContain(cixiId, visible);
        var untouched = await admin.GetCaseAsync(cixiId);
        Assert.Equal("Reported", untouched.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Street_user_can_act_inside_own_street()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var admin = await platform.SignInAdminAsync();
        var haishuCase = await admin.ReportAsync(ApiClient.Haishu);
        var street = haishuCase.GetProperty("regionCode").GetString()![..9];
        await admin.CreateUserAsync("haishu-operator", "Street-Pass-2026", ["command-operator"], street);
        var streetUser = await platform.SignInAsync("haishu-operator", "Street-Pass-2026");

        var filed = await streetUser.ActOkAsync(haishuCase.GetProperty("id").GetString()!, "file", new { categoryCode = "E0101" });

        Assert.Equal("Filed", filed.GetProperty("state").GetString());
    }
}
