using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Identity;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Api;

/// <summary>
/// Places, entrances and devices (<c>/api/v1/epidemic/places</c>), the device-facing gate check
/// (<c>/api/v1/epidemic/gate/check</c>, authenticated by the <c>X-Device-Key</c> header instead of a
/// staff login), unidentified-person follow-ups and construction-site rosters.
/// </summary>
public static class EpidemicGateEndpoints
{
    public const string DeviceKeyHeader = "X-Device-Key";

    public sealed record PlaceBody(string? Name, PlaceKind? Kind, double? Latitude, double? Longitude);

    public sealed record NameBody(string? Name);

    public sealed record DeviceBody(string? Label);

    public sealed record ResolveBody(FollowUpOutcome? Outcome, long? PersonKey, string? Reason);

    public sealed record EmployerBody(string? Name, string? CreditCode);

    public sealed record RosterBody(long? EmployerId, long? PersonKey, DateOnly? ValidFrom, DateOnly? ValidTo);

    public sealed record EndRosterBody(DateOnly? LastDay);

    public static void MapEpidemicGateEndpoints(this WebApplication app)
    {
        // Route values have no type constraint such as {placeId:long}: an id of the wrong form then fails
        // binding and gets 400 request.invalid_parameter naming it, where a constraint would give a bare 404.
        var places = app.MapGroup("/api/v1/epidemic/places").WithTags("疫情防控场所与设备").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        places.MapGet("/", ListPlacesAsync).WithName("ListEpidemicPlaces").WithSummary("管辖区域内的场所、出入口和核验设备");
        places.MapPost("/", CreatePlaceAsync).WithName("CreateEpidemicPlace").WithSummary("登记场所（按坐标定位到网格）");
        places.MapGet("/{placeId}", GetPlaceAsync).WithName("GetEpidemicPlace").WithSummary("场所及其出入口和核验设备");
        places.MapPost("/{placeId}/entrances", AddEntranceAsync).WithName("AddPlaceEntrance").WithSummary("登记出入口");
        places.MapGet("/{placeId}/entrances/{entranceId}", GetEntranceAsync).WithName("GetPlaceEntrance").WithSummary("出入口及其核验设备");
        places.MapGet("/{placeId}/devices/{deviceId}", GetDeviceAsync).WithName("GetGateDevice").WithSummary("核验设备（不含密钥）");
        places.MapPost("/{placeId}/entrances/{entranceId}/devices", AddDeviceAsync).WithName("AddGateDevice")
            .WithSummary("登记核验设备；返回的设备密钥只显示这一次，平台只保存其散列");
        places.MapPost("/{placeId}/devices/{deviceId}/rotate-key", RotateKeyAsync).WithName("RotateGateDeviceKey")
            .WithSummary("更换设备密钥，原密钥立即失效");
        places.MapPost("/{placeId}/devices/{deviceId}/disable", DisableAsync).WithName("DisableGateDevice").WithSummary("停用设备，其密钥立即失效");

        app.MapPost("/api/v1/epidemic/gate/check", CheckAsync).WithTags("疫情防控核验").WithName("GateCheck")
            .WithSummary("设备上报识别结果（身份证号、人员编号或未识别），返回通行、人工核验或禁止通行及通道；不接收任何图像")
            .Accepts<System.Text.Json.JsonElement>("application/json")
            .AllowAnonymous().DisableAntiforgery().RejectUnexpectedInput();

        app.MapPost("/api/v1/epidemic/unidentified/{caseId}/resolve", ResolveAsync).WithTags("疫情防控核验").WithName("ResolveUnidentifiedPerson")
            .WithSummary("不明身份人员核查办结：已登记（填写人员编号）或已排除（填写理由），并结案").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();

        // {siteId:id} keeps /employers/... from being read as a site id and checks nothing else (IdRouteConstraint).
        var sites = app.MapGroup("/api/v1/epidemic/sites").WithTags("建筑工地实名制").RequireAuthorization().DisableAntiforgery()
            .RejectUnexpectedInput();
        sites.MapPost("/employers", AddEmployerAsync).WithName("AddSiteEmployer").WithSummary("登记用工单位（统一社会信用代码）");
        sites.MapGet("/employers/{employerId}", GetEmployerAsync).WithName("GetSiteEmployer").WithSummary("用工单位");
        sites.MapGet("/{siteId:id}/roster", ListRosterAsync).WithName("ListSiteRoster").WithSummary("工地实名花名册");
        sites.MapGet("/{siteId:id}/roster/{entryId}", GetRosterEntryAsync).WithName("GetSiteRosterEntry").WithSummary("花名册条目（人员只显示人员编号）");
        sites.MapPost("/{siteId:id}/roster", AddRosterEntryAsync).WithName("AddSiteRosterEntry").WithSummary("把已登记人员加入工地花名册，含有效期");
        sites.MapPost("/{siteId:id}/roster/{entryId}/end", EndRosterEntryAsync).WithName("EndSiteRosterEntry").WithSummary("终止花名册条目（最后有效日）");
        sites.MapPost("/{siteId:id}/roster/{entryId}/void", VoidRosterEntryAsync).WithName("VoidSiteRosterEntry").WithSummary("作废花名册条目（视为从未生效）");
    }

