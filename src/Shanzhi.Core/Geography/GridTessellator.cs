using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Shanzhi.Geography;

/// <summary>
/// Sizes of the lattice that generated grids are cut from. Cells are axis-aligned in degrees with
/// corners at whole multiples of the cell size, so neighbouring cells share exact coordinates.
/// </summary>
/// <param name="CellWidth">Cell width in degrees of longitude.</param>
/// <param name="CellHeight">Cell height in degrees of latitude.</param>
/// <param name="CommunitySide">Cells along one side of a community block.</param>
/// <param name="StreetSide">Cells along one side of a street block; a multiple of <paramref name="CommunitySide"/>.</param>
/// <param name="MinGridShare">A clipped cell smaller than this share of a whole cell is merged into a neighbour.</param>
/// <param name="MinStreetShare">A clipped street block smaller than this share of a whole block is merged into the nearest street.</param>
internal sealed record TessellationLayout(
    double CellWidth, double CellHeight, int CommunitySide, int StreetSide, double MinGridShare, double MinStreetShare)
{
    /// <summary>
    /// Cells of 11/1024 ° × 19/2048 °, about 1.04 km × 1.03 km at Ningbo's latitude (30 °N), which
    /// gives about 10,200 grids for the city. Both sizes are exact binary fractions, so lattice
    /// coordinates carry no rounding. Communities are 2 × 2 cells and streets 8 × 8 cells (about
    /// 150 streets after merging those below half a block).
    /// </summary>
    public static readonly TessellationLayout Ningbo = new(11.0 / 1024, 19.0 / 2048, 2, 8, 0.2, 0.5);
}

/// <summary>A street, community or grid produced by <see cref="GridTessellator"/>.</summary>
internal sealed record GeneratedRegion(string Code, string ParentCode, RegionLevel Level, string Name, Geometry Boundary);

