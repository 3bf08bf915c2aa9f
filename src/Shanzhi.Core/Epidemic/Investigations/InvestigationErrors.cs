using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>Expected failures of investigations (流调), with the Chinese text users see.</summary>
public static class InvestigationErrors
{
    public static readonly Error NotFound = Error.NotFound("investigation.not_found", "该流调记录不存在，或不在您的管辖范围内。");

    public static readonly Error Forbidden = Error.Forbidden("investigation.forbidden", "流调仅限疫情防控专员办理。");

    public static readonly Error Closed = Error.Conflict("investigation.closed", "流调已结案",
        "该流调已结案，不能再查询轨迹或追踪密接。如需继续调查，请重新立案。本次请求已记入审计日志。");

    public static readonly Error AlreadyClosed = Error.Conflict("investigation.already_closed", "流调已结案", "该流调已经结案。");

    public static readonly Error UnknownPerson = Error.Invalid("investigation.unknown_person", "indexPersonKey",
        "人员编号不存在：请填写人口登记中确诊病例的人员编号。");

    public static readonly Error UnknownRuleSet = Error.Invalid("investigation.unknown_rule_set", "ruleSetId",
        "追踪规则集无效：请从列表中选择规则集及其版本。");

    public static readonly Error UnknownRuleSetVersion = Error.Invalid("investigation.unknown_rule_set_version", "ruleSetVersion",
        "追踪规则集版本无效：新建流调只能使用列表中的现行版本，已停用的版本不能再选。");

    /// <summary>The error for an ID number or mobile number typed into the free-text <paramref name="field"/>.</summary>
    public static Error IdentifierInText(string field) => Error.Invalid("investigation.identifier_in_text", field, IdentifiersInText.Message);

    public static readonly Error ConfirmedInFuture = Error.Invalid("investigation.confirmed_in_future", "confirmedAt",
        "确诊时间不能晚于当前时间：请填写实际确诊的北京时间。");

    public static readonly Error RuleSetRetired = Error.Conflict("investigation.rule_set_retired", "追踪规则集已停用",
        "该流调立案时使用的追踪规则集版本已不再提供，无法按原口径追踪。请按现行规则集新建流调。");

    public static readonly Error UnknownLegalBasis = Error.Invalid("investigation.unknown_legal_basis", "legalBasis",
        "法律依据无效：请从列表中选择。");

    public static readonly Error NoteRequired = Error.Invalid("investigation.note_required", "legalBasisNote",
        "选择“其他”时必须在说明中写明法律依据。");

    public static readonly Error NoteTooLong = Error.Invalid("investigation.note_too_long", "legalBasisNote",
        $"说明不能超过 {Investigation.NoteMaxLength} 个字符。");

    public static readonly Error PurposeRequired = Error.Invalid("investigation.purpose_required", "purpose",
        "请填写调查目的，目的将随每次查询记入审计日志。");

    public static readonly Error PurposeTooLong = Error.Invalid("investigation.purpose_too_long", "purpose",
        $"调查目的不能超过 {Investigation.PurposeMaxLength} 个字符。");

    public static readonly Error UnknownRegion = Error.Invalid("investigation.unknown_region", "scopeRegionCode",
        "调查区域无效：请填写平台中已有的区划或网格代码。");

    public static readonly Error RegionOutsideUserScope = Error.Forbidden("investigation.region_outside_scope",
        "调查区域超出您的管辖范围，请选择您管辖范围内的区划。");

    public static readonly Error InvalidWindow = Error.Invalid("investigation.invalid_window", "scopeTo",
        $"调查时间范围无效：结束日期不能早于开始日期，跨度不超过 {MaxWindowDays} 天。");

    public static readonly Error AnchorOutsideWindow = Error.Invalid("investigation.anchor_outside_window", "anchorDate",
        "发病或采样日期必须在调查时间范围内。");

    public static readonly Error ReasonRequired = Error.Invalid("investigation.reason_required", "reason", "请填写结案原因。");

    public static readonly Error ReasonTooLong = Error.Invalid("investigation.reason_too_long", "reason",
        $"结案原因不能超过 {Investigation.NoteMaxLength} 个字符。");

    public static readonly Error TraceUnavailable = new("trace.unavailable", "密接追踪暂不可用",
        "密接追踪引擎未启用或尚未就绪，请稍后重试；如持续出现，请联系系统管理员。", 503);

    public static readonly Error NoTrace = Error.Conflict("investigation.no_trace", "尚未追踪密接",
        "请先在该流调中执行密接追踪，再根据追踪结果生成随访案件。");

    public static readonly Error GridWithoutLocation = Error.Conflict("investigation.grid_without_location", "网格无法定位",
        "部分接触人员所在网格没有中心点坐标，无法生成随访案件，请先导入网格边界。");

    /// <summary>Longest date window an investigation may cover: the longest look-back plus the 14-day management period.</summary>
    public const int MaxWindowDays = 60;
}
