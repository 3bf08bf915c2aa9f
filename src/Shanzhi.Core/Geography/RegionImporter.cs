using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Valid;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

/// <summary>How to read one layer of real regions from a GeoJSON file.</summary>
/// <param name="Level">Street, community or grid; the parent level is the one above.</param>
/// <param name="CodeProperty">Feature property holding the region code.</param>
/// <param name="NameProperty">Feature property holding the region name.</param>
public sealed record RegionImportOptions(RegionLevel Level, string CodeProperty, string NameProperty)
{
    /// <summary>Feature property holding the parent code; without it the parent is the region of the level above that contains the feature's interior point.</summary>
    public string? ParentProperty { get; init; }

    /// <summary>Coordinates are GCJ-02 (Amap, DataV) and are converted to WGS84.</summary>
    public bool Gcj02 { get; init; }

    /// <summary>Load nothing if any feature is rejected.</summary>
    public bool Atomic { get; init; }
}

/// <summary>A feature that was not loaded; <paramref name="FeatureIndex"/> is its zero-based position in <c>features</c>.</summary>
public sealed record RejectedFeature(int FeatureIndex, string? Code, Error Error);

/// <param name="Features">Features in the file.</param>
/// <param name="Added">New regions inserted.</param>
/// <param name="Updated">Existing regions with the same code that were overwritten, generated ones included.</param>
/// <param name="Retired">Generated regions whose validity ended because the import covers them.</param>
public sealed record RegionImportReport(int Features, int Added, int Updated, int Retired, IReadOnlyList<RejectedFeature> Rejected)
{
    public int Loaded => Added + Updated;
}

/// <summary>
/// Loads a layer of real streets, communities or grids from GeoJSON, checking each feature and
/// reporting the ones it rejects, then reloads <see cref="GridLocator"/>.
/// </summary>
/// <remarks>
/// What happens to generated regions: a generated region of the imported level or below that the
/// imported features cover by more than half of its area is retired (ValidTo = today), so the
/// locator stops returning it, while records that already carry its code keep it. A feature whose
/// code equals a generated region's code takes over that row, and the generated descendants of
/// that row are retired with it.
/// </remarks>
public sealed partial class RegionImporter(ShanzhiDbContext db, GridLocator locator, TimeProvider timeProvider, ILogger<RegionImporter> logger)
{
    private const double RetireWhenCoveredShare = 0.5;
    private const int NameMaxLength = 100;
    private const int RetireBatchSize = 500;

    public async Task<Result<RegionImportReport>> ImportAsync(Stream geoJson, RegionImportOptions options, CancellationToken cancellationToken)
    {
        if (options.Level is not (RegionLevel.Street or RegionLevel.Community or RegionLevel.Grid))
        {
            return GeographyErrors.ImportLevelNotSupported(options.Level);
        }

        var read = await ReadFeaturesAsync(geoJson, cancellationToken);
        if (read.Error is { } fileError)
        {
            return fileError;
        }

        var features = read.Value!;
        var today = ChinaCalendar.Today(timeProvider);
        var parents = await ParentRegions.LoadAsync(db, options.Level - 1, today, cancellationToken);
        var rejected = new List<RejectedFeature>();
        var accepted = new List<ImportedFeature>();
        var firstIndexOfCode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (index, feature, readError) in features)
        {
            var code = GeoJsonProperties.ReadString(feature?.Attributes, options.CodeProperty);
            var checkedFeature = readError is not null
                ? (Result<ImportedFeature>)readError
                : Check(index, feature!, code, options, parents, firstIndexOfCode);
            if (checkedFeature.Error is { } error)
            {
                rejected.Add(new RejectedFeature(index, code, error));
            }
            else
            {
                accepted.Add(checkedFeature.Value!);
            }
        }

        var existing = await LoadExistingAsync(accepted, cancellationToken);
        foreach (var feature in accepted.ToList())
        {
            if (existing.TryGetValue(feature.Code, out var region) && region.Level != options.Level)
            {
                rejected.Add(new RejectedFeature(feature.Index, feature.Code, GeographyErrors.LevelConflict(feature.Code, region.Level)));
                accepted.Remove(feature);
            }
        }

