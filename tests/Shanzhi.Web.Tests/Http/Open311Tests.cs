using System.Net;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

public sealed class Open311Tests
{
    [Fact]
    public async Task Services_are_listed_without_login()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);
        var anonymous = platform.CreateClient();

        var services = await (await anonymous.GetAsync("/open311/v2/services.json")).ReadJsonAsync();

        var codes = services.EnumerateArray().Select(s => s.GetProperty("service_code").GetString()).ToList();
        Assert.Contains("E0101", codes);
        Assert.True(codes.Count >= 30, $"Expected at least 30 services, got {codes.Count}");
        Assert.All(services.EnumerateArray(), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("service_name").GetString())));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Request_created_by_form_is_listed_open(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var client = await platform.SignInAdminAsync();
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["service_code"] = "E0101",
            ["lat"] = ApiClient.Haishu.Latitude.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["long"] = ApiClient.Haishu.Longitude.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["description"] = "小区门口垃圾堆放",
        });

        var created = await (await client.PostAsync("/open311/v2/requests.json", form)).ReadJsonAsync();
        var requestId = created[0].GetProperty("service_request_id").GetString()!;
        var fetched = await (await client.GetAsync($"/open311/v2/requests/{requestId}.json")).ReadJsonAsync();
        var listed = await (await client.GetAsync("/open311/v2/requests.json?status=open")).ReadJsonAsync();

        var request = fetched[0];
        Assert.Equal("open", request.GetProperty("status").GetString());
        Assert.Equal("已上报", request.GetProperty("status_notes").GetString());
        Assert.Equal("E0101", request.GetProperty("service_code").GetString());
        Assert.EndsWith("+08:00", request.GetProperty("requested_datetime").GetString());
        Assert.Contains(listed.EnumerateArray(), r => r.GetProperty("service_request_id").GetString() == requestId);
    }

    [Fact]
    public async Task Requests_need_login()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await platform.CreateClient().GetAsync("/open311/v2/requests.json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized, "auth.required");
    }

    [Fact]
    public async Task Unknown_service_is_404_problem()
    {
        await using var platform = await PlatformFactory.StartAsync(StoreKind.Sqlite);

        var response = await platform.CreateClient().GetAsync("/open311/v2/services/X0000.json");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound, "open311.unknown_service");
    }
}