    private static async Task<Results<Ok<IReadOnlyList<PlaceView>>, ProblemHttpResult>> ListPlacesAsync(
        HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken, PlaceKind? kind = null) =>
        Reply(await registry.ListAsync(User(http), kind, cancellationToken));

    private static async Task<Results<Created<PlaceView>, ProblemHttpResult>> CreatePlaceAsync(
        PlaceBody body, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken)
    {
        if (body.Latitude is not { } latitude || body.Longitude is not { } longitude)
        {
            return Problems.Invalid("place.location_required", body.Latitude is null ? "latitude" : "longitude", "请填写场所的纬度 latitude 和经度 longitude（WGS84）。");
        }

        var result = await registry.CreatePlaceAsync(new CreatePlaceRequest(body.Name, body.Kind, latitude, longitude), User(http), cancellationToken);
        return result.Error is { } error ? Problems.From(error) : TypedResults.Created($"/api/v1/epidemic/places/{result.Value!.Id}", result.Value);
    }

    private static async Task<Results<Ok<PlaceView>, ProblemHttpResult>> GetPlaceAsync(
        long placeId, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.GetAsync(placeId, User(http), cancellationToken));

    private static async Task<Results<Ok<EntranceView>, ProblemHttpResult>> GetEntranceAsync(
        long placeId, long entranceId, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.GetEntranceAsync(placeId, entranceId, User(http), cancellationToken));

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> GetDeviceAsync(
        long placeId, long deviceId, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.GetDeviceAsync(placeId, deviceId, User(http), cancellationToken));

