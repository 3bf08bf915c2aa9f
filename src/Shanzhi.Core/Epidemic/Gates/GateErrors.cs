using System.Globalization;

namespace Shanzhi.Epidemic.Gates;

/// <summary>Expected failures of places, devices, gate checks, follow-ups and rosters, with the Chinese text users see.</summary>
public static class GateErrors
{
    public static readonly Error Forbidden = Error.Forbidden("epidemic.forbidden", "场所、设备和花名册仅限疫情防控人员在本人管辖区域内管理。");

    public static readonly Error PlaceNotFound = Error.NotFound("place.not_found", "该场所不存在，或不在您的管辖区域内。");

    public static readonly Error EntranceNotFound = Error.NotFound("place.entrance_not_found", "该出入口不存在，或不在您的管辖区域内。");

    public static readonly Error DeviceNotFound = Error.NotFound("place.device_not_found", "该设备不存在，或不在您的管辖区域内。");

    public static readonly Error NameRequired = Error.Invalid("place.name_required", "name", "请填写名称。");

    public static readonly Error NameTooLong = Error.Invalid("place.name_too_long", "name", $"名称不能超过 {Place.NameMaxLength} 个字符。");

    public static readonly Error KindRequired = Error.Invalid("place.kind_required", "kind",
        "请选择场所类型：" + string.Join("、", Enum.GetValues<PlaceKind>().Select(kind => $"{EpidemicNames.Chinese(kind)}（{kind}）")) + "。");

    public static readonly Error InvalidLatitude = Error.Invalid("place.invalid_coordinates", "latitude",
        "纬度无效：必须是 -90 到 90 之间的数值（WGS84），请核对场所坐标。");

    public static readonly Error InvalidLongitude = Error.Invalid("place.invalid_coordinates", "longitude",
        "经度无效：必须是 -180 到 180 之间的数值（WGS84），请核对场所坐标。");

    public static readonly Error OutsideCity = Error.Invalid("place.outside_city", "latitude",
        "场所坐标不在宁波市任何网格内。请核对经纬度（WGS84，纬度在前），或先导入该区域的网格。");

    public static readonly Error OutsideScope = Error.Forbidden("place.outside_scope", "该场所位于您的管辖区域之外，不能在此登记。");

    public static readonly Error DeviceKeyRequired = new("gate.device_key_required", "设备未认证",
        "请求缺少设备密钥：请在请求头 X-Device-Key 中提供登记设备时获得的密钥。", 401);

    public static readonly Error DeviceKeyInvalid = new("gate.device_key_invalid", "设备未认证",
        "设备密钥无效，或设备已停用、密钥已更换。请联系疫情防控管理员重新获取密钥。", 401);

    public static readonly Error ImageRejected = Error.Invalid("gate.image_rejected", "identity",
        "核验接口不接收人脸、照片或任何图像数据。请只上传身份证号、人员编号或“未识别”结果，图像应留在设备本地比对后立即删除。");

    public static readonly Error MalformedBody = Error.Invalid("gate.malformed_body", "body", "请求内容不是有效的 JSON 对象（须为 UTF-8 编码），请检查格式。");

    public static readonly Error BodyTooLarge = new("gate.body_too_large", "请求内容过大",
        $"核验请求不能超过 {GateCheckParser.MaxBodyBytes} 字节；接口只接收识别结果，不接收图像。", 413);

    public static readonly Error SequenceRequired = Error.Invalid("gate.sequence_required", "sequence", "请填写设备流水号 sequence（非负整数，每次核验递增）。");

    public static readonly Error SequenceInvalid = Error.Invalid("gate.sequence_invalid", "sequence",
        "设备流水号 sequence 无效：应为不带引号、小数点和指数的非负整数，例如 301，每次核验递增。");

    public static readonly Error OccurredAtRequired = Error.Invalid("gate.occurred_at_required", "occurredAt", "请填写核验时间 occurredAt（ISO 8601，带时区）。");

    public static readonly Error OccurredAtInvalid = Error.Invalid("gate.occurred_at_invalid", "occurredAt",
        "核验时间 occurredAt 无效：应为存在的日期和时间，ISO 8601 格式并带时区，例如 2026-03-02T09:00:00+08:00。");

