using System.Buffers.Binary;
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic;

/// <summary>
/// Resolves device API keys against the store and remembers the answers, so a gate check costs
/// one SHA-256 and one dictionary lookup. Answers are keyed by the first 128 bits of the key's
/// hash (the store still matches all 256). <see cref="Forget"/> drops a device at once after it
/// is disabled or its key is replaced in this process; a change made by another process is seen
/// after <see cref="KeyLifetime"/>.
/// </summary>
public sealed class DeviceResolver(IServiceScopeFactory scopes, TimeProvider clock) : IDeviceResolver
{
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<UInt128, (DeviceContext Device, DateTimeOffset Expires)> _known = new();

    // Counts Forget calls. A device read from the store is remembered only if no device was
    // forgotten while it was being read, so a read racing a key change cannot put the old key back.
    private long _forgets;

    public async Task<DeviceContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = Device.HashApiKey(apiKey);
        var id = BinaryPrimitives.ReadUInt128LittleEndian(hash);
        var now = clock.GetUtcNow();
        if (_known.TryGetValue(id, out var known) && known.Expires > now)
        {
            return known.Device;
        }

        var forgetsBefore = Interlocked.Read(ref _forgets);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var found = await (
                from d in db.Devices
                join e in db.Entrances on d.EntranceId equals e.Id
                join p in db.Places on e.PlaceId equals p.Id
                where d.ApiKeyHash == hash && d.Active
                select new DeviceContext(d.Id, e.Id, p.Id, p.Kind, p.GridCode, p.RegionPath))
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            _known.TryRemove(id, out _);
        }
        else if (Interlocked.Read(ref _forgets) == forgetsBefore)
        {
            _known[id] = (found, now + KeyLifetime);
        }

        return found;
    }

    public void Forget(long deviceId)
    {
        Interlocked.Increment(ref _forgets);
        foreach (var (id, entry) in _known)
        {
            if (entry.Device.DeviceId == deviceId)
            {
                _known.TryRemove(id, out _);
            }
        }
    }
}
