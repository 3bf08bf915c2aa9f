using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

/// <summary>
/// Seeds the region tree into an empty store (Ningbo, its districts, the external region and the
/// generated streets, communities and grids), then loads <see cref="GridLocator"/> from the store
/// on every start, so the locator is ready once <see cref="StoreInitializer"/> returns.
/// </summary>
public sealed partial class GeographySeeder(GridLocator locator, TimeProvider timeProvider, ILogger<GeographySeeder> logger) : IStoreSeeder
{
    public int Order => 100;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Regions.AnyAsync(cancellationToken))
        {
            var watch = Stopwatch.StartNew();
            var regions = NingboRegions.Create(ChinaCalendar.Today(timeProvider));
            await RegionBulkInsert.InsertAsync(db, regions, cancellationToken);
            LogSeeded(regions.Count, regions.Count(r => r.Level == RegionLevel.Grid), watch.ElapsedMilliseconds);
        }

        var load = Stopwatch.StartNew();
        await locator.LoadAsync(db, cancellationToken);
        LogLocatorLoaded(locator.Count, locator.RegionCount, load.ElapsedMilliseconds);
    }

    [LoggerMessage(EventId = GeographyLog.Seeded, Level = LogLevel.Information,
        Message = "Seeded {Count} regions, {Grids} of them generated grids, in {Milliseconds} ms")]
    private partial void LogSeeded(int count, int grids, long milliseconds);

    [LoggerMessage(EventId = GeographyLog.LocatorLoaded, Level = LogLevel.Information,
        Message = "Grid locator loaded {Grids} grids of {Regions} current regions in {Milliseconds} ms")]
    private partial void LogLocatorLoaded(int grids, int regions, long milliseconds);
}
