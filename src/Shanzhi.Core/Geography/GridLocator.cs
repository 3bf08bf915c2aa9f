using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

/// <summary>The grid (or deepest region) that contains a point.</summary>
public sealed record GridLocation(string RegionCode, string RegionPath, string Name)
{
    /// <summary>Grid normally; community, street, district or city where no deeper region covers the point.</summary>
    public RegionLevel Level { get; init; } = RegionLevel.Grid;
}

/// <summary>
/// Point → grid lookup used by every module. Singleton; <see cref="Load"/> replaces the index
/// after seeding or an import, and lookups running meanwhile keep using the previous one.
/// </summary>
/// <remarks>
/// Indexes the current regions (see <see cref="Region.IsCurrentOn"/>) with a boundary, from city to
/// grid; micro-grids are not indexed. Where several regions cover a point the deepest level wins,
/// then a real (imported or bundled) region over a generated one, then the smaller code. Points
/// on an edge shared by two regions resolve to exactly one of them (see <see cref="RasterRegionIndex"/>).
/// </remarks>
public sealed class GridLocator(TimeProvider timeProvider)
{
    private volatile Snapshot _snapshot = Snapshot.Empty;

    public GridLocator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Number of grid-level regions in the index.</summary>
    public int Count => _snapshot.GridCount;

    /// <summary>Number of regions of every level in the index.</summary>
    public int RegionCount => _snapshot.Locations.Length;

    public void Load(IEnumerable<Region> regions)
    {
        var today = ChinaCalendar.Today(timeProvider);
        var reader = new WKBReader();
        var indexed = regions
            .Where(r => r.Level is >= RegionLevel.City and <= RegionLevel.Grid && r.Boundary is not null && r.IsCurrentOn(today))
            .OrderByDescending(r => r.Level)
            .ThenBy(r => r.IsGenerated)
            .ThenBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => (Region: r, Boundary: reader.Read(r.Boundary)))
            .Where(x => x.Boundary is Polygon or MultiPolygon)
            .ToList();

        var index = RasterRegionIndex.Build([.. indexed.Select(x => x.Boundary)]);
        var locations = indexed
            .Select(x => new GridLocation(x.Region.Code, x.Region.Path, x.Region.Name) { Level = x.Region.Level })
            .ToArray();
        _snapshot = new Snapshot(index, locations, indexed.Count(x => x.Region.Level == RegionLevel.Grid));
    }

    /// <summary>Reloads the index from the regions in the store.</summary>
    public async Task LoadAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var regions = await db.Regions.AsNoTracking()
            .Where(r => r.Level >= RegionLevel.City && r.Level <= RegionLevel.Grid && r.Boundary != null)
            .ToListAsync(cancellationToken);
        Load(regions);
    }

    /// <summary>Returns the deepest current region containing the point (WGS84), or null outside every region.</summary>
    public GridLocation? Locate(double latitude, double longitude)
    {
        var snapshot = _snapshot;
        var id = snapshot.Index.Locate(longitude, latitude);
        return id < 0 ? null : snapshot.Locations[id];
    }

    private sealed record Snapshot(RasterRegionIndex Index, GridLocation[] Locations, int GridCount)
    {
        public static readonly Snapshot Empty = new(RasterRegionIndex.Empty, [], 0);
    }
}
