using System.Numerics;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Shanzhi.Geography;

/// <summary>
/// Point-in-region index over a uniform raster of square cells (in degrees). Each cell stores the
/// regions whose boundary crosses it, each clipped to the cell, and the first region that covers
/// the whole cell. A lookup runs a ray-crossing test over the few vertices each crossing region has
/// inside the cell and falls back to the covering region. Most cells have no crossing region at all.
/// </summary>
/// <remarks>
/// Regions are given in priority order and a lookup returns the first that contains the point, so
/// overlaps resolve by that order. A point strictly inside a region or strictly outside all of them
/// resolves as a polygon test would. A point on an edge resolves by the half-open crossing rule: on
/// an edge between two regions it goes to exactly one of them, on the outer edge of a region it is
/// inside when the region lies to its east. Cell size and origin are powers of two in degrees, so
/// assigning a point to a cell involves no rounding for longitudes and latitudes of the same magnitude
/// as the origin.
/// </remarks>
internal sealed class RasterRegionIndex
{
    // Cells per indexed region, capped by MaxCells. On the generated Ningbo tree (13,000 regions)
    // this gives 256 cells per degree; 512 looked up about 10 % faster but took twice as long to build.
    private const int CellsPerRegion = 8;
    private const int MaxCells = 8 << 20;

    // Coverage below or above these shares of a cell counts as none or all of it. For cells of a
    // few hundred metres the slack is far below a square millimetre.
    private const double EmptyShare = 1e-12;
    private const double FullShare = 1 - 1e-12;

    private readonly double _originX;
    private readonly double _originY;
    private readonly double _cellsPerDegree;
    private readonly int _columns;
    private readonly int _rows;

    // Cell c owns crossing entries _cellEntryStart[c] .. _cellEntryStart[c + 1] - 1 and, after
    // them, the covering region _cellCover[c] (-1 for none). Entry e owns rings
    // _entryRingStart[e] .. _entryRingStart[e + 1] - 1; ring r owns coordinates
    // _ringStart[r] .. _ringStart[r + 1] - 1 of _xs/_ys, closed implicitly.
    private readonly int[] _cellEntryStart;
    private readonly int[] _cellCover;
    private readonly int[] _entryRegion;
    private readonly int[] _entryRingStart;
    private readonly int[] _ringStart;
    private readonly double[] _xs;
    private readonly double[] _ys;

    private RasterRegionIndex(Builder builder)
    {
        _originX = builder.OriginX;
        _originY = builder.OriginY;
        _cellsPerDegree = builder.CellsPerDegree;
        _columns = builder.Columns;
        _rows = builder.Rows;
        (_cellEntryStart, _cellCover, _entryRegion, _entryRingStart, _ringStart, _xs, _ys) = builder.Freeze();
    }

    public static RasterRegionIndex Empty { get; } = new(new Builder(0, 0, 1, 0, 0));

    public int Cells => _columns * _rows;

    public int CrossingEntries => _entryRegion.Length;

    /// <summary>Builds the index; a region's position in <paramref name="boundaries"/> is its id and its priority (first wins).</summary>
    public static RasterRegionIndex Build(IReadOnlyList<Geometry> boundaries, int? cellsPerDegree = null)
    {
        var extent = new Envelope();
        foreach (var boundary in boundaries)
        {
            extent.ExpandToInclude(boundary.EnvelopeInternal);
        }

        if (extent.IsNull || extent.Area <= 0)
        {
            return Empty;
        }

        var resolution = cellsPerDegree ?? ChooseResolution(extent, boundaries.Count);
        var originX = Math.Floor(extent.MinX * resolution) / resolution;
        var originY = Math.Floor(extent.MinY * resolution) / resolution;
        var columns = (int)Math.Floor((extent.MaxX - originX) * resolution) + 1;
        var rows = (int)Math.Floor((extent.MaxY - originY) * resolution) + 1;
        var builder = new Builder(originX, originY, resolution, columns, rows);
        for (var id = 0; id < boundaries.Count; id++)
        {
            builder.Add(id, boundaries[id]);
        }

        return new RasterRegionIndex(builder);
    }

