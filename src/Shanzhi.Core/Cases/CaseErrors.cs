using Shanzhi.Identity;
using static System.FormattableString;

namespace Shanzhi.Cases;

/// <summary>Expected failures of the case engine, with the Chinese text users see.</summary>
public static class CaseErrors
{
    public static readonly Error NotFound = Error.NotFound("case.not_found", "案件不存在，或不在您的管辖范围内。");

    public static readonly Error NotVerified = Error.Conflict("case.not_verified", "案件尚未核查通过",
        "结案前必须由核查人员现场核查并确认通过。");

    public static readonly Error VerifierIsHandler = Error.Conflict("case.verifier_is_handler", "核查人不能是处置人",
        "按照“处置与核查分离”的要求，核查人员不能核查自己处置的案件，请由其他核查人员办理。");

    public static readonly Error AlreadyVerified = Error.Conflict("case.already_verified", "已核查通过", "该案件已核查通过，请直接结案。");

    public static readonly Error InvalidParent = Error.Invalid("case.invalid_parent", "parentCaseId",
        "合并的主案件无效：主案件不存在、不在您的管辖范围内，或是本案件自身、已被合并或不予立案的案件。");

    public static readonly Error ExtensionNotLater = Error.Invalid("case.extension_not_later", "deadline",
        "申请的新期限必须晚于当前处置期限。");

    public static readonly Error NoExtensionPending = Error.Conflict("case.no_extension_pending", "没有待审批的延期申请",
        "该案件当前没有待审批的延期申请。");

    public static readonly Error InvalidSatisfaction = Error.Invalid("case.invalid_satisfaction", "satisfaction",
        "满意度必须是 1 到 5 之间的整数。");

    public static readonly Error AlreadyEvaluated = Error.Conflict("case.already_evaluated", "已评价", "该案件已经评价过。");

    public static readonly Error NotEscalatable = Error.Conflict("case.not_escalatable", "无法督办", "该案件已办结或已督办。");

    public static readonly Error ConcurrentChange = Error.Conflict("case.concurrent_change", "案件已被他人更新",
        "在您操作期间，该案件已被其他人更新，请刷新后重试。");

    public static readonly Error TitleRequired = Error.Invalid("case.title_required", "title", "请填写案件标题。");

    public static Error TitleTooLong(int length) => Error.Invalid("case.title_too_long", "title",
        Invariant($"标题最多 {CaseLimits.TitleMaxLength} 个字，当前 {length} 个字，请精简后再提交。"));

    public static Error DescriptionTooLong(int length) => Error.Invalid("case.description_too_long", "description",
        Invariant($"问题描述最多 {CaseLimits.DescriptionMaxLength} 个字，当前 {length} 个字，请精简后再提交。"));

    public static Error AddressTooLong(int length) => Error.Invalid("case.address_too_long", "address",
        Invariant($"地址最多 {CaseLimits.AddressMaxLength} 个字，当前 {length} 个字。"));

    public static Error ExternalRefTooLong(int length) => Error.Invalid("case.external_ref_too_long", "externalRef",
        Invariant($"外部编号最多 {CaseLimits.ExternalRefMaxLength} 个字符，当前 {length} 个。"));

    public static readonly Error InvalidLatitude = Error.Invalid("case.invalid_coordinates", "latitude",
        "纬度无效：必须是 -90 到 90 之间的数值（WGS84），请在地图上重新选点。");

    public static readonly Error InvalidLongitude = Error.Invalid("case.invalid_coordinates", "longitude",
        "经度无效：必须是 -180 到 180 之间的数值（WGS84），请在地图上重新选点。");

    public static readonly Error OutsideCity = Error.Invalid("geo.outside_city", "latitude",
        "上报位置不在本市任何网格内，请确认坐标（WGS84）或在地图上重新选点。");

    public static Error UnknownCategory(string code) => Error.Invalid("case.unknown_category", "categoryCode",
        $"案件类别“{code}”不存在或已停用，请从类别目录中选择。");

    public static readonly Error CategoryRequired = Error.Invalid("case.category_required", "categoryCode",
        "立案前必须选择案件类别（小类）。");

    public static Error InvalidAssetCode(string code) => Error.Invalid("case.invalid_asset_code", "assetCode",
        $"部件编码“{code}”无效：应为 16 位数字（6 位区划 + 2 位大类 + 2 位小类 + 6 位序号）。");

    public static Error ReasonRequired(CaseAction action) => Error.Invalid("case.reason_required", "reason",
        $"执行“{CaseStateMachine.ChineseName(action)}”必须填写原因。");

    public static Error ReasonTooLong(int length) => Error.Invalid("case.reason_too_long", "reason",
        Invariant($"原因说明最多 {CaseLimits.ReasonMaxLength} 个字，当前 {length} 个字，请精简后再提交。"));

    public static readonly Error UnknownUnit = Error.Invalid("case.unknown_unit", "unitId",
        "所选责任单位不存在或已停用，请重新选择。");

    public static readonly Error NoResponsibleUnit = Error.Conflict("case.no_responsible_unit", "找不到责任单位",
        "没有适用的派遣规则、类别默认单位或属地单位，请手工选择责任单位，或由管理员补充派遣规则。");

    public static readonly Error ParentRequired = Error.Invalid("case.parent_required", "parentCaseId",
        "合并时必须指定主案件。");

    public static readonly Error DeadlineRequired = Error.Invalid("case.deadline_required", "deadline",
        "申请延期必须填写新的处置期限。");

    public static readonly Error SatisfactionRequired = Error.Invalid("case.satisfaction_required", "satisfaction",
        "评价必须填写满意度（1 到 5）。");

    public static readonly Error UnitOutsideRegion = Error.Invalid("case.unit_outside_region", "unitId",
        "所选责任单位的辖区不包含该案件所在网格，请选择负责该区域的单位。");

