namespace Shanzhi.Cases.Import;

/// <summary>Chinese texts of case imports: row errors with their stable codes, mapping errors and the names the importer gives.</summary>
internal static class ImportMessages
{
    public const string MissingValueCode = "case_import.missing_value";
    public const string InvalidDateCode = "case_import.invalid_date";
    public const string UnknownStatusCode = "case_import.unknown_status";
    public const string ClosedBeforeCreatedCode = "case_import.closed_before_created";
    public const string InvalidCoordinateCode = "case_import.invalid_coordinate";
    public const string CoordinatePairIncompleteCode = "case_import.coordinate_pair_incomplete";
    public const string SourceIdTooLongCode = "case_import.source_id_too_long";
    public const string UnknownCategoryCode = "case_import.unknown_category";
    public const string ReplayFailedCode = "case_import.replay_failed";

    public const string ImportActorName = "历史导入";

    public const string ExternalRegionName = "辖区外";

    public const string FallbackCategoryMissing = "缺少 fallbackCategory（未配置映射的请求类型归入的事件分类）。";

    public const string CancelledReason = "来源系统已取消该服务请求（Cancelled）。";

    public const string ReferredOutReason = "来源系统已将该服务请求转交其他机构办理（Referred Out）。";

    public const string ClosedNote = "历史数据导入：来源系统已结案。";

    public static string UnmappedAgencyUnitName(string agency) => $"洛杉矶市政机构 ({agency})";

    public static string Title(string categoryName, string requestType) => $"{categoryName}（{requestType}）";

    public static string Description(string srNumber, string requestType, string? source, string status) =>
        $"MyLA311 服务请求 {srNumber}：{requestType}；受理渠道：{(string.IsNullOrEmpty(source) ? "未知" : source)}；来源状态：{status}。";

    public static Error InvalidMapping(string reason) =>
        Error.Invalid("import.invalid_mapping", "mapping", $"映射文件格式有误：{reason}");

    public static string MissingColumn(string column) =>
        $"文件缺少必需的列“{column}”。请确认文件是 MyLA311 服务请求导出格式（首行为列名）。";

    public static string MissingValue(string column) => $"“{column}”不能为空。";

    public static string InvalidDate(string value) =>
        $"无法识别的时间“{value}”，应为洛杉矶当地时间 MM/DD/YYYY hh:mm:ss AM/PM，例如 12/31/2017 11:59:58 PM。";

    public static string UnknownStatus(string value) =>
        $"未知的状态“{value}”，应为 Open、Closed、Cancelled 或 Referred Out。";

    public static string ClosedBeforeCreated(string closed, string created) =>
        $"结案时间“{closed}”早于创建时间“{created}”。";

    public static string InvalidCoordinate(string value, int limit) =>
        $"无法识别的坐标“{value}”，应为 -{limit} 到 {limit} 之间的十进制度数。";

    public static string CoordinatePairIncomplete => "纬度和经度必须同时填写或同时留空。";

    public static string SourceIdTooLong(string value, int maxLength) =>
        $"服务请求编号“{value}”超过 {maxLength} 个字符，无法生成案件编号。";

    public static string UnknownCategory(string code, string requestType) =>
        $"请求类型“{requestType}”对应的事件分类 {code} 不在分类目录中。请先载入事件分类，或修改映射文件。";

    public static string ReplayFailed(string detail) => $"按原始时间重放办理流程失败：{detail}";
}