    /// <summary>Returns the id of the first region containing the point, or -1.</summary>
    public int Locate(double x, double y)
    {
        var fx = (x - _originX) * _cellsPerDegree;
        var fy = (y - _originY) * _cellsPerDegree;

        // Written so that NaN fails every comparison and lands outside.
        if (!(fx >= 0 && fy >= 0 && fx < _columns && fy < _rows))
        {
            return -1;
        }

        var cell = ((int)fy * _columns) + (int)fx;
        var end = _cellEntryStart[cell + 1];
        for (var entry = _cellEntryStart[cell]; entry < end; entry++)
        {
            if (Contains(entry, x, y))
            {
                return _entryRegion[entry];
            }
        }

        return _cellCover[cell];
    }

    /// <summary>Even-odd ray crossing towards +x over every ring of the entry.</summary>
    private bool Contains(int entry, double x, double y)
    {
        var inside = false;
        var xs = _xs;
        var ys = _ys;
        var ringEnd = _entryRingStart[entry + 1];
        for (var ring = _entryRingStart[entry]; ring < ringEnd; ring++)
        {
            var start = _ringStart[ring];
            var end = _ringStart[ring + 1];
            var j = end - 1;
            for (var i = start; i < end; j = i++)
            {
                var yi = ys[i];
                var yj = ys[j];
                if ((yi > y) != (yj > y) && x < ((xs[j] - xs[i]) * (y - yi) / (yj - yi)) + xs[i])
                {
                    inside = !inside;
                }
            }
        }

        return inside;
    }

