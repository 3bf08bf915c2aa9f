using System.Globalization;
using NetTopologySuite.Operation.Valid;

namespace Shanzhi.Geography;

/// <summary>Expected failures of the geography module, with the Chinese text users see.</summary>
public static class GeographyErrors
{
    public static Error ImportLevelNotSupported(RegionLevel level) => Error.Invalid("region.import_level", "level",
        $"不支持导入“{ChineseName(level)}”图层：只能导入街道、社区或网格图层。");

    public static Error FileNotGeoJson(string reason) => Error.Invalid("region.file_invalid", "file",
        $"文件不是有效的 GeoJSON：{reason}。请导出为 GeoJSON FeatureCollection 后重试。");

    public static readonly Error FileNotFeatureCollection = Error.Invalid("region.file_not_feature_collection", "file",
        "文件不是 GeoJSON FeatureCollection：顶层必须是 {\"type\": \"FeatureCollection\", \"features\": [...]}。");

    public static readonly Error FileEmpty = Error.Invalid("region.file_empty", "file", "文件中没有任何要素（features 为空）。");

    public static Error FeatureUnreadable(string reason) => Error.Invalid("region.feature_invalid", "feature",
        $"要素格式无效，无法读取：{reason}。");

    public static Error CodeMissing(string property) => Error.Invalid("region.code_missing", property,
        $"缺少代码属性“{property}”，或其值为空。请检查 --code-property 是否与文件中的属性名一致。");

    public static Error NameMissing(string property) => Error.Invalid("region.name_missing", property,
        $"缺少名称属性“{property}”，或其值为空。请检查 --name-property 是否与文件中的属性名一致。");

    public static Error NameTooLong(int maxLength) => Error.Invalid("region.name_too_long", "name",
        $"名称超过 {maxLength} 个字符，请缩短后重试。");

    public static Error CodeFormat(string code, RegionLevel level, int length) => Error.Invalid("region.code_format", "code",
        $"代码“{code}”不符合{ChineseName(level)}代码规则：应为 {length} 位数字。");

    public static Error CodeDuplicated(string code, int firstIndex) => Error.Invalid("region.code_duplicated", "code",
        $"代码“{code}”与第 {firstIndex + 1} 个要素重复，同一文件中每个代码只能出现一次。");

    public static Error LevelConflict(string code, RegionLevel existing) => Error.Conflict("region.level_conflict", "代码已被占用",
        $"代码“{code}”已属于一个{ChineseName(existing)}，不能再作为其他层级导入。");

    public static readonly Error GeometryMissing = Error.Invalid("region.geometry_missing", "geometry", "要素没有边界（geometry 为空）。");

    public static Error GeometryType(string type) => Error.Invalid("region.geometry_type", "geometry",
        $"边界类型为 {type}，只接受 Polygon 或 MultiPolygon。");

    public static readonly Error CoordinatesOutOfRange = Error.Invalid("region.coordinates_out_of_range", "geometry",
        "坐标超出经纬度范围，文件可能使用了投影坐标系。请先转换为 WGS84 经纬度（高德/DataV 数据为 GCJ-02，导入时加 --gcj02）。");

    public static Error GeometryInvalid(TopologyValidationError error) => Error.Invalid("region.geometry_invalid", "geometry",
        string.Create(CultureInfo.InvariantCulture,
            $"边界无效：{ChineseName(error.ErrorType)}，位置约在东经 {error.Coordinate?.X:F6}、北纬 {error.Coordinate?.Y:F6}。请在 GIS 软件中修复后重试。"));

    public static Error ParentMissing(string property) => Error.Invalid("region.parent_missing", property,
        $"缺少上级代码属性“{property}”，或其值为空。");

    public static Error ParentNotFound(string parentCode, RegionLevel parentLevel) => Error.Invalid("region.parent_not_found", "parent",
        $"上级{ChineseName(parentLevel)}“{parentCode}”不存在或已停用，请先导入上级图层。");

    public static Error ParentNotContaining(RegionLevel parentLevel) => Error.Invalid("region.parent_not_found", "parent",
        $"要素内部点不在任何现行{ChineseName(parentLevel)}内，无法确定上级。请先导入上级图层，或用 --parent-property 指定上级代码。");

    public static Error CodeNotUnderParent(string code, string parentCode) => Error.Invalid("region.code_not_under_parent", "code",
        $"代码“{code}”应以上级代码“{parentCode}”开头。");

    public static string ChineseName(RegionLevel level) => level switch
    {
        RegionLevel.City => "市",
        RegionLevel.District => "区县",
        RegionLevel.Street => "街道（乡镇）",
        RegionLevel.Community => "社区（村）",
        RegionLevel.Grid => "网格",
        RegionLevel.MicroGrid => "微网格",
        RegionLevel.External => "辖区外",
        _ => level.ToString(),
    };

    private static string ChineseName(TopologyValidationErrors error) => error switch
    {
        TopologyValidationErrors.SelfIntersection => "边界自相交",
        TopologyValidationErrors.RingSelfIntersection => "边界环自相交",
        TopologyValidationErrors.TooFewPoints => "边界点数过少",
        TopologyValidationErrors.RingNotClosed => "边界环未闭合",
        TopologyValidationErrors.HoleOutsideShell => "内洞位于外边界之外",
        TopologyValidationErrors.NestedHoles => "内洞相互嵌套",
        TopologyValidationErrors.DisconnectedInteriors => "内部不连通",
        TopologyValidationErrors.NestedShells => "多个面相互嵌套",
        TopologyValidationErrors.InvalidCoordinate => "存在无效坐标",
        _ => "拓扑错误",
    };
}