/// <summary>
/// Cuts a district into generated streets, communities and grids on a fixed lattice, so that a
/// city without real grid layers still gets grid-level routing and statistics.
/// </summary>
/// <remarks>
/// Codes follow the 15-digit unit-grid scheme: 6-digit district + 3-digit street + 3-digit community
/// + 3-digit grid. Children are numbered in reading order inside their parent: rows from north to
/// south, and inside a row from west to east, by the lattice position of the block or cell.
/// </remarks>
internal static class GridTessellator
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    public static List<GeneratedRegion> Tessellate(string districtCode, string districtName, Geometry district, TessellationLayout layout)
    {
        var pieces = ClipToCells(district, layout);
        var grids = MergeSlivers(pieces, layout);
        var streets = GroupIntoStreets(grids, layout);
        return Number(districtCode, districtName, streets);
    }

    /// <summary>Clips the district to every lattice cell it overlaps, street block by community block by cell.</summary>
    private static Dictionary<Cell, Geometry> ClipToCells(Geometry district, TessellationLayout layout)
    {
        var pieces = new Dictionary<Cell, Geometry>();
        var envelope = district.EnvelopeInternal;
        var s = layout.StreetSide;
        var c = layout.CommunitySide;
        var firstCol = FloorDiv((int)Math.Floor(envelope.MinX / layout.CellWidth), s) * s;
        var lastCol = (int)Math.Floor(envelope.MaxX / layout.CellWidth);
        var firstRow = FloorDiv((int)Math.Floor(envelope.MinY / layout.CellHeight), s) * s;
        var lastRow = (int)Math.Floor(envelope.MaxY / layout.CellHeight);

        for (var streetRow = firstRow; streetRow <= lastRow; streetRow += s)
        {
            for (var streetCol = firstCol; streetCol <= lastCol; streetCol += s)
            {
                var streetPiece = Clip(district, Block(streetCol, streetRow, s, layout));
                if (streetPiece is null)
                {
                    continue;
                }

                for (var communityRow = streetRow; communityRow < streetRow + s; communityRow += c)
                {
                    for (var communityCol = streetCol; communityCol < streetCol + s; communityCol += c)
                    {
                        var communityPiece = Clip(streetPiece, Block(communityCol, communityRow, c, layout));
                        if (communityPiece is null)
                        {
                            continue;
                        }

                        for (var row = communityRow; row < communityRow + c; row++)
                        {
                            for (var col = communityCol; col < communityCol + c; col++)
                            {
                                if (Clip(communityPiece, Block(col, row, 1, layout)) is { } cellPiece)
                                {
                                    pieces[new Cell(col, row)] = cellPiece;
                                }
                            }
                        }
                    }
                }
            }
        }

        return pieces;
    }

    /// <summary>
    /// Turns clipped cells into grids. A sliver (a clipped cell below <see cref="TessellationLayout.MinGridShare"/>
    /// of a whole cell, typically along a coast or a district border) joins the neighbouring grid it
    /// shares the longest edge with, or the nearest neighbouring grid; with no neighbouring grid at
    /// all (a lone islet) it stays a grid of its own, so every part of the district belongs to a grid.
    /// </summary>
    private static List<GridDraft> MergeSlivers(Dictionary<Cell, Geometry> pieces, TessellationLayout layout)
    {
        var minArea = layout.MinGridShare * layout.CellWidth * layout.CellHeight;
        var grids = new Dictionary<Cell, GridDraft>();
        var slivers = new List<(Cell Cell, Geometry Piece)>();
        foreach (var (cell, piece) in pieces)
        {
            if (piece.Area >= minArea)
            {
                grids[cell] = new GridDraft(cell, [piece]);
            }
            else
            {
                slivers.Add((cell, piece));
            }
        }

        var lone = new List<GridDraft>();
        foreach (var (cell, piece) in slivers.OrderBy(x => x.Cell))
        {
            var neighbours = cell.Neighbours().Where(grids.ContainsKey).Select(n => grids[n]).ToList();
            if (neighbours.Count == 0)
            {
                lone.Add(new GridDraft(cell, [piece]));
                continue;
            }

            var target = neighbours
                .Select(g => (Grid: g, Shared: SharedEdgeLength(piece, g.Parts[0]), Distance: piece.Distance(g.Parts[0])))
                .OrderByDescending(x => x.Shared)
                .ThenBy(x => x.Distance)
                .ThenBy(x => x.Grid.Cell)
                .First().Grid;
            target.Parts.Add(piece);
        }

        return [.. grids.Values, .. lone];
    }

    /// <summary>
    /// Groups grids into community and street blocks, then merges each street block smaller than
    /// <see cref="TessellationLayout.MinStreetShare"/> of a whole block into the nearest street
    /// (the one it shares the longest edge with when several touch it).
    /// </summary>
    private static List<StreetDraft> GroupIntoStreets(List<GridDraft> grids, TessellationLayout layout)
    {
        var streets = grids
            .GroupBy(g => g.Cell.Block(layout.CommunitySide))
            .Select(group => new CommunityDraft(group.Key, [.. group.OrderBy(g => g.Cell)], layout))
            .GroupBy(c => c.Grids[0].Cell.Block(layout.StreetSide))
            .ToDictionary(group => group.Key, group => new StreetDraft(group.Key, [.. group], layout));

        var side = layout.StreetSide;
        var minArea = layout.MinStreetShare * side * side * layout.CellWidth * layout.CellHeight;
        var small = streets.Values.Where(st => st.Area < minArea).OrderBy(st => st.Area).ThenBy(st => st.Block).ToList();
        foreach (var street in small)
        {
            if (street.Area >= minArea || streets.Count == 1)
            {
                continue;
            }

            // Only streets whose blocks neighbour this one can touch it; farther ones are searched
            // when none is near (an island block off the coast).
            var near = streets.Values.Where(other => other != street && Math.Abs(other.Block.Col - street.Block.Col) <= 1
                && Math.Abs(other.Block.Row - street.Block.Row) <= 1).ToList();
            var candidates = near.Count > 0 ? near : [.. streets.Values.Where(other => other != street)];
            var target = candidates
                .Select(other => (Street: other, Distance: street.Boundary.Distance(other.Boundary)))
                .OrderBy(x => x.Distance)
                .ThenByDescending(x => SharedEdgeLength(street.Boundary, x.Street.Boundary))
                .ThenBy(x => x.Street.Block)
                .First().Street;
            target.Absorb(street);
            streets.Remove(street.Block);
        }

        return [.. streets.Values];
    }

    private static List<GeneratedRegion> Number(string districtCode, string districtName, List<StreetDraft> streets)
    {
        var regions = new List<GeneratedRegion>();
        var gridNumberInDistrict = 0;
        var streetNumber = 0;
        foreach (var street in streets.OrderBy(st => st.Block))
        {
            var streetCode = districtCode + Sequence(++streetNumber);
            var streetName = $"{districtName}生成街道{Sequence(streetNumber)}";
            regions.Add(new GeneratedRegion(streetCode, districtCode, RegionLevel.Street, streetName, street.Boundary));

            var communityNumber = 0;
            foreach (var community in street.Communities.OrderBy(c => c.Block))
            {
                var communityCode = streetCode + Sequence(++communityNumber);
                var communityName = $"{streetName}第{Sequence(communityNumber)}社区";
                regions.Add(new GeneratedRegion(communityCode, streetCode, RegionLevel.Community, communityName, community.Boundary));

                var gridNumber = 0;
                foreach (var grid in community.Grids)
                {
                    var gridName = $"{districtName}第{(++gridNumberInDistrict).ToString("D4", CultureInfo.InvariantCulture)}网格";
                    regions.Add(new GeneratedRegion(communityCode + Sequence(++gridNumber), communityCode, RegionLevel.Grid, gridName, grid.Boundary));
                }
            }
        }

        return regions;
    }

    private static string Sequence(int number)
    {
        if (number > 999)
        {
            throw new InvalidOperationException($"Sequence {number} does not fit the 3-digit unit-grid code field; use a larger lattice.");
        }

        return number.ToString("D3", CultureInfo.InvariantCulture);
    }

    private static Geometry? Clip(Geometry geometry, Envelope rect)
    {
        if (!geometry.EnvelopeInternal.Intersects(rect))
        {
            return null;
        }

        if (rect.Covers(geometry.EnvelopeInternal))
        {
            return geometry;
        }

        if (geometry is Polygon { IsRectangle: true } && geometry.EnvelopeInternal.Covers(rect))
        {
            return Factory.ToGeometry(rect);
        }

        var clipped = OverlayNGRobust.Overlay(geometry, Factory.ToGeometry(rect), SpatialFunction.Intersection);
        return Polygonal(clipped);
    }

    private static Geometry Union(IEnumerable<Geometry> parts)
    {
        var list = parts.ToList();
        if (list.Count == 1)
        {
            return list[0];
        }

        return Polygonal(OverlayNGRobust.Union(Factory.BuildGeometry(list)))
            ?? throw new InvalidOperationException("The union of non-empty polygons was empty.");
    }

    /// <summary>
    /// Unions parts cut from one lattice block. Parts that lie inside the block and add up to its
    /// whole area tile it (they never overlap), so the union is the block itself; that holds for
    /// most blocks away from coasts and borders and skips the overlay.
    /// </summary>
    private static Geometry UnionInBlock(IEnumerable<Geometry> parts, Cell block, int side, TessellationLayout layout)
    {
        var list = parts.ToList();
        var rect = Block(block.Col * side, block.Row * side, side, layout);
        var blockArea = rect.Area;
        if (list.All(p => rect.Covers(p.EnvelopeInternal)) && Math.Abs(list.Sum(p => p.Area) - blockArea) <= blockArea * 1e-12)
        {
            return Factory.ToGeometry(rect);
        }

        return Union(list);
    }

    /// <summary>Keeps the polygons of an overlay result, dropping lines and points where shapes only touch.</summary>
    private static Geometry? Polygonal(Geometry geometry)
    {
        var polygons = PolygonExtracter.GetPolygons(geometry).Cast<Polygon>().Where(p => p.Area > 0).ToArray();
        return polygons.Length switch
        {
            0 => null,
            1 => polygons[0],
            _ => Factory.CreateMultiPolygon(polygons),
        };
    }

    private static double SharedEdgeLength(Geometry a, Geometry b) =>
        a.EnvelopeInternal.Intersects(b.EnvelopeInternal)
            ? OverlayNGRobust.Overlay(a.Boundary, b.Boundary, SpatialFunction.Intersection).Length
            : 0;

    private static Envelope Block(int col, int row, int side, TessellationLayout layout) =>
        new(col * layout.CellWidth, (col + side) * layout.CellWidth, row * layout.CellHeight, (row + side) * layout.CellHeight);

    private static int FloorDiv(int value, int divisor) => (int)Math.Floor((double)value / divisor);

    /// <summary>
    /// A lattice position: column counts west to east, row counts south to north. Sorting puts the
    /// northernmost row first and, inside a row, the westernmost column first.
    /// </summary>
    private readonly record struct Cell(int Col, int Row) : IComparable<Cell>
    {
        public int CompareTo(Cell other) => other.Row != Row ? other.Row.CompareTo(Row) : Col.CompareTo(other.Col);

        public Cell Block(int side) => new(FloorDiv(Col, side), FloorDiv(Row, side));

        public IEnumerable<Cell> Neighbours()
        {
            for (var dr = -1; dr <= 1; dr++)
            {
                for (var dc = -1; dc <= 1; dc++)
                {
                    if (dr != 0 || dc != 0)
                    {
                        yield return new Cell(Col + dc, Row + dr);
                    }
                }
            }
        }
    }

    /// <summary>A grid being built: its lattice cell and the clipped pieces (its own plus merged slivers).</summary>
    private sealed class GridDraft(Cell cell, List<Geometry> parts)
    {
        public Cell Cell => cell;

        public List<Geometry> Parts => parts;

        [field: MaybeNull]
        public Geometry Boundary => field ??= Union(parts);
    }

    private sealed class CommunityDraft(Cell block, List<GridDraft> grids, TessellationLayout layout)
    {
        public Cell Block => block;

        public List<GridDraft> Grids => grids;

        public double Area => grids.Sum(g => g.Boundary.Area);

        [field: MaybeNull]
        public Geometry Boundary => field ??= UnionInBlock(grids.Select(g => g.Boundary), block, layout.CommunitySide, layout);
    }

    private sealed class StreetDraft(Cell block, List<CommunityDraft> communities, TessellationLayout layout)
    {
        private Geometry? _boundary;

        public Cell Block => block;

        public List<CommunityDraft> Communities => communities;

        public double Area => communities.Sum(c => c.Area);

        public Geometry Boundary => _boundary ??= UnionInBlock(communities.Select(c => c.Boundary), block, layout.StreetSide, layout);

        /// <summary>Takes over the communities of a street merged into this one; community blocks never collide across street blocks.</summary>
        public void Absorb(StreetDraft other)
        {
            _boundary = Union([Boundary, other.Boundary]);
            communities.AddRange(other.Communities);
        }
    }
}
