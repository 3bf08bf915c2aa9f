using System.Globalization;

namespace Shanzhi.Epidemic.Registry;

/// <summary>Expected failures of the population registry and the health status, with the Chinese text users see.</summary>
public static class RegistryErrors
{
    public static readonly Error Forbidden = Error.Forbidden("person.forbidden", "人口登记与健康码管理仅限疫情防控专员使用。");

    public static readonly Error OutOfScope = Error.Forbidden("person.out_of_scope",
        "该人员的居住网格不在您的管辖范围内；未登记居住网格的人员仅市级疫情防控专员可以处理。");

    /// <summary>The upstream health feed covers the whole city, so only a caller with city scope may submit it.</summary>
    public static readonly Error CityScopeRequired = Error.Forbidden("health.city_scope_required",
        "省级健康码数据覆盖全市人员，仅市级疫情防控专员可以提交。请由市级专员账户提交，或联系系统管理员调整您的管辖范围。");

    public static readonly Error NotFound = Error.NotFound("person.not_found", "该人员不存在，或不在您的管辖范围内。");

    public static readonly Error NameRequired = Error.Invalid("person.name_required", "name", "请填写姓名。");

    public static readonly Error NameTooLong = Error.Invalid("person.name_too_long", "name", $"姓名不能超过 {PersonRules.NameMaxLength} 个字符。");

    public static readonly Error IdNumberRequired = Error.Invalid("person.id_number_required", "idNumber", "请填写身份证号码。");

    public static readonly Error ResidencyRequired = Error.Invalid("person.residency_required", "residency",
        "请选择人口类别：Permanent（常住人口）、RegisteredTemporary（登记暂住人口）、Visitor（访客）或 Floating（流动人口）。");

    public static readonly Error ResidencyInvalid = Error.Invalid("person.residency_invalid", "residency",
        "无法识别的人口类别：应为 Permanent、RegisteredTemporary、Visitor、Floating，或常住人口、登记暂住人口、访客、流动人口。");

    public static readonly Error UnknownGrid = Error.Invalid("person.unknown_grid", "homeGridCode",
        "居住网格编码无效：请填写已有网格的编码，或留空。");

    public static Error Duplicate(long existingKey) => Error.Conflict("person.duplicate", "该人员已登记",
        $"该身份证号已登记，人员编号为 {existingKey}。请查看或修改已有记录，不要重复登记。");

    public static readonly Error ReasonRequired = Error.Invalid("person.reason_required", "reason",
        "查看完整身份信息必须填写事由，事由将记入审计日志。");

    public static readonly Error ReasonTooLong = Error.Invalid("person.reason_too_long", "reason",
        $"事由不能超过 {PersonRules.ReasonMaxLength} 个字符。");

    public const string PersonIdentifierCode = "person.identifier_in_text";

    public const string HealthIdentifierCode = "health.identifier_in_text";

    public static readonly Error UnknownRule = Error.Invalid("health.unknown_rule", "ruleId",
        "规则编号无效：可用的规则为 " + string.Join("、", HealthRules.All.Select(r => $"{r.Id}（{r.Name}）")) + "。");

    public static readonly Error EvidenceRequired = Error.Invalid("health.evidence_required", "evidence",
        "规则判定必须附证据说明（例如流调结论），将记入变更记录。");

    public static readonly Error TextTooLong = Error.Invalid("health.text_too_long", "reason",
        $"说明文字不能超过 {HealthStatusChange.TextMaxLength} 个字符。");

    public static readonly Error HitRefTooLong = Error.Invalid("health.hit_ref_too_long", "hitRef",
        $"规则判定编号（hitRef）不能超过 {HealthStatusChange.ReferenceMaxLength} 个字符。");

    /// <summary>A rule hit whose reference the person's history already contains with another rule or other evidence.</summary>
    public static Error HitRefReused(long changeId) => Error.Conflict("health.hit_ref_reused", "规则判定编号重复",
        string.Create(CultureInfo.InvariantCulture,
            $"该人员的变更记录中已有使用此规则判定编号（hitRef）的记录（记录 {changeId}），但规则或证据不同，本次未写入。请为新的判定使用新的编号。"));

    public static readonly Error RuleHitConcurrent = Error.Conflict("health.rule_hit_concurrent", "健康码正在变更",
        "该人员的健康码正被其他请求同时变更，本次规则判定未写入。请稍后重新提交。");

    public static readonly Error OverrideReasonRequired = Error.Invalid("health.reason_required", "reason",
        "人工调整健康码必须填写原因。");

    public static readonly Error StatusRequired = Error.Invalid("health.status_required", "status",
        "请选择健康码状态：Green（绿码）、Yellow（黄码）或 Red（红码）。");

    public static readonly Error StatusUnchanged = Error.Conflict("health.status_unchanged", "健康码无需调整",
        "该人员当前已是所申请的健康码颜色。");

    public static readonly Error OverrideNotFound = Error.NotFound("health.override_not_found", "该人工调整申请不存在。");

    public static readonly Error OverrideDecided = Error.Conflict("health.override_decided", "申请已处理",
        "该人工调整申请已经审核，不能重复审核。");

    public static readonly Error OverrideStale = Error.Conflict("health.override_stale", "健康码已变更",
        "提交该申请后，此人的健康码已经变更，申请依据可能已过时。请驳回该申请，按当前状态重新提交。");

    /// <summary>Forbidden rather than a conflict: the four-eyes rule bars this user from this action, whatever the request's state.</summary>
    public static readonly Error SelfApproval = new("health.self_approval", "不能审核本人的申请",
        "人工调整健康码须由申请人以外的另一名疫情防控专员审核。", 403);

    public static readonly Error SourceSystemRequired = Error.Invalid("health.source_system_required", "sourceSystem",
        $"请填写上游系统名称（不超过 {HealthStatusChange.SourceSystemMaxLength} 个字符）。");

    public static readonly Error BatchTooLarge = Error.Invalid("health.batch_too_large", "items",
        $"一批最多 {UpstreamHealthUpdate.MaxBatchSize} 条上游更新，请分批提交。");

    public static readonly Error BatchEmpty = Error.Invalid("health.batch_empty", "items", "请至少提交一条上游更新。");
}
