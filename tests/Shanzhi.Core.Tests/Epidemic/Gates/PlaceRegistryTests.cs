using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>Places located in grids, device keys stored as hashes, disabled and rotated keys refused at once.</summary>
public sealed class PlaceRegistryTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Device_key_is_stored_only_as_its_hash(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (device, key) = await world.DeviceAtAsync(PlaceKind.Hospital, CaseWorld.InStreetB);

        await using var db = world.Cases.NewContext();
        var stored = await db.Devices.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(43, key.Length);
        Assert.Equal(Device.HashApiKey(key), stored.ApiKeyHash);
        Assert.Equal(CaseWorld.StreetB + "001001", device.GridCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task New_place_kind_reaches_index(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (device, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetA);
        var entered = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.FromHours(8));

        world.Index.Add([new IndexedPassage(7, device.PlaceId, entered, PassageDirection.In)]);

        // An entry without an exit lasts the kind's default dwell: 8 hours at a school, 2 at a place of unknown kind.
        var stay = Assert.Single(world.Index.ExportStays());
        Assert.Equal(TimeSpan.FromHours(8).TotalSeconds, stay.End - stay.Start);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Disabled_and_rotated_keys_stop_working_at_once(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var (first, firstKey) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var (second, secondKey) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        await using var db = world.Cases.NewContext();
        var registry = world.Places(db);

        await registry.DisableAsync(first.PlaceId, first.DeviceId, world.Officer, ct);
        var rotated = (await registry.RotateKeyAsync(second.PlaceId, second.DeviceId, world.Officer, ct)).Value!;

        Assert.Null(await world.Devices.ResolveAsync(firstKey, ct));
        Assert.Null(await world.Devices.ResolveAsync(secondKey, ct));
        Assert.Equal(second.DeviceId, (await world.Devices.ResolveAsync(rotated.ApiKey, ct))?.DeviceId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Key_disabled_elsewhere_expires_after_lifetime(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var (device, key) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        await using var db = world.Cases.NewContext();

        // Another web process disables the device: the store changes, but this resolver is not notified.
        await db.Devices.Where(d => d.Id == device.DeviceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Active, false), ct);
        var remembered = await world.Devices.ResolveAsync(key, ct);
        world.Cases.Clock.Advance(DeviceResolver.KeyLifetime);

        Assert.Equal(device.DeviceId, remembered?.DeviceId);
        Assert.Null(await world.Devices.ResolveAsync(key, ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Place_outside_the_city_or_the_scope_is_refused(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var streetAOfficer = world.Officer with { ScopePath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA) };
        await using var db = world.Cases.NewContext();
        var registry = world.Places(db);

        var outside = await registry.CreatePlaceAsync(new CreatePlaceRequest("城外商场", PlaceKind.Mall, CaseWorld.OutsideCity.Latitude, CaseWorld.OutsideCity.Longitude), world.Officer, ct);
        var otherStreet = await registry.CreatePlaceAsync(new CreatePlaceRequest("西门商场", PlaceKind.Mall, CaseWorld.InStreetB.Latitude, CaseWorld.InStreetB.Longitude), streetAOfficer, ct);
        var notOfficer = await registry.CreatePlaceAsync(new CreatePlaceRequest("南门商场", PlaceKind.Mall, CaseWorld.InStreetA.Latitude, CaseWorld.InStreetA.Longitude), world.Cases.Operator, ct);

        Assert.Equal(
            "place.outside_city place.outside_scope epidemic.forbidden",
            string.Join(' ', outside.Error?.Code, otherStreet.Error?.Code, notOfficer.Error?.Code));
        Assert.Equal(0, await db.Places.CountAsync(ct));
    }

    [Theory]
    [InlineData(91.0, 121.5, "latitude")]
    [InlineData(double.PositiveInfinity, 121.5, "latitude")]
    [InlineData(double.NaN, 121.5, "latitude")]
    [InlineData(29.87, 181.0, "longitude")]
    [InlineData(29.87, double.NegativeInfinity, "longitude")]
    public async Task Invalid_coordinates_name_their_field(double latitude, double longitude, string field)
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.Cases.NewContext();

        var result = await world.Places(db).CreatePlaceAsync(new CreatePlaceRequest("商场", PlaceKind.Mall, latitude, longitude), world.Officer, ct);

        Assert.Equal("place.invalid_coordinates", result.Error?.Code);
        Assert.Equal(field, result.Error?.Field);
        Assert.Equal(0, await db.Places.CountAsync(ct));
    }

    [Fact]
    public async Task Invisible_name_is_required()
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.Cases.NewContext();

        var result = await world.Places(db).CreatePlaceAsync(
            new CreatePlaceRequest("\u200B\u200B", PlaceKind.Mall, CaseWorld.InStreetA.Latitude, CaseWorld.InStreetA.Longitude), world.Officer, ct);

        Assert.Equal("place.name_required", result.Error?.Code);
        Assert.Equal(0, await db.Places.CountAsync(ct));
    }

    [Fact]
    public void Kind_message_lists_Chinese_names()
    {
        Assert.Contains("学校（School）", GateErrors.KindRequired.Detail, StringComparison.Ordinal);
        Assert.Contains("高速出口（HighwayExit）", GateErrors.KindRequired.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_only_places_in_scope()
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetC);
        var streetAOfficer = world.Officer with { ScopePath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA) };
        await using var db = world.Cases.NewContext();

        var places = (await world.Places(db).ListAsync(streetAOfficer, null, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal(CaseWorld.StreetA + "001001", Assert.Single(places).GridCode);
    }
}
