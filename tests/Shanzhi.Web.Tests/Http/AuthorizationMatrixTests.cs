using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Tests.Epidemic.Registry;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Http;

/// <summary>
/// Which role reaches which endpoint: one account per role, scoped to Haishu (海曙区), against
/// representative reads and writes. A change of policy shows up as a changed cell in the table.
/// The epidemic rows use a person registered in a Haishu grid (own) and one in a Cixi grid (other),
/// registered by a city-wide epidemic officer.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private const string OwnDistrict = "330203";
    private const string CixiDistrict = "330282";
    private const string Password = "Matrix-Pass-2026";

    private static readonly string[] Endpoints =
    [
        "GET cases", "POST cases", "GET own case", "GET other case", "POST file", "POST dispatch",
        "GET users", "POST users", "GET audit", "GET kpi", "PUT calendar", "GET processing-record",
        "GET pi-handlers", "GET epi persons", "POST epi person", "GET own epi person", "GET other epi person", "GET epi places",
        "POST epi place", "GET investigations",
    ];

    /// <summary>Expected status per role, in the order of <see cref="Endpoints"/>.</summary>
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        ["system-admin"] = [200, 403, 200, 404, 403, 403, 200, 201, 403, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["security-admin"] = [200, 403, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["audit-admin"] = [200, 403, 200, 404, 403, 403, 403, 403, 200, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["command-operator"] = [200, 201, 200, 404, 200, 200, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["unit-handler"] = [200, 201, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["verifier"] = [200, 201, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["grid-worker"] = [200, 201, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["micro-grid-member"] = [200, 201, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["leader"] = [200, 403, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 403, 403, 403, 403, 403, 403, 403],
        ["pi-supervisor"] = [200, 201, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403],
        ["epidemic-officer"] = [200, 403, 200, 404, 403, 403, 403, 403, 403, 200, 403, 200, 403, 200, 201, 200, 404, 200, 201, 200],
    };

    public static TheoryData<string, StoreKind> RolesAndStores()
    {
        var data = new TheoryData<string, StoreKind>();
        foreach (var role in Expected.Keys)
        {
            foreach (var kind in new[] { StoreKind.Sqlite, StoreKind.Postgres })
            {
                data.Add(role, kind);
            }
        }

        return data;
    }

    [Fact]
    public void Table_covers_every_role()
    {
        Assert.Equal(Shanzhi.Identity.Roles.All.Order(), Expected.Keys.Order());
        Assert.All(Expected.Values, row => Assert.Equal(Endpoints.Length, row.Length));
    }

    [Theory]
    [MemberData(nameof(RolesAndStores))]
    public async Task Role_gets_expected_status_per_endpoint(string role, StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var admin = await platform.SignInAdminAsync();
        var units = await (await admin.GetAsync("/api/v1/units")).ReadJsonAsync();
        var sanitation = units.EnumerateArray().Single(u => u.GetProperty("name").GetString() == CityUnits.Sanitation).GetProperty("id").GetString()!;
        await admin.CreateUserAsync("matrix", Password, [role], OwnDistrict, role == "unit-handler" ? sanitation : null);
        var user = await platform.SignInAsync("matrix", Password);

        var ownCase = await NewCaseIdAsync(admin, ApiClient.Haishu);
        var otherCase = await NewCaseIdAsync(admin, ApiClient.Cixi);
        var toFile = await NewCaseIdAsync(admin, ApiClient.Haishu);
        var toDispatch = await NewCaseIdAsync(admin, ApiClient.Haishu);
        await admin.ActOkAsync(toDispatch, "file", new { categoryCode = "E0101" });
        var calendar = await (await admin.GetAsync("/api/v1/calendar/2026")).ReadJsonAsync();
        await admin.CreateUserAsync("matrix-epi", Password, ["epidemic-officer"], "330200");
        var cityOfficer = await platform.SignInAsync("matrix-epi", Password);
        var ownGrid = await GridInAsync(platform, OwnDistrict);
        var ownPerson = await RegisterPersonAsync(cityOfficer, 1, ownGrid);
        var otherPerson = await RegisterPersonAsync(cityOfficer, 2, await GridInAsync(platform, CixiDistrict));

        int[] actual =
        [
            await StatusAsync(user.GetAsync("/api/v1/cases")),
            await StatusAsync(user.PostAsJsonAsync("/api/v1/cases", new
            {
                title = "人行道上有暴露垃圾",
                latitude = ApiClient.Haishu.Latitude,
                longitude = ApiClient.Haishu.Longitude,
                categoryCode = "E0101",
            })),
            await StatusAsync(user.GetAsync($"/api/v1/cases/{ownCase}")),
            await StatusAsync(user.GetAsync($"/api/v1/cases/{otherCase}")),
            await StatusAsync(user.ActAsync(toFile, "file", new { categoryCode = "E0101" })),
            await StatusAsync(user.ActAsync(toDispatch, "dispatch", new { unitId = sanitation })),
            await StatusAsync(user.GetAsync("/api/v1/users")),
            await StatusAsync(user.PostAsJsonAsync("/api/v1/users", new
            {
                userName = "matrix-new",
                displayName = "矩阵新账户",
                password = Password,
                roles = new[] { "leader" },
                scopeRegionCode = OwnDistrict,
            })),
            await StatusAsync(user.GetAsync("/api/v1/audit")),
            await StatusAsync(user.GetAsync("/api/v1/kpi")),
            await StatusAsync(user.PutAsJsonAsync("/api/v1/calendar/2026", calendar)),
            await StatusAsync(user.GetAsync("/api/v1/privacy/processing-record")),
            await StatusAsync(user.GetAsync("/api/v1/pi-handlers")),
            await StatusAsync(user.GetAsync("/api/v1/epidemic/persons")),
            await StatusAsync(user.PostAsJsonAsync("/api/v1/epidemic/persons", PersonBody(3, ownGrid))),
            await StatusAsync(user.GetAsync($"/api/v1/epidemic/persons/{ownPerson}")),
            await StatusAsync(user.GetAsync($"/api/v1/epidemic/persons/{otherPerson}")),
            await StatusAsync(user.GetAsync("/api/v1/epidemic/places")),
            await StatusAsync(user.PostAsJsonAsync("/api/v1/epidemic/places", new
            {
                name = "矩阵测试商场",
                kind = "Mall",
                latitude = ApiClient.Haishu.Latitude,
                longitude = ApiClient.Haishu.Longitude,
            })),
            await StatusAsync(user.GetAsync("/api/v1/epidemic/investigations")),
        ];

        Assert.Equal(Describe(Expected[role]), Describe(actual));
    }

    private static object PersonBody(int n, string grid) =>
        new { name = "矩阵测试人员", idNumber = SyntheticIds.Id(n), residency = "Permanent", homeGridCode = grid };

    private static async Task<long> RegisterPersonAsync(HttpClient officer, int n, string grid) =>
        (await (await officer.PostAsJsonAsync("/api/v1/epidemic/persons", PersonBody(n, grid))).ReadJsonAsync()).GetProperty("personKey").GetInt64();

    private static async Task<string> GridInAsync(PlatformFactory platform, string district)
    {
        await using var db = platform.Store.NewContext();
        return await db.Regions.Where(r => r.Level == RegionLevel.Grid && r.Code.StartsWith(district)).OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();
    }

    private static async Task<string> NewCaseIdAsync(HttpClient admin, (double Latitude, double Longitude) point) =>
        (await admin.ReportAsync(point)).GetProperty("id").GetString()!;

    private static async Task<int> StatusAsync(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        return (int)response.StatusCode;
    }

    /// <summary>One line per endpoint, so a failure names the cells that changed.</summary>
    private static string Describe(int[] statuses) =>
        string.Join("\n", Endpoints.Zip(statuses, (endpoint, status) => $"{endpoint}: {status}"));
}