    /// <summary>
    /// Picks a power-of-two number of cells per degree giving at least <see cref="CellsPerRegion"/>
    /// cells per region over the extent, within <see cref="MaxCells"/>.
    /// </summary>
    private static int ChooseResolution(Envelope extent, int regions)
    {
        var targetCells = Math.Clamp((long)regions * CellsPerRegion, 1024, MaxCells);
        var perDegree = Math.Sqrt(targetCells / extent.Area);
        var resolution = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Math.Ceiling(perDegree)));
        while (resolution > 1 && (extent.Width * resolution + 1) * (extent.Height * resolution + 1) > MaxCells)
        {
            resolution /= 2;
        }

        return resolution;
    }

    private sealed class Builder(double originX, double originY, int cellsPerDegree, int columns, int rows)
    {
        private readonly int[] _cover = CreateCover(columns * rows);
        private readonly List<(int Region, List<double[]> Rings)>?[] _crossing = new List<(int, List<double[]>)>?[columns * rows];

        public double OriginX => originX;

        public double OriginY => originY;

        public int CellsPerDegree => cellsPerDegree;

        public int Columns => columns;

        public int Rows => rows;

        public void Add(int region, Geometry boundary)
        {
            var rings = new List<double[]>();
            foreach (var polygon in PolygonsOf(boundary))
            {
                rings.Add(Flatten(polygon.Shell, counterClockwise: true));
                foreach (var hole in polygon.Holes)
                {
                    rings.Add(Flatten(hole, counterClockwise: false));
                }
            }

            if (rings.Count == 0)
            {
                return;
            }

            var envelope = boundary.EnvelopeInternal;
            var c0 = Math.Max(0, (int)Math.Floor((envelope.MinX - originX) * cellsPerDegree));
            var r0 = Math.Max(0, (int)Math.Floor((envelope.MinY - originY) * cellsPerDegree));
            var c1 = Math.Min(columns, (int)Math.Floor((envelope.MaxX - originX) * cellsPerDegree) + 1);
            var r1 = Math.Min(rows, (int)Math.Floor((envelope.MaxY - originY) * cellsPerDegree) + 1);
            Visit(region, rings, c0, r0, c1, r1);
        }

        /// <summary>
        /// Clips the rings to the cell range [c0, c1) × [r0, r1) and records the region where it
        /// covers whole cells. A range it covers only in part is halved until it is a single cell.
        /// </summary>
        private void Visit(int region, List<double[]> rings, int c0, int r0, int c1, int r1)
        {
            if (AllCovered(c0, r0, c1, r1))
            {
                return;
            }

            var minX = originX + ((double)c0 / cellsPerDegree);
            var maxX = originX + ((double)c1 / cellsPerDegree);
            var minY = originY + ((double)r0 / cellsPerDegree);
            var maxY = originY + ((double)r1 / cellsPerDegree);
            var clipped = new List<double[]>(rings.Count);
            var area = 0.0;
            foreach (var ring in rings)
            {
                var part = RectangleClipper.Clip(ring, minX, minY, maxX, maxY);
                var partArea = RectangleClipper.SignedArea(part);
                if (partArea != 0)
                {
                    clipped.Add(part);
                    area += partArea;
                }
            }

            var rectArea = (maxX - minX) * (maxY - minY);
            if (area <= rectArea * EmptyShare)
            {
                return;
            }

            if (area >= rectArea * FullShare)
            {
                Cover(region, c0, r0, c1, r1);
                return;
            }

            if (c1 - c0 == 1 && r1 - r0 == 1)
            {
                var cell = (r0 * columns) + c0;
                (_crossing[cell] ??= []).Add((region, clipped));
                return;
            }

            if (c1 - c0 >= r1 - r0)
            {
                var mid = (c0 + c1) / 2;
                Visit(region, clipped, c0, r0, mid, r1);
                Visit(region, clipped, mid, r0, c1, r1);
            }
            else
            {
                var mid = (r0 + r1) / 2;
                Visit(region, clipped, c0, r0, c1, mid);
                Visit(region, clipped, c0, mid, c1, r1);
            }
        }

        private bool AllCovered(int c0, int r0, int c1, int r1)
        {
            for (var row = r0; row < r1; row++)
            {
                var offset = row * columns;
                for (var col = c0; col < c1; col++)
                {
                    if (_cover[offset + col] < 0)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private void Cover(int region, int c0, int r0, int c1, int r1)
        {
            for (var row = r0; row < r1; row++)
            {
                var offset = row * columns;
                for (var col = c0; col < c1; col++)
                {
                    if (_cover[offset + col] < 0)
                    {
                        _cover[offset + col] = region;
                    }
                }
            }
        }

        public (int[] CellEntryStart, int[] CellCover, int[] EntryRegion, int[] EntryRingStart, int[] RingStart, double[] Xs, double[] Ys) Freeze()
        {
            var cellEntryStart = new int[_cover.Length + 1];
            var entryRegion = new List<int>();
            var entryRingStart = new List<int> { 0 };
            var ringStart = new List<int> { 0 };
            var xs = new List<double>();
            var ys = new List<double>();
            for (var cell = 0; cell < _cover.Length; cell++)
            {
                cellEntryStart[cell] = entryRegion.Count;
                foreach (var (region, rings) in _crossing[cell] ?? [])
                {
                    entryRegion.Add(region);
                    foreach (var ring in rings)
                    {
                        for (var i = 0; i < ring.Length; i += 2)
                        {
                            xs.Add(ring[i]);
                            ys.Add(ring[i + 1]);
                        }

                        ringStart.Add(xs.Count);
                    }

                    entryRingStart.Add(ringStart.Count - 1);
                }
            }

            cellEntryStart[_cover.Length] = entryRegion.Count;
            return (cellEntryStart, _cover, [.. entryRegion], [.. entryRingStart], [.. ringStart], [.. xs], [.. ys]);
        }

        private static int[] CreateCover(int cells)
        {
            var cover = new int[cells];
            Array.Fill(cover, -1);
            return cover;
        }

        private static IEnumerable<Polygon> PolygonsOf(Geometry geometry)
        {
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                if (geometry.GetGeometryN(i) is Polygon { IsEmpty: false } polygon)
                {
                    yield return polygon;
                }
            }
        }

        /// <summary>
        /// Flattens a ring to x0, y0, x1, y1, … without the closing point, oriented so that shells
        /// have positive and holes negative area and the clipped areas of a region add up.
        /// </summary>
        private static double[] Flatten(LinearRing ring, bool counterClockwise)
        {
            var coordinates = ring.Coordinates;
            var count = coordinates.Length - 1;
            var flat = new double[count * 2];
            var reverse = Orientation.IsCCW(coordinates) != counterClockwise;
            for (var i = 0; i < count; i++)
            {
                var c = coordinates[reverse ? count - i : i];
                flat[2 * i] = c.X;
                flat[(2 * i) + 1] = c.Y;
            }

            return flat;
        }
    }
}

/// <summary>Sutherland–Hodgman clipping of a ring to an axis-aligned rectangle.</summary>
/// <remarks>
/// The output of a concave ring can contain edges running along the rectangle's border, but its
/// area and its even-odd inside test equal those of the ring's intersection with the rectangle for
/// every point inside the rectangle, which is all the index needs.
/// </remarks>
internal static class RectangleClipper
{
    public static double[] Clip(double[] ring, double minX, double minY, double maxX, double maxY)
    {
        var result = ring;
        result = ClipEdge(result, 0, minX, keepGreater: true);
        result = ClipEdge(result, 0, maxX, keepGreater: false);
        result = ClipEdge(result, 1, minY, keepGreater: true);
        result = ClipEdge(result, 1, maxY, keepGreater: false);
        return result;
    }

    public static double SignedArea(double[] ring)
    {
        var n = ring.Length / 2;
        if (n < 3)
        {
            return 0;
        }

        var sum = 0.0;
        var x0 = ring[0];
        var y0 = ring[1];
        for (var i = 1; i < n - 1; i++)
        {
            var x1 = ring[2 * i] - x0;
            var y1 = ring[(2 * i) + 1] - y0;
            var x2 = ring[2 * (i + 1)] - x0;
            var y2 = ring[(2 * (i + 1)) + 1] - y0;
            sum += (x1 * y2) - (x2 * y1);
        }

        return sum / 2;
    }

    /// <summary>Keeps the part of the ring on one side of the line axis = value (axis 0 is x, 1 is y).</summary>
    private static double[] ClipEdge(double[] ring, int axis, double value, bool keepGreater)
    {
        var n = ring.Length / 2;
        if (n == 0)
        {
            return ring;
        }

        var allInside = true;
        for (var i = 0; i < n && allInside; i++)
        {
            allInside = Inside(ring[(2 * i) + axis], value, keepGreater);
        }

        if (allInside)
        {
            return ring;
        }

        var output = new List<double>(ring.Length + 8);
        var prevX = ring[2 * (n - 1)];
        var prevY = ring[(2 * (n - 1)) + 1];
        var prevInside = Inside(axis == 0 ? prevX : prevY, value, keepGreater);
        for (var i = 0; i < n; i++)
        {
            var x = ring[2 * i];
            var y = ring[(2 * i) + 1];
            var inside = Inside(axis == 0 ? x : y, value, keepGreater);
            if (inside != prevInside)
            {
                var (ix, iy) = Intersect(prevX, prevY, x, y, axis, value);
                output.Add(ix);
                output.Add(iy);
            }

            if (inside)
            {
                output.Add(x);
                output.Add(y);
            }

            (prevX, prevY, prevInside) = (x, y, inside);
        }

        return [.. output];
    }

    private static bool Inside(double coordinate, double value, bool keepGreater) =>
        keepGreater ? coordinate >= value : coordinate <= value;

    /// <summary>Intersects the segment with the line, snapping the crossing coordinate to the line exactly.</summary>
    private static (double X, double Y) Intersect(double x1, double y1, double x2, double y2, int axis, double value)
    {
        if (axis == 0)
        {
            var t = (value - x1) / (x2 - x1);
            return (value, y1 + (t * (y2 - y1)));
        }

        var s = (value - y1) / (y2 - y1);
        return (x1 + (s * (x2 - x1)), value);
    }
}
