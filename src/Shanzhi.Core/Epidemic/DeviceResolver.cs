using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic;

/// <summary>
/// Resolves device API keys against the store and remembers the answers, so a gate check costs
/// one hash and one dictionary lookup. <see cref="Forget"/> drops a device after it is disabled
/// or its key is replaced.
/// </summary>
public sealed class DeviceResolver(IServiceScopeFactory scopes) : IDeviceResolver
{
    private readonly ConcurrentDictionary<string, DeviceContext> _known = new(StringComparer.Ordinal);

    public async Task<DeviceContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(Device.HashApiKey(apiKey));
        if (_known.TryGetValue(hash, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        var bytes = Convert.FromHexString(hash);
        var found = await (
                from d in db.Devices
                join e in db.Entrances on d.EntranceId equals e.Id
                join p in db.Places on e.PlaceId equals p.Id
                where d.ApiKeyHash == bytes && d.Active
                select new DeviceContext(d.Id, e.Id, p.Id, p.Kind, p.GridCode, p.RegionPath))
            .FirstOrDefaultAsync(cancellationToken);
        if (found is not null)
        {
            _known[hash] = found;
        }

        return found;
    }

    public void Forget(long deviceId)
    {
        foreach (var (hash, context) in _known)
        {
            if (context.DeviceId == deviceId)
            {
                _known.TryRemove(hash, out _);
            }
        }
    }
}
