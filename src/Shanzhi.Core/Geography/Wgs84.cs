namespace Shanzhi.Geography;

/// <summary>Range checks for WGS84 coordinates as clients send them (degrees).</summary>
public static class Wgs84
{
    /// <summary>True for a finite latitude from -90 to 90 degrees.</summary>
    public static bool IsLatitude(double value) => double.IsFinite(value) && value is >= -90 and <= 90;

    /// <summary>True for a finite longitude from -180 to 180 degrees.</summary>
    public static bool IsLongitude(double value) => double.IsFinite(value) && value is >= -180 and <= 180;
}
