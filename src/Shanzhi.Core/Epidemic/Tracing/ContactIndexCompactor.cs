using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// Compacts the <see cref="ContactIndex"/> every <see cref="TracingOptions.CompactionInterval"/>:
/// stays past the movement retention leave memory on the same schedule as their passages leave the
/// store, and stays added since the last compaction are regrouped by place.
/// </summary>
public sealed class ContactIndexCompactor(ContactIndex index, IOptions<TracingOptions> options, TimeProvider time,
    ILogger<ContactIndexCompactor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CompactionInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!index.IsReady)
            {
                continue;
            }

            var started = time.GetTimestamp();
            var result = index.Compact();
            logger.Compacted(result.StaysDropped, result.PersonsDropped, result.Stays, result.Persons, (long)time.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
