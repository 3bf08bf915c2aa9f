namespace Shanzhi.Privacy.Handlers;

/// <summary>Expected failures of the directory of personal-information handlers, with the Chinese text users see.</summary>
public static class PiHandlerErrors
{
    public static readonly Error NotFound = Error.NotFound("pihandler.not_found", "该个人信息处理者不存在。");

    public static readonly Error Forbidden = Error.Forbidden("pihandler.forbidden",
        "个人信息处理者名录仅限个人信息保护监管员查看和维护。");

    public static readonly Error InvalidCreditCode = Error.Invalid("pihandler.invalid_credit_code", "creditCode",
        "统一社会信用代码无效：应为 18 位，只含数字和大写字母（不含 I、O、Z、S、V），且第 18 位校验码正确。");

    public static readonly Error DuplicateCreditCode = Error.Conflict("pihandler.duplicate_credit_code", "统一社会信用代码已登记",
        "名录中已有使用该统一社会信用代码的个人信息处理者，请编辑原有记录。");

    public static readonly Error NameRequired = Error.Invalid("pihandler.name_required", "name", "请填写个人信息处理者名称。");

    public static readonly Error NameTooLong = Error.Invalid("pihandler.name_too_long", "name",
        $"名称不能超过 {PiHandler.NameMaxLength} 个字符。");

    public static readonly Error UnknownRegion = Error.Invalid("pihandler.unknown_region", "regionCode",
        "所在区划无效：请填写宁波市的区（县、市）代码，例如 330212。");

    public static readonly Error OfficerNameRequired = Error.Invalid("pihandler.officer_name_required", "officerName",
        "请填写个人信息保护负责人姓名。");

    public static readonly Error OfficerNameTooLong = Error.Invalid("pihandler.officer_name_too_long", "officerName",
        $"负责人姓名不能超过 {PiHandler.OfficerNameMaxLength} 个字符。");

    public static readonly Error UnknownChecklistItem = Error.Invalid("pihandler.unknown_checklist_item", "selfAssessment",
        "自评清单中有未定义的条目。");

    public static readonly Error ReasonRequired = Error.Invalid("pihandler.reason_required", "reason",
        "查看负责人完整联系方式必须填写事由，事由将记入审计日志。");

    public static readonly Error ReasonTooLong = Error.Invalid("pihandler.reason_too_long", "reason",
        $"事由不能超过 {PiHandler.ReasonMaxLength} 个字符。");

    public static readonly Error InspectorRequired = Error.Invalid("pihandler.inspector_required", "inspector", "请填写检查人员。");

    public static readonly Error TextTooLong = Error.Invalid("pihandler.text_too_long", "description",
        $"文字内容不能超过 {PiHandler.TextMaxLength} 个字符。");

    public static readonly Error DescriptionRequired = Error.Invalid("pihandler.description_required", "description",
        "请填写问题描述。");

    public static readonly Error InspectionNotFound = Error.NotFound("pihandler.inspection_not_found", "该检查记录不存在。");

    public static readonly Error RegionHasNoCentre = Error.Conflict("pihandler.region_without_centre", "无法定位整改案件",
        "该处理者所在区划没有中心点坐标，无法生成整改案件，请先导入区划边界。");
}
