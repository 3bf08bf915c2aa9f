namespace Shanzhi.Privacy.Requests;

/// <summary>Type of a personal-information case: a right under 个人信息保护法 第四十五条至第四十七条, or a complaint or report under 第六十五条.</summary>
public enum PrivacyRequestKind
{
    Access = 1,
    Correction = 2,
    Deletion = 3,
    Complaint = 4,
    Report = 5,
}

/// <summary>
/// The module categories for personal-information cases: group P01 (data-subject requests about the
/// platform's own records) and group P02 (complaints and reports about other handlers), with the
/// departments they go to.
/// </summary>
// NOTE: confirm with counsel before production. The 30-day default for requests follows
// GB/T 35273-2020 §8.7, because 个人信息保护法 sets no number of days. Complaints go to 市场监管局
// (消费者权益保护法 第二十九条) and reports to 网信办 (个人信息保护法 第六十条、第六十五条). Reports of
// sale of personal information usually go to the public security cyber unit, which is seeded so
// administrators can add a P0202 routing rule. The unit names are not checked against the city's
// organisation list.
public static class PrivacyCaseCatalog
{
    public const string RequestGroup = "P01";
    public const string ComplaintGroup = "P02";

    public const string CyberspaceOffice = "宁波市委网信办";
    public const string PublicSecurityCyberUnit = "宁波市公安局网络安全保卫支队";
    public const string MarketRegulation = "宁波市市场监督管理局";

    /// <summary>The departments this module adds to the unit directory.</summary>
    public static IReadOnlyList<string> Departments { get; } = [CyberspaceOffice, PublicSecurityCyberUnit, MarketRegulation];

    public static IReadOnlyList<(string Code, string Name)> Groups { get; } =
    [
        (RequestGroup, "个人信息权利请求"),
        (ComplaintGroup, "个人信息投诉举报"),
    ];

    /// <summary>The minor categories. Routing rules send requests to the command centre, which operates the platform.</summary>
    public static IReadOnlyList<Entry> Categories { get; } =
    [
        new(PrivacyRequestKind.Access, "P0101", "查阅复制",
            "个人请求查阅或复制本平台处理的其本人个人信息，已核验请求人身份",
            "已向请求人提供其个人信息副本或查阅途径，或依法书面说明不予提供的理由", null),
        new(PrivacyRequestKind.Correction, "P0102", "更正补充",
            "个人发现本平台处理的其本人个人信息不准确或不完整，请求更正、补充，已核验请求人身份",
            "已核实并更正、补充，或书面说明信息准确、不予更正的理由", null),
        new(PrivacyRequestKind.Deletion, "P0103", "删除",
            "个人请求删除本平台处理的其本人个人信息，且属于个人信息保护法第四十七条规定的情形之一，已核验请求人身份",
            "已删除或停止除存储和采取必要安全保护措施之外的处理，或书面说明不予删除的理由", null),
        new(PrivacyRequestKind.Complaint, "P0201", "个人信息投诉",
            "反映企业、商户或其他个人信息处理者违规收集、使用、泄露其个人信息，有明确的被投诉对象",
            "已调查核实，处理结果已告知投诉人，或已移送有管辖权的部门", MarketRegulation),
        new(PrivacyRequestKind.Report, "P0202", "个人信息违法举报",
            "举报违法收集、买卖、提供或泄露个人信息的行为，有具体线索",
            "已核查线索并依法处理，或已移送公安等有管辖权的部门，处理情况已反馈举报人", CyberspaceOffice),
    ];

    public static Entry For(PrivacyRequestKind kind) => Categories.Single(c => c.Kind == kind);

    public sealed record Entry(PrivacyRequestKind Kind, string Code, string Name, string FilingCriterion, string ClosingCriterion, string? DefaultUnit)
    {
        public bool IsRequest => Code.StartsWith(RequestGroup, StringComparison.Ordinal);
    }
}