    /// <summary>
    /// A check older than the passages' retention: its passage would be purged at once, and its
    /// follow-up case would be dated long ago. Without a retention (null days) only a check before
    /// <see cref="PlatformDates.First"/> is too old.
    /// </summary>
    public static Error OccurredAtTooOld(int? retentionDays) => new("gate.occurred_at_too_old", "核验时间过早",
        retentionDays is { } days
            ? string.Create(CultureInfo.InvariantCulture,
                $"核验时间 occurredAt 早于 {days} 天前。通行记录只保存 {days} 天，平台不接收更早的核验，请检查设备时钟。")
            : string.Create(CultureInfo.InvariantCulture,
                $"核验时间 occurredAt 早于 {PlatformDates.First:yyyy-MM-dd}，平台不接收更早的核验，请检查设备时钟。"),
        422, "occurredAt");

    public static readonly Error OccurredAtInFuture = Error.Invalid("gate.occurred_at_in_future", "occurredAt",
        "核验时间晚于服务器当前时间 5 分钟以上，请检查设备时钟。");

    public static readonly Error DirectionRequired = Error.Invalid("gate.direction_required", "direction", "请填写通行方向 direction：In（进）或 Out（出）。");

    public static readonly Error DirectionInvalid = Error.Invalid("gate.direction_invalid", "direction", "通行方向 direction 无效：只能是 In（进）或 Out（出）。");

    public static readonly Error IdentityRequired = Error.Invalid("gate.identity_required", "identity",
        "请填写识别结果 identity.kind：idNumber（身份证号）、personKey（人员编号）或 noMatch（未识别）。");

    /// <summary>An identity given as a string, number, array or boolean instead of an object.</summary>
    public static readonly Error IdentityInvalid = Error.Invalid("gate.identity_invalid", "identity",
        "识别结果 identity 无效：应为 JSON 对象，例如 {\"kind\":\"idNumber\",\"idNumber\":\"身份证号\"}、" +
        "{\"kind\":\"personKey\",\"personKey\":12} 或 {\"kind\":\"noMatch\"}。");

    /// <summary>An identity kind other than the three the gate check takes, such as <c>fingerprint</c>.</summary>
    public static readonly Error IdentityKindInvalid = Error.Invalid("gate.identity_kind_invalid", "identity.kind",
        "识别结果类型 identity.kind 无效：只能是 idNumber（身份证号）、personKey（人员编号）或 noMatch（未识别）。" +
        "指纹、虹膜等其他方式请在设备本地比对，再上报比对到的人员编号 personKey 或 noMatch。");

    public static readonly Error InvalidIdNumber = Error.Invalid("gate.invalid_id_number", "identity.idNumber",
        "身份证号无效：应为 18 位，含有效的出生日期，末位校验码正确。请重新读卡。");

    public static readonly Error PersonKeyRequired = Error.Invalid("gate.person_key_required", "identity.personKey",
        "识别结果为 personKey 时请填写人员编号（正整数）。");

    public static readonly Error PersonKeyInvalid = Error.Invalid("gate.person_key_invalid", "identity.personKey",
        "人员编号 identity.personKey 无效：应为不带引号和小数点的正整数，例如 12。");

    /// <param name="kind">The identity kind as the API spells it: idNumber, personKey or noMatch.</param>
    public static Error IdentityFieldUnexpected(string kind, string name) => Error.Invalid("gate.identity_field_unexpected", name,
        $"识别结果为 {kind} 时不能填写字段“{name}”。idNumber 只带 idNumber，personKey 只带 personKey，noMatch 不带两者。");

    /// <summary>A (device, sequence) sent again with another check. Returning the stored decision would give one person's decision to another.</summary>
    public static readonly Error SequenceReused = Error.Conflict("gate.sequence_reused", "设备流水号重复",
        "该设备已用这个流水号 sequence 上报过另一次核验（人员、时间或方向不同），平台未处理本次核验。每台设备的流水号必须持续递增，" +
        "更换设备密钥或设备重启后也不能从头开始。请检查设备的流水号设置后，用新的流水号重新上报。");

    public static Error UnknownField(string name) => Error.Invalid("gate.unknown_field", name = name.Length > 40 ? name[..40] : name,
        $"核验请求中有未定义的字段“{name}”。只允许 sequence、occurredAt、direction 和 identity（kind、idNumber、personKey）。");

    public static Error DuplicateField(string name) => Error.Invalid("gate.duplicate_field", name,
        $"核验请求中字段“{name}”出现了不止一次（字段名不区分大小写）。请只保留一个后重新发送。");

