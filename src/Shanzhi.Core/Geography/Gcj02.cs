using NetTopologySuite.Geometries;

namespace Shanzhi.Geography;

/// <summary>
/// Conversion between WGS84 and GCJ-02, the offset datum Chinese web maps (Amap, DataV, Tencent)
/// publish. The forward offset is the widely published formula over the Krasovsky ellipsoid; there is
/// no closed-form inverse, so <see cref="ToWgs84(double, double)"/> iterates the forward formula.
/// Outside the rectangle the formula is defined for, both directions are the identity.
/// </summary>
public static class Gcj02
{
    private const double SemiMajorAxis = 6378245.0;
    private const double EccentricitySquared = 0.00669342162296594323;

    // 1e-9 degree is about 0.1 mm; the iteration reaches it in 3–5 steps inside China.
    private const double InverseTolerance = 1e-9;
    private const int MaxInverseIterations = 20;

    /// <summary>True outside the rectangle 72.004–137.8347 °E, 0.8293–55.8271 °N, where GCJ-02 equals WGS84.</summary>
    public static bool IsOutsideChina(double latitude, double longitude) =>
        longitude < 72.004 || longitude > 137.8347 || latitude < 0.8293 || latitude > 55.8271;

    public static (double Latitude, double Longitude) FromWgs84(double latitude, double longitude)
    {
        if (IsOutsideChina(latitude, longitude))
        {
            return (latitude, longitude);
        }

        var (dLat, dLon) = Offset(latitude, longitude);
        return (latitude + dLat, longitude + dLon);
    }

    /// <summary>
    /// Inverts <see cref="FromWgs84"/> by fixed-point iteration: the offset changes by well under a
    /// metre over the few hundred metres it spans, so each step shrinks the error by orders of magnitude.
    /// </summary>
    public static (double Latitude, double Longitude) ToWgs84(double latitude, double longitude)
    {
        if (IsOutsideChina(latitude, longitude))
        {
            return (latitude, longitude);
        }

        var (wgsLat, wgsLon) = (latitude, longitude);
        for (var i = 0; i < MaxInverseIterations; i++)
        {
            var (gcjLat, gcjLon) = FromWgs84(wgsLat, wgsLon);
            var errorLat = gcjLat - latitude;
            var errorLon = gcjLon - longitude;
            wgsLat -= errorLat;
            wgsLon -= errorLon;
            if (Math.Abs(errorLat) < InverseTolerance && Math.Abs(errorLon) < InverseTolerance)
            {
                break;
            }
        }

        return (wgsLat, wgsLon);
    }

    /// <summary>Returns a copy of <paramref name="geometry"/> (X = longitude, Y = latitude) converted from GCJ-02 to WGS84.</summary>
    public static Geometry ToWgs84(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(new ToWgs84Filter());
        copy.GeometryChanged();
        return copy;
    }

    private static (double Latitude, double Longitude) Offset(double latitude, double longitude)
    {
        var x = longitude - 105.0;
        var y = latitude - 35.0;
        var dLat = LatitudeShift(x, y);
        var dLon = LongitudeShift(x, y);

        var radLat = latitude / 180.0 * Math.PI;
        var magic = Math.Sin(radLat);
        magic = 1 - (EccentricitySquared * magic * magic);
        var sqrtMagic = Math.Sqrt(magic);
        dLat = dLat * 180.0 / (SemiMajorAxis * (1 - EccentricitySquared) / (magic * sqrtMagic) * Math.PI);
        dLon = dLon * 180.0 / (SemiMajorAxis / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (dLat, dLon);
    }

    private static double LatitudeShift(double x, double y)
    {
        var shift = -100.0 + (2.0 * x) + (3.0 * y) + (0.2 * y * y) + (0.1 * x * y) + (0.2 * Math.Sqrt(Math.Abs(x)));
        shift += ((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0;
        shift += ((20.0 * Math.Sin(y * Math.PI)) + (40.0 * Math.Sin(y / 3.0 * Math.PI))) * 2.0 / 3.0;
        shift += ((160.0 * Math.Sin(y / 12.0 * Math.PI)) + (320.0 * Math.Sin(y * Math.PI / 30.0))) * 2.0 / 3.0;
        return shift;
    }

    private static double LongitudeShift(double x, double y)
    {
        var shift = 300.0 + x + (2.0 * y) + (0.1 * x * x) + (0.1 * x * y) + (0.1 * Math.Sqrt(Math.Abs(x)));
        shift += ((20.0 * Math.Sin(6.0 * x * Math.PI)) + (20.0 * Math.Sin(2.0 * x * Math.PI))) * 2.0 / 3.0;
        shift += ((20.0 * Math.Sin(x * Math.PI)) + (40.0 * Math.Sin(x / 3.0 * Math.PI))) * 2.0 / 3.0;
        shift += ((150.0 * Math.Sin(x / 12.0 * Math.PI)) + (300.0 * Math.Sin(x / 30.0 * Math.PI))) * 2.0 / 3.0;
        return shift;
    }

    private sealed class ToWgs84Filter : IEntireCoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var (lat, lon) = ToWgs84(seq.GetY(i), seq.GetX(i));
                seq.SetX(i, lon);
                seq.SetY(i, lat);
            }
        }
    }
}
