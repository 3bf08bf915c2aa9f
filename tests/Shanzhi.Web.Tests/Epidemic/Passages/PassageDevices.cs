using System.Security.Cryptography;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary>Registers a mall with one entrance and one gate device straight in the store.</summary>
internal static class PassageDevices
{
    public static async Task<(string Key, long DeviceId)> RegisterAsync(TestStore store)
    {
        await using var db = store.NewContext();
        var place = new Place { Name = "测试商场", Kind = PlaceKind.Mall, GridCode = "330203001001001", RegionPath = "/330200/330203/330203001/" };
        db.Places.Add(place);
        await db.SaveChangesAsync();
        var entrance = new Entrance { PlaceId = place.Id, Name = "北门" };
        db.Entrances.Add(entrance);
        await db.SaveChangesAsync();
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var device = new Device { EntranceId = entrance.Id, Label = "北门闸机 1", ApiKeyHash = Device.HashApiKey(key) };
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        return (key, device.Id);
    }

    // Whole seconds an hour ago, so that a sequence sent again carries the very same time.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

    /// <summary>
    /// Passages as a device sends them: sequences first..first+count-1, each at a time fixed by its
    /// sequence (a second apart, about an hour ago), unidentified (a person key must be registered,
    /// or the item is refused). The same sequence always gives the same passage.
    /// </summary>
    public static object[] Batch(long first, int count) =>
    [
        .. Enumerable.Range(0, count).Select(i => new
        {
            sequence = first + i,
            occurredAt = Start.AddSeconds(first + i),
            direction = "In",
            decision = "Pass",
        }),
    ];
}