        rejected.Sort((a, b) => a.FeatureIndex.CompareTo(b.FeatureIndex));
        if (accepted.Count == 0 || (options.Atomic && rejected.Count > 0))
        {
            LogImportRejected(options.Level, features.Count, rejected.Count);
            return new RegionImportReport(features.Count, 0, 0, 0, rejected);
        }

        var (added, updated, retired) = await StoreAsync(accepted, existing, options.Level, today, cancellationToken);
        await locator.LoadAsync(db, cancellationToken);
        LogImported(options.Level, added, updated, retired, rejected.Count);
        return new RegionImportReport(features.Count, added, updated, retired, rejected);
    }

    private static async Task<Result<List<(int Index, IFeature? Feature, Error? Error)>>> ReadFeaturesAsync(Stream geoJson, CancellationToken cancellationToken)
    {
        // The JSON parser checks structure only, so text that is not UTF-8 (a GBK export from a GIS
        // tool) would first fail when a name is read. The checking stream ends the input at the first
        // invalid byte and names its line.
        var checkedInput = new Import.Utf8CheckingStream(geoJson);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(checkedInput, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return checkedInput.Error is { } notUtf8
                ? GeographyErrors.FileNotGeoJson($"第 {notUtf8.Line} 行起不是 UTF-8 编码（例如 GBK），请另存为 UTF-8")
                : GeographyErrors.FileNotGeoJson($"第 {ex.LineNumber + 1} 行附近 JSON 语法错误");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                return GeographyErrors.FileNotFeatureCollection;
            }

            if (features.GetArrayLength() == 0)
            {
                return GeographyErrors.FileEmpty;
            }

            // Features are read one by one, so a malformed geometry rejects its feature, not the file.
            var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory() } };
            var result = new List<(int, IFeature?, Error?)>();
            var index = 0;
            foreach (var element in features.EnumerateArray())
            {
                try
                {
                    var feature = element.Deserialize<IFeature>(options);
                    result.Add(feature is null
                        ? (index, null, GeographyErrors.FeatureUnreadable("要素为 null"))
                        : (index, feature, null));
                }
                catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or FormatException)
                {
                    result.Add((index, null, GeographyErrors.FeatureUnreadable(ex is JsonException ? "JSON 结构不符合 GeoJSON 规范" : "几何坐标无效")));
                }

                index++;
            }

            return result;
        }
    }

    private static Result<ImportedFeature> Check(
        int index, IFeature feature, string? code, RegionImportOptions options, ParentRegions parents, Dictionary<string, int> firstIndexOfCode)
    {
        if (code is null)
        {
            return GeographyErrors.CodeMissing(options.CodeProperty);
        }

        var name = GeoJsonProperties.ReadString(feature.Attributes, options.NameProperty);
        if (name is null)
        {
            return GeographyErrors.NameMissing(options.NameProperty);
        }

        if (name.Length > NameMaxLength)
        {
            return GeographyErrors.NameTooLong(NameMaxLength);
        }

        var length = RegionCodes.Length(options.Level);
        if (code.Length != length || !code.All(char.IsAsciiDigit))
        {
            return GeographyErrors.CodeFormat(code, options.Level, length);
        }

        if (!firstIndexOfCode.TryAdd(code, index))
        {
            return GeographyErrors.CodeDuplicated(code, firstIndexOfCode[code]);
        }

        var geometry = CheckGeometry(feature.Geometry, options.Gcj02);
        if (geometry.Error is { } geometryError)
        {
            return geometryError;
        }

        var boundary = geometry.Value!;
        var parent = FindParent(feature, boundary, options, parents);
        if (parent.Error is { } parentError)
        {
            return parentError;
        }

        if (!code.StartsWith(parent.Value!.Code, StringComparison.Ordinal))
        {
            return GeographyErrors.CodeNotUnderParent(code, parent.Value.Code);
        }

        return new ImportedFeature(index, code, name, boundary, parent.Value);
    }

    private static Result<Geometry> CheckGeometry(Geometry? geometry, bool gcj02)
    {
        if (geometry is null || geometry.IsEmpty)
        {
            return GeographyErrors.GeometryMissing;
        }

        if (geometry is not (Polygon or MultiPolygon))
        {
            return GeographyErrors.GeometryType(geometry.GeometryType);
        }

        if (geometry.Coordinates.Any(c => !(Math.Abs(c.X) <= 180 && Math.Abs(c.Y) <= 90)))
        {
            return GeographyErrors.CoordinatesOutOfRange;
        }

        var boundary = gcj02 ? Gcj02.ToWgs84(geometry) : geometry;
        var validation = new IsValidOp(boundary).ValidationError;
        return validation is null ? boundary : GeographyErrors.GeometryInvalid(validation);
    }

    private static Result<Region> FindParent(IFeature feature, Geometry boundary, RegionImportOptions options, ParentRegions parents)
    {
        if (options.ParentProperty is { } property)
        {
            var parentCode = GeoJsonProperties.ReadString(feature.Attributes, property);
            if (parentCode is null)
            {
                return GeographyErrors.ParentMissing(property);
            }

            return parents.ByCode.TryGetValue(parentCode, out var parent)
                ? parent
                : GeographyErrors.ParentNotFound(parentCode, parents.Level);
        }

        var point = boundary.InteriorPoint;
        return parents.Containing(point.Y, point.X) is { } container
            ? container
            : GeographyErrors.ParentNotContaining(parents.Level);
    }

    private async Task<Dictionary<string, Region>> LoadExistingAsync(List<ImportedFeature> accepted, CancellationToken cancellationToken)
    {
        var existing = new Dictionary<string, Region>(StringComparer.Ordinal);
        foreach (var chunk in accepted.Select(f => f.Code).Chunk(RetireBatchSize))
        {
            foreach (var region in await db.Regions.Where(r => chunk.Contains(r.Code)).ToListAsync(cancellationToken))
            {
                existing[region.Code] = region;
            }
        }

        return existing;
    }

    private async Task<(int Added, int Updated, int Retired)> StoreAsync(
        List<ImportedFeature> accepted, Dictionary<string, Region> existing, RegionLevel level, DateOnly today, CancellationToken cancellationToken)
    {
        var writer = new WKBWriter();
        var added = 0;
        var takenOverPaths = new List<string>();
        foreach (var feature in accepted)
        {
            var wkb = writer.Write(feature.Boundary);
            var center = feature.Boundary.InteriorPoint;
            if (existing.TryGetValue(feature.Code, out var region))
            {
                // NOTE: records filed under the generated region keep this code and path, so after the
                // takeover they count under the real region even where they lie outside it.
                // Re-locating them is not built.
                if (region.IsGenerated)
                {
                    takenOverPaths.Add(region.Path);
                }

                region.ApplyImport(feature.Name, wkb, center.Y, center.X, today);
                continue;
            }

            db.Regions.Add(new Region
            {
                Code = feature.Code,
                ParentCode = feature.Parent.Code,
                Level = level,
                Name = feature.Name,
                Path = Region.ChildPath(feature.Parent.Path, feature.Code),
                Boundary = wkb,
                CenterLatitude = center.Y,
                CenterLongitude = center.X,
                IsGenerated = false,
                ValidFrom = today,
            });
            added++;
        }

        var importedCodes = accepted.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        var toRetire = await FindGeneratedToRetireAsync(accepted, takenOverPaths, importedCodes, level, today, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var chunk in toRetire.Chunk(RetireBatchSize))
        {
            await db.Regions
                .Where(r => chunk.Contains(r.Code))
                .ExecuteUpdateAsync(setters => setters.SetProperty(r => r.ValidTo, today), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (added, accepted.Count - added, toRetire.Count);
    }

    /// <summary>
    /// Finds the current generated regions of the imported level and below that the imported
    /// features cover by more than <see cref="RetireWhenCoveredShare"/> of their area, plus the
    /// generated descendants of generated rows an imported feature took over.
    /// </summary>
    private async Task<List<string>> FindGeneratedToRetireAsync(
        List<ImportedFeature> accepted, List<string> takenOverPaths, HashSet<string> importedCodes, RegionLevel level, DateOnly today,
        CancellationToken cancellationToken)
    {
        var tree = new STRtree<(Geometry Boundary, IPreparedGeometry Prepared)>();
        foreach (var feature in accepted)
        {
            tree.Insert(feature.Boundary.EnvelopeInternal, (feature.Boundary, PreparedGeometryFactory.Prepare(feature.Boundary)));
        }

        tree.Build();

        var generated = await db.Regions.AsNoTracking()
            .Where(r => r.IsGenerated && r.Level >= level && r.Level <= RegionLevel.MicroGrid && r.ValidFrom <= today
                && (r.ValidTo == null || r.ValidTo > today))
            .Select(r => new { r.Code, r.Path, r.Boundary })
            .ToListAsync(cancellationToken);

        var reader = new WKBReader();
        var retire = new List<string>();
        foreach (var region in generated)
        {
            if (importedCodes.Contains(region.Code))
            {
                continue;
            }

            var underTakenOver = takenOverPaths.Any(path => region.Path.StartsWith(path, StringComparison.Ordinal));
            if (underTakenOver || (region.Boundary is not null && CoveredShare(reader.Read(region.Boundary), tree) > RetireWhenCoveredShare))
            {
                retire.Add(region.Code);
            }
        }

        return retire;
    }

    private static double CoveredShare(Geometry region, STRtree<(Geometry Boundary, IPreparedGeometry Prepared)> tree)
    {
        var area = region.Area;
        if (area <= 0)
        {
            return 0;
        }

        var covered = 0.0;
        foreach (var (boundary, prepared) in tree.Query(region.EnvelopeInternal))
        {
            if (prepared.Covers(region))
            {
                return 1;
            }

            if (prepared.Intersects(region))
            {
                covered += OverlayNGRobust.Overlay(region, boundary, SpatialFunction.Intersection).Area;
            }
        }

        return covered / area;
    }

    [LoggerMessage(EventId = GeographyLog.RegionsImported, Level = LogLevel.Information,
        Message = "Imported {Level} layer: {Added} regions added, {Updated} updated, {Retired} generated regions retired, {Rejected} features rejected")]
    private partial void LogImported(RegionLevel level, int added, int updated, int retired, int rejected);

    [LoggerMessage(EventId = GeographyLog.RegionImportRejected, Level = LogLevel.Warning,
        Message = "Loaded nothing from a {Level} layer of {Features} features: {Rejected} rejected")]
    private partial void LogImportRejected(RegionLevel level, int features, int rejected);

    private sealed record ImportedFeature(int Index, string Code, string Name, Geometry Boundary, Region Parent);

    /// <summary>Current regions of the level above the imported one, by code and by location.</summary>
    private sealed class ParentRegions(RegionLevel level, Dictionary<string, Region> byCode, List<Region> located, RasterRegionIndex index)
    {
        public RegionLevel Level => level;

        public Dictionary<string, Region> ByCode => byCode;

        public Region? Containing(double latitude, double longitude)
        {
            var id = index.Locate(longitude, latitude);
            return id < 0 ? null : located[id];
        }

        /// <summary>Loads them; for containment a real region wins over a generated one where both cover a point.</summary>
        public static async Task<ParentRegions> LoadAsync(ShanzhiDbContext db, RegionLevel level, DateOnly today, CancellationToken cancellationToken)
        {
            var regions = (await db.Regions.AsNoTracking().Where(r => r.Level == level).ToListAsync(cancellationToken))
                .Where(r => r.IsCurrentOn(today))
                .ToList();
            var reader = new WKBReader();
            var located = regions
                .Where(r => r.Boundary is not null)
                .OrderBy(r => r.IsGenerated)
                .ThenBy(r => r.Code, StringComparer.Ordinal)
                .ToList();
            var index = RasterRegionIndex.Build([.. located.Select(r => reader.Read(r.Boundary))]);
            return new ParentRegions(level, regions.ToDictionary(r => r.Code, StringComparer.Ordinal), located, index);
        }
    }
}

/// <summary>Code lengths of the 15-digit unit-grid scheme: 6-digit district, then 3 digits per level.</summary>
public static class RegionCodes
{
    public static int Length(RegionLevel level) => level switch
    {
        RegionLevel.District => 6,
        RegionLevel.Street => 9,
        RegionLevel.Community => 12,
        RegionLevel.Grid => 15,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Only district, street, community and grid codes have a fixed length."),
    };
}
