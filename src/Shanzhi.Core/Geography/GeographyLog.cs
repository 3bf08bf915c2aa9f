namespace Shanzhi.Geography;

/// <summary>Event ids of the geography module's log messages: 1100–1199.</summary>
internal static class GeographyLog
{
    public const int Seeded = 1100;
    public const int LocatorLoaded = 1101;
    public const int RegionsImported = 1110;
    public const int RegionImportRejected = 1111;
}
