using System.Net.Http.Json;
using System.Text.Json;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>Small helpers for the calls most tests make.</summary>
public static class ApiClient
{
    /// <summary>A point in central Haishu (海曙区), WGS84.</summary>
    public static readonly (double Latitude, double Longitude) Haishu = (29.8700, 121.5450);

    /// <summary>A point in central Cixi (慈溪市), WGS84.</summary>
    public static readonly (double Latitude, double Longitude) Cixi = (30.1700, 121.2660);

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Expected success, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> ReportAsync(this HttpClient client, (double Latitude, double Longitude) point,
        string title = "人行道上有暴露垃圾", string category = "E0101")
    {
        var response = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            title,
            description = "测试上报",
            latitude = point.Latitude,
            longitude = point.Longitude,
            categoryCode = category,
        });
        return await response.ReadJsonAsync();
    }

    public static Task<HttpResponseMessage> ActAsync(this HttpClient client, string caseId, string action, object? body = null) =>
        client.PostAsJsonAsync($"/api/v1/cases/{caseId}/actions/{action}", body ?? new { });

    public static async Task<JsonElement> ActOkAsync(this HttpClient client, string caseId, string action, object? body = null) =>
        await (await client.ActAsync(caseId, action, body)).ReadJsonAsync();

    public static async Task<JsonElement> GetCaseAsync(this HttpClient client, string caseId) =>
        await (await client.GetAsync($"/api/v1/cases/{caseId}")).ReadJsonAsync();

    /// <summary>Creates a staff account through the admin API; returns its id.</summary>
    public static async Task<string> CreateUserAsync(this HttpClient admin, string userName, string password, string[] roles, string scopeRegionCode, string? unitId = null)
    {
        var displayName = "测试" + userName;
        LogSink.RegisterName(displayName);
        var response = await admin.PostAsJsonAsync("/api/v1/users", new
        {
            userName,
            displayName,
            password,
            roles,
            scopeRegionCode,
            unitId,
        });
        return (await response.ReadJsonAsync()).GetProperty("id").GetString()!;
    }
}