    public static readonly Error VerifierOutsideRegion = Error.Invalid("case.verifier_outside_region", "verifierId",
        "所选核查人员的管辖范围不包含该案件所在网格，请选择负责该区域的核查人员。");

    public static readonly Error OutsideReporterScope = Error.Invalid("geo.outside_scope", "latitude",
        "该位置不在您的管辖范围内，请在本辖区内选点，或由上级指挥中心录入。");

    public static readonly Error UnknownVerifier = Error.Invalid("case.unknown_verifier", "verifierId",
        "所选核查人员不存在，或没有“核查员”或“网格员”角色。");

    public static Error RoleRequired(CaseAction action, IReadOnlyList<string> roles) => Error.Forbidden("case.forbidden",
        $"执行“{CaseStateMachine.ChineseName(action)}”需要“{string.Join("”或“", roles.Select(Roles.ChineseName))}”角色，您的账号没有该角色。");

    public static readonly Error ReportForbidden = Error.Forbidden("case.forbidden",
        "上报案件需要“指挥中心受理员”“处置单位人员”“核查员”或“网格员”角色，您的账号没有这些角色。");

    public static Error NotCaseUnit(CaseAction action) => Error.Forbidden("case.not_case_unit",
        $"只有案件责任单位的处置人员才能执行“{CaseStateMachine.ChineseName(action)}”，该案件未派遣给您所在的单位。");

    public static readonly Error NotAssignedVerifier = Error.Forbidden("case.not_assigned_verifier",
        "该案件已指定其他核查人员，只有被指定的核查人员才能提交核查结果。");

    public static Error IllegalTransition(CaseAction action, CaseState state) => Error.Conflict(
        "case.illegal_transition",
        "当前状态不允许该操作",
        $"案件当前状态为“{CaseStates.ChineseName(state)}”，不能执行“{CaseStateMachine.ChineseName(action)}”。" +
        $"允许执行该操作的状态：{string.Join("、", CaseStateMachine.StatesAllowing(action).Select(CaseStates.ChineseName))}。");
}

/// <summary>Expected failures of the working calendar, with the Chinese text users see.</summary>
public static class CalendarErrors
{
    public static readonly Error Forbidden = Error.Forbidden("calendar.forbidden", "加载工作日历需要“系统管理员”角色。");

    public static Error InvalidYear(int year) => Error.Invalid("calendar.invalid_year", "year",
        Invariant($"年份 {year} 无效，请填写 2000 到 2100 之间的年份。"));

    public static Error DateOutsideYear(int index, DateOnly date, int year) => Error.Invalid("calendar.date_outside_year",
        Invariant($"days[{index}].date"), Invariant($"日期 {date:yyyy-MM-dd} 不属于 {year} 年，请只提交该年的节假日和调休日。"));

    public static Error DuplicateDate(int index, DateOnly date) => Error.Invalid("calendar.duplicate_date",
        Invariant($"days[{index}].date"), Invariant($"日期 {date:yyyy-MM-dd} 重复出现，每个日期只能提交一次。"));

    public static Error WorkdayNotWeekend(int index, DateOnly date) => Error.Invalid("calendar.workday_not_weekend",
        Invariant($"days[{index}].isWorkingDay"),
        Invariant($"{date:yyyy-MM-dd} 是工作日（周一至周五），不需要登记为调休上班日；调休上班日只能是周六或周日。请检查是否把放假日误标为上班日。"));

    public static Error NoteRequired(int index, DateOnly date) => Error.Invalid("calendar.note_required",
        Invariant($"days[{index}].note"), Invariant($"请填写 {date:yyyy-MM-dd} 的说明，例如“春节”或“春节调休上班”。"));

    public static Error NoteTooLong(int index, DateOnly date) => Error.Invalid("calendar.note_too_long",
        Invariant($"days[{index}].note"), Invariant($"{date:yyyy-MM-dd} 的说明最多 {CalendarService.NoteMaxLength} 个字。"));
}

/// <summary>Expected failures of case attachments, with the Chinese text users see.</summary>
public static class AttachmentErrors
{
    public static readonly Error NotFound = Error.NotFound("attachment.not_found", "附件不存在，或不在您的管辖范围内。");

    public static Error StageForbidden(AttachmentStage stage) => Error.Forbidden("attachment.stage_forbidden", stage switch
    {
        AttachmentStage.Handling => "处置照片只能由案件派遣到的处置单位人员上传。",
        AttachmentStage.Verification => "核查照片只能由核查员或网格员上传，且不能是该案件的处置人。",
        _ => "您的角色不能上传上报照片。",
    });

    public static Error TooLarge(long maxBytes) => Error.Invalid("attachment.too_large", "file",
        Invariant($"图片超过大小上限 {maxBytes / 1024.0 / 1024.0:0.#} MB，请压缩后重新上传。"));

    public static readonly Error UnsupportedType = Error.Invalid("attachment.unsupported_type", "file",
        "只能上传 JPEG、PNG 或 WebP 格式的图片，且文件内容必须与声明的格式一致。");

    public static readonly Error Empty = Error.Invalid("attachment.empty", "file", "上传的文件是空的，请重新选择图片。");

    public static readonly Error InvalidStage = Error.Invalid("attachment.invalid_stage", "stage",
        "附件环节无效，只能是上报、处置或核查。");

    public static readonly Error CaseFinished = Error.Conflict("attachment.case_finished", "案件已办结",
        "已结案、不予立案或已合并的案件不能再添加附件。");

    public static readonly Error Forbidden = Error.Forbidden("attachment.forbidden",
        "添加附件需要“指挥中心受理员”“处置单位人员”“核查员”或“网格员”角色。");
}