    private static async Task<Results<Created<EntranceView>, ProblemHttpResult>> AddEntranceAsync(
        long placeId, NameBody body, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Created(await registry.AddEntranceAsync(placeId, body.Name, User(http), cancellationToken), e => $"/api/v1/epidemic/places/{placeId}/entrances/{e.Id}");

    private static async Task<Results<Created<IssuedDeviceKey>, ProblemHttpResult>> AddDeviceAsync(
        long placeId, long entranceId, DeviceBody body, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Created(await registry.AddDeviceAsync(placeId, entranceId, body.Label, User(http), cancellationToken),
            d => $"/api/v1/epidemic/places/{placeId}/devices/{d.DeviceId}");

    private static async Task<Results<Ok<IssuedDeviceKey>, ProblemHttpResult>> RotateKeyAsync(
        long placeId, long deviceId, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.RotateKeyAsync(placeId, deviceId, User(http), cancellationToken));

    private static async Task<Results<Ok<DeviceView>, ProblemHttpResult>> DisableAsync(
        long placeId, long deviceId, HttpContext http, PlaceRegistry registry, CancellationToken cancellationToken) =>
        Reply(await registry.DisableAsync(placeId, deviceId, User(http), cancellationToken));

    /// <summary>
    /// Authenticates the device, then reads at most <see cref="GateCheckParser.MaxBodyBytes"/> of body
    /// itself so the image rule and the unknown-field rule see the raw JSON.
    /// </summary>
    private static async Task<Results<Ok<GateAnswer>, ProblemHttpResult>> CheckAsync(
        HttpContext http, IDeviceResolver devices, CheckGate gate, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers[DeviceKeyHeader].ToString();
        if (key.Length == 0)
        {
            return Problems.From(GateErrors.DeviceKeyRequired);
        }

        if (await devices.ResolveAsync(key, cancellationToken) is not { } device)
        {
            return Problems.From(GateErrors.DeviceKeyInvalid);
        }

        if (http.Request.ContentLength > GateCheckParser.MaxBodyBytes)
        {
            return Problems.From(GateErrors.BodyTooLarge);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(GateCheckParser.MaxBodyBytes + 1);
        Result<GateCheckInput> input;
        try
        {
            if (await ReadBodyAsync(http.Request, buffer, cancellationToken) is not { } length)
            {
                return Problems.From(GateErrors.BodyTooLarge);
            }

            input = GateCheckParser.Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (input.Error is { } invalid)
        {
            return Problems.From(invalid);
        }

        var answer = await gate.CheckAsync(device, input.Value!, cancellationToken);
        if (answer.Error is { Status: StatusCodes.Status429TooManyRequests })
        {
            http.Response.Headers.RetryAfter = "1";
        }

        return Reply(answer);
    }

    private static async Task<Results<Ok<FollowUpView>, ProblemHttpResult>> ResolveAsync(
        Guid caseId, ResolveBody body, HttpContext http, ResolveUnidentified resolver, CancellationToken cancellationToken) =>
        Reply(await resolver.ResolveAsync(caseId, new ResolveUnidentifiedRequest(body.Outcome, body.PersonKey, body.Reason), User(http), cancellationToken));

    private static async Task<Results<Created<EmployerView>, ProblemHttpResult>> AddEmployerAsync(
        EmployerBody body, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Created(await rosters.AddEmployerAsync(body.Name, body.CreditCode, User(http), cancellationToken), e => $"/api/v1/epidemic/sites/employers/{e.Id}");

    private static async Task<Results<Ok<EmployerView>, ProblemHttpResult>> GetEmployerAsync(
        long employerId, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Reply(await rosters.GetEmployerAsync(employerId, User(http), cancellationToken));

    private static async Task<Results<Ok<RosterEntryView>, ProblemHttpResult>> GetRosterEntryAsync(
        long siteId, long entryId, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Reply(await rosters.GetEntryAsync(siteId, entryId, User(http), cancellationToken));

    private static async Task<Results<Ok<IReadOnlyList<RosterEntryView>>, ProblemHttpResult>> ListRosterAsync(
        long siteId, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Reply(await rosters.ListAsync(siteId, User(http), cancellationToken));

    private static async Task<Results<Created<RosterEntryView>, ProblemHttpResult>> AddRosterEntryAsync(
        long siteId, RosterBody body, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Created(await rosters.AddEntryAsync(siteId, new AddRosterEntryRequest(body.EmployerId, body.PersonKey, body.ValidFrom, body.ValidTo), User(http), cancellationToken),
            r => $"/api/v1/epidemic/sites/{siteId}/roster/{r.Id}");

    private static async Task<Results<Ok<RosterEntryView>, ProblemHttpResult>> EndRosterEntryAsync(
        long siteId, long entryId, EndRosterBody body, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        body.LastDay is { } lastDay
            ? Reply(await rosters.EndEntryAsync(siteId, entryId, lastDay, User(http), cancellationToken))
            : Problems.Invalid("roster.last_day_required", "lastDay", "请填写最后有效日 lastDay（yyyy-MM-dd）。");

    private static async Task<Results<Ok<RosterEntryView>, ProblemHttpResult>> VoidRosterEntryAsync(
        long siteId, long entryId, HttpContext http, SiteRosters rosters, CancellationToken cancellationToken) =>
        Reply(await rosters.VoidEntryAsync(siteId, entryId, User(http), cancellationToken));

    /// <summary>Reads the body into <paramref name="buffer"/> (pooled, so a check allocates no body array); its length, or null when it is longer than the gate check allows.</summary>
    private static async Task<int?> ReadBodyAsync(HttpRequest request, byte[] buffer, CancellationToken cancellationToken)
    {
        var limit = GateCheckParser.MaxBodyBytes + 1;
        var length = 0;
        int read;
        while (length < limit && (read = await request.Body.ReadAsync(buffer.AsMemory(length, limit - length), cancellationToken)) > 0)
        {
            length += read;
        }

        return length > GateCheckParser.MaxBodyBytes ? null : length;
    }

    /// <summary>201 with the new resource's path in <c>Location</c>, or the problem.</summary>
    private static Results<Created<T>, ProblemHttpResult> Created<T>(Result<T> result, Func<T, string> location) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Created(location(result.Value!), result.Value!);

    private static Results<Ok<T>, ProblemHttpResult> Reply<T>(Result<T> result) =>
        result.Error is { } error ? Problems.From(error) : TypedResults.Ok(result.Value!);

    private static StaffPrincipal User(HttpContext http) =>
        http.User.ToStaffPrincipal() ?? throw new InvalidOperationException("An authorized endpoint ran without a staff principal.");
}
