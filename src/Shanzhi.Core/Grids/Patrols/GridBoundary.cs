using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Shanzhi.Grids;

/// <summary>Distance of a point from a grid boundary in metres, for checking where a visit was recorded.</summary>
public static class GridBoundary
{
    private const double EarthRadiusMeters = 6_371_008.8;
    private const double MetersPerDegree = EarthRadiusMeters * Math.PI / 180;

    /// <summary>
    /// Metres from the point to the boundary polygon (WKB, WGS84 longitude/latitude), 0 inside.
    /// The polygon is projected onto a plane tangent at the point (equirectangular, scale true at the
    /// point's latitude), which is accurate to well under a metre at grid scale.
    /// </summary>
    public static double MetersOutside(byte[] boundaryWkb, double latitude, double longitude)
    {
        var boundary = new WKBReader().Read(boundaryWkb);
        var point = boundary.Factory.CreatePoint(new Coordinate(longitude, latitude));
        if (boundary.Covers(point))
        {
            return 0;
        }

        var cosLatitude = Math.Cos(latitude * Math.PI / 180);
        var projected = boundary.Copy();
        projected.Apply(new ProjectFilter(longitude, latitude, cosLatitude));
        projected.GeometryChanged();
        return projected.Distance(projected.Factory.CreatePoint(new Coordinate(0, 0)));
    }

    private sealed class ProjectFilter(double originLongitude, double originLatitude, double cosLatitude) : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                seq.SetX(i, (seq.GetX(i) - originLongitude) * MetersPerDegree * cosLatitude);
                seq.SetY(i, (seq.GetY(i) - originLatitude) * MetersPerDegree);
            }
        }
    }
}