    public static readonly Error FollowUpNotFound = Error.NotFound("unidentified.not_found", "该不明身份人员核查案件不存在，或不在您的管辖区域内。");

    public static readonly Error FollowUpAlreadyResolved = Error.Conflict("unidentified.already_resolved", "核查已办结", "该不明身份人员核查已办结，不能重复办结。");

    public static readonly Error OutcomeRequired = Error.Invalid("unidentified.outcome_required", "outcome",
        "请选择核查结果 outcome：registered（已登记，需填写人员编号 personKey）或 cleared（已排除，需填写理由 reason）。");

    public static readonly Error RegisteredPersonUnknown = Error.Invalid("unidentified.person_unknown", "personKey",
        "人员编号不存在：请先在人口登记中登记该人员，再填写其人员编号。");

    /// <summary>A field of the other outcome, which would be dropped without a word.</summary>
    public static Error ResolveFieldUnexpected(string field, string detail) => Error.Invalid("unidentified.field_unexpected", field, detail);

    public static readonly Error ClearReasonRequired = Error.Invalid("unidentified.reason_required", "reason",
        $"排除核查必须填写理由（不超过 {UnidentifiedFollowUp.ReasonMaxLength} 个字符），例如“经核实为外地送货司机，已离甬”。");

    public const string IdentifierInTextCode = "unidentified.identifier_in_text";

    public static readonly Error InvalidCreditCode = Error.Invalid("roster.invalid_credit_code", "creditCode",
        "统一社会信用代码无效：应为 18 位，只含数字和大写字母（不含 I、O、Z、S、V），且第 18 位校验码正确。");

    public static readonly Error DuplicateCreditCode = Error.Conflict("roster.duplicate_credit_code", "用工单位已登记", "已有使用该统一社会信用代码的用工单位。");

    public static readonly Error EmployerNotFound = Error.Invalid("roster.employer_not_found", "employerId", "用工单位不存在，请先登记用工单位。");

    /// <summary>An employer looked up by its id that does not exist (404); <see cref="EmployerNotFound"/> is the invalid reference in a roster entry (400).</summary>
    public static readonly Error EmployerUnknown = Error.NotFound("roster.employer_unknown", "该用工单位不存在。");

    public static readonly Error NotASite = Error.Invalid("roster.not_a_site", "siteId", "只有建筑工地（ConstructionSite）类场所才有实名花名册。");

    public static readonly Error WorkerUnknown = Error.Invalid("roster.person_unknown", "personKey", "人员编号不存在：工人须先在人口登记中实名登记。");

    public static readonly Error RosterEntryNotFound = Error.NotFound("roster.entry_not_found", "该花名册条目不存在，或不在您的管辖区域内。");

    /// <summary>The worker already has an entry of the same employer at the site whose days overlap the new one.</summary>
    public static Error RosterEntryOverlaps(long entryId, DateOnly from, DateOnly to) => Error.Conflict("roster.entry_overlaps", "花名册登记重复",
        string.Create(CultureInfo.InvariantCulture,
            $"该工人在本工地已有同一用工单位的登记（条目 {entryId}，{from:yyyy-MM-dd} 至 {to:yyyy-MM-dd}），与本次登记的日期重叠，本次未登记。如需延长有效期，请先结束原条目，再从其后一天起重新登记。"));

    /// <summary>The entry was aborted for concurrent changes to the same worker's entries at every attempt; nothing was stored.</summary>
    public static readonly Error RosterConcurrentChange = Error.Conflict("roster.concurrent_change", "花名册正在被修改",
        "该工人在本工地的花名册条目正被其他请求同时修改，本次未登记。请稍后重新提交；如原条目已登记成功，将提示登记重复。");

    public static readonly Error RosterDatesInvalid = Error.Invalid("roster.invalid_dates", "validTo", "有效期无效：截止日期（validTo）不能早于起始日期（validFrom）。");

    public static Error RosterEndOutOfRange(DateOnly from, DateOnly to) => Error.Invalid("roster.invalid_end", "lastDay",
        string.Create(CultureInfo.InvariantCulture, $"终止日期须在 {from.AddDays(-1):yyyy-MM-dd} 至 {to:yyyy-MM-dd} 之间（有效期只能缩短，起始日前一天表示从未生效）。"));
}
