using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

public sealed record CreatePlaceRequest(string? Name, PlaceKind? Kind, double Latitude, double Longitude);

public sealed record PlaceView(long Id, string Name, PlaceKind Kind, string KindName, double Latitude, double Longitude, string GridCode,
    IReadOnlyList<EntranceView> Entrances);

public sealed record EntranceView(long Id, string Name, IReadOnlyList<DeviceView> Devices);

public sealed record DeviceView(long Id, string Label, bool Active);

/// <summary>A device and its API key. The key is shown this once; the platform keeps only its hash.</summary>
public sealed record IssuedDeviceKey(long DeviceId, string ApiKey);

/// <summary>
/// Places, their entrances and gate devices, managed by epidemic officers inside their region
/// scope. A place is located in its grid when it is registered; a place outside the officer's
/// scope is reported as not found.
/// </summary>
public sealed class PlaceRegistry(ShanzhiDbContext db, GridLocator locator, DeviceResolver devices, TimeProvider clock, ILogger<PlaceRegistry> logger,
    IEnumerable<IPlaceObserver> observers)
{
    public async Task<Result<PlaceView>> CreatePlaceAsync(CreatePlaceRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        if (CheckName(request.Name) is { } invalid)
        {
            return invalid;
        }

        if (request.Kind is not { } kind || !Enum.IsDefined(kind))
        {
            return GateErrors.KindRequired;
        }

        if (!Wgs84.IsLatitude(request.Latitude))
        {
            return GateErrors.InvalidLatitude;
        }

        if (!Wgs84.IsLongitude(request.Longitude))
        {
            return GateErrors.InvalidLongitude;
        }

        if (locator.Locate(request.Latitude, request.Longitude) is not { } grid)
        {
            return GateErrors.OutsideCity;
        }

        if (!user.CanSee(grid.RegionPath))
        {
            return GateErrors.OutsideScope;
        }

        var place = new Place
        {
            Name = request.Name!.Trim(),
            Kind = kind,
            Latitude = request.Latitude,
            Longitude = request.Longitude,
            GridCode = grid.RegionCode,
            RegionPath = grid.RegionPath,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Places.Add(place);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var observer in observers)
        {
            observer.OnRegistered(place.Id, place.Kind);
        }

        logger.PlaceRegistered(place.Id, place.Kind, place.GridCode);
        return View(place, []);
    }

    public async Task<Result<IReadOnlyList<PlaceView>>> ListAsync(StaffPrincipal user, PlaceKind? kind, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return GateErrors.Forbidden;
        }

        var places = await db.Places.AsNoTracking()
            .Where(p => p.RegionPath.StartsWith(user.ScopePath) && (kind == null || p.Kind == kind))
            .OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return await ViewsAsync(places, cancellationToken);
    }

    /// <summary>One place with its entrances and devices; a place outside the officer's scope is not found.</summary>
    public async Task<Result<PlaceView>> GetAsync(long placeId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisiblePlaceAsync(placeId, user, cancellationToken) is not { } place)
        {
            return MayManage(user) ? GateErrors.PlaceNotFound : GateErrors.Forbidden;
        }

        return (await ViewsAsync([place], cancellationToken))[0];
    }

    public async Task<Result<EntranceView>> GetEntranceAsync(long placeId, long entranceId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisiblePlaceAsync(placeId, user, cancellationToken) is not { } place)
        {
            return MayManage(user) ? GateErrors.EntranceNotFound : GateErrors.Forbidden;
        }

        var entrance = (await ViewsAsync([place], cancellationToken))[0].Entrances.FirstOrDefault(e => e.Id == entranceId);
        return entrance is null ? GateErrors.EntranceNotFound : entrance;
    }

    public async Task<Result<DeviceView>> GetDeviceAsync(long placeId, long deviceId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisibleDeviceAsync(placeId, deviceId, user, cancellationToken) is not { } device)
        {
            return MayManage(user) ? GateErrors.DeviceNotFound : GateErrors.Forbidden;
        }

        return new DeviceView(device.Id, device.Label, device.Active);
    }

    public async Task<Result<EntranceView>> AddEntranceAsync(long placeId, string? name, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisiblePlaceAsync(placeId, user, cancellationToken) is not { } place)
        {
            return MayManage(user) ? GateErrors.PlaceNotFound : GateErrors.Forbidden;
        }

        if (CheckName(name) is { } invalid)
        {
            return invalid;
        }

        var entrance = new Entrance { PlaceId = place.Id, Name = name!.Trim() };
        db.Entrances.Add(entrance);
        await db.SaveChangesAsync(cancellationToken);
        return new EntranceView(entrance.Id, entrance.Name, []);
    }

    public async Task<Result<IssuedDeviceKey>> AddDeviceAsync(long placeId, long entranceId, string? label, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var entrance = await db.Entrances.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entranceId && e.PlaceId == placeId, cancellationToken);
        if (entrance is null || await VisiblePlaceAsync(entrance.PlaceId, user, cancellationToken) is null)
        {
            return MayManage(user) ? GateErrors.EntranceNotFound : GateErrors.Forbidden;
        }

        if (CheckName(label) is { } invalid)
        {
            return invalid with { Field = "label" };
        }

        var key = NewApiKey();
        var device = new Device { EntranceId = entrance.Id, Label = label!.Trim(), ApiKeyHash = Device.HashApiKey(key), CreatedAt = clock.GetUtcNow() };
        db.Devices.Add(device);
        await db.SaveChangesAsync(cancellationToken);
        logger.DeviceKeyIssued(device.Id);
        return new IssuedDeviceKey(device.Id, key);
    }

    /// <summary>Replaces the device's key; the old key stops working at once, also in the resolver's cache.</summary>
    public async Task<Result<IssuedDeviceKey>> RotateKeyAsync(long placeId, long deviceId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisibleDeviceAsync(placeId, deviceId, user, cancellationToken) is not { } device)
        {
            return MayManage(user) ? GateErrors.DeviceNotFound : GateErrors.Forbidden;
        }

        var key = NewApiKey();
        device.ApiKeyHash = Device.HashApiKey(key);
        device.Active = true;
        await db.SaveChangesAsync(cancellationToken);
        devices.Forget(device.Id);
        logger.DeviceKeyIssued(device.Id);
        return new IssuedDeviceKey(device.Id, key);
    }

    public async Task<Result<DeviceView>> DisableAsync(long placeId, long deviceId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await VisibleDeviceAsync(placeId, deviceId, user, cancellationToken) is not { } device)
        {
            return MayManage(user) ? GateErrors.DeviceNotFound : GateErrors.Forbidden;
        }

        device.Active = false;
        await db.SaveChangesAsync(cancellationToken);
        devices.Forget(device.Id);
        logger.DeviceDisabled(device.Id);
        return new DeviceView(device.Id, device.Label, device.Active);
    }

    public static bool MayManage(StaffPrincipal user) => user.IsInRole(Roles.EpidemicOfficer);

    /// <summary>A key of 32 random bytes in base64url, so it fits a header unescaped.</summary>
    private static string NewApiKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Place?> VisiblePlaceAsync(long placeId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayManage(user))
        {
            return null;
        }

        var place = await db.Places.AsNoTracking().FirstOrDefaultAsync(p => p.Id == placeId, cancellationToken);
        return place is not null && user.CanSee(place.RegionPath) ? place : null;
    }

    private async Task<Device?> VisibleDeviceAsync(long placeId, long deviceId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == deviceId, cancellationToken);
        if (device is null || !await db.Entrances.AnyAsync(e => e.Id == device.EntranceId && e.PlaceId == placeId, cancellationToken))
        {
            return null;
        }

        return await VisiblePlaceAsync(placeId, user, cancellationToken) is null ? null : device;
    }

    private static Error? CheckName(string? name) => name?.Trim() switch
    {
        var blank when TextRules.IsBlank(blank) => GateErrors.NameRequired,
        { Length: > Place.NameMaxLength } => GateErrors.NameTooLong,
        _ => null,
    };

    /// <summary>Views of <paramref name="places"/> with their entrances and devices, in id order, in three queries.</summary>
    private async Task<List<PlaceView>> ViewsAsync(IReadOnlyList<Place> places, CancellationToken cancellationToken)
    {
        var ids = places.Select(p => p.Id).ToList();
        var entrances = await db.Entrances.AsNoTracking().Where(e => ids.Contains(e.PlaceId)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var entranceIds = entrances.Select(e => e.Id).ToList();
        var gates = await db.Devices.AsNoTracking().Where(d => entranceIds.Contains(d.EntranceId)).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return places.Select(p => View(p, entrances.Where(e => e.PlaceId == p.Id)
                .Select(e => new EntranceView(e.Id, e.Name, gates.Where(d => d.EntranceId == e.Id).Select(d => new DeviceView(d.Id, d.Label, d.Active)).ToList()))
                .ToList()))
            .ToList();
    }

    private static PlaceView View(Place p, IReadOnlyList<EntranceView> entrances) =>
        new(p.Id, p.Name, p.Kind, EpidemicNames.Chinese(p.Kind), p.Latitude, p.Longitude, p.GridCode, entrances);
}
