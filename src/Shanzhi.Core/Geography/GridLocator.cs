using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Shanzhi.Geography;

/// <summary>The grid (or deepest region) that contains a point.</summary>
public sealed record GridLocation(string RegionCode, string RegionPath, string Name);

/// <summary>
/// Point → grid lookup used by every module. Singleton; <see cref="Load"/> replaces the index
/// after seeding or an import.
/// </summary>
// TODO: placeholder linear scan; replaced by a spatial index.
public sealed class GridLocator
{
    private volatile IReadOnlyList<(Geometry Boundary, GridLocation Location)> _grids = [];

    public int Count => _grids.Count;

    public void Load(IEnumerable<Region> regions)
    {
        var reader = new WKBReader();
        _grids = regions
            .Where(r => r.Level == RegionLevel.Grid && r.Boundary is not null)
            .Select(r => (reader.Read(r.Boundary), new GridLocation(r.Code, r.Path, r.Name)))
            .ToList();
    }

    public GridLocation? Locate(double latitude, double longitude)
    {
        var point = new Point(longitude, latitude);
        foreach (var (boundary, location) in _grids)
        {
            if (boundary.Contains(point))
            {
                return location;
            }
        }

        return null;
    }
}
