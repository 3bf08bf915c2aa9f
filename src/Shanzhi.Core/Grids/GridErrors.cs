using System.Globalization;

namespace Shanzhi.Grids;

/// <summary>Expected failures of the grid module, with the Chinese text users see.</summary>
public static class GridErrors
{
    public static readonly Error Forbidden = Error.Forbidden("grid.forbidden", "您的角色或管辖范围不允许此操作。");

    public static readonly Error GridNotFound = Error.NotFound("grid.not_found", "网格不存在，或不在您的管辖范围内。");

    /// <summary>The same code and wording as the geography API's, for a region the caller names by code.</summary>
    public static Error RegionNotFound(string code) => Error.NotFound("region.not_found", $"区划“{code}”不存在，或不在您的管辖范围内。请填写区划代码，如 330203。") with { Field = "scope" };

    public static readonly Error UserNotFound = Error.Invalid("grid.user_not_found", "userId", "人员账号不存在，请先在账号管理中创建。");

    /// <summary>A requested worker who is missing or outside the viewer's scope. Both get this error, so user ids cannot be probed.</summary>
    public static readonly Error WorkerNotFound = Error.NotFound("workload.worker_not_found", "该人员不存在，或不在您的管辖范围内。");

    public static readonly Error NotGridWorker = Error.Invalid("grid.not_grid_worker", "userId", "该账号没有“网格员”角色，不能配备为网格员。");

    public static readonly Error NotMicroGridMember = Error.Invalid("grid.not_micro_grid_member", "userId",
        "该账号没有“网格员”或“微网格员”角色，不能加入微网格。");

    public static readonly Error AlreadyAssigned = Error.Conflict("grid.already_assigned", "已在该网格任职", "该网格员已在该网格任职，无需重复配备。");

    public static readonly Error AssignmentNotFound = Error.NotFound("grid.assignment_not_found", "任职记录不存在或已结束。");

    public static readonly Error ResponsibleConflict = Error.Conflict("grid.responsible_conflict", "责任网格员冲突",
        "另一位管理员刚刚为该网格配备了责任网格员，请刷新后重试。");

    public static readonly Error MicroGridNotFound = Error.NotFound("grid.micro_grid_not_found", "微网格不存在，或不在您的管辖范围内。");

    public static readonly Error MicroGridNameRequired = Error.Invalid("grid.micro_grid_name_required", "name",
        $"请填写微网格名称（不超过 {MicroGrid.NameMaxLength} 个字），如“3幢2单元”。");

    public static readonly Error MicroGridNameTaken = Error.Conflict("grid.micro_grid_name_taken", "微网格名称重复", "该网格下已有同名微网格，请换一个名称。");

    public static readonly Error DutyNotFound = Error.NotFound("duty.not_found", "事项不存在，请从事项准入清单中选择。");

    public static readonly Error DutyChangeNotFound = Error.NotFound("duty.change_not_found", "准入或退出申请不存在，或不在您的管辖范围内。");

    public static readonly Error DutyReasonRequired = Error.Invalid("duty.reason_required", "reason",
        $"请填写准入或退出的理由（不超过 {DutyChange.ReasonMaxLength} 个字）。");

    public static readonly Error DutyAlreadyAdmitted = Error.Conflict("duty.already_admitted", "事项已准入", "该事项已在此范围准入，无需重复申请。");

    public static readonly Error DutyNotAdmitted = Error.Conflict("duty.not_admitted", "事项未准入", "该事项未在此范围准入，无法退出。");

    public static readonly Error DutyAdmittedWider = Error.Conflict("duty.admitted_wider", "事项在更大范围准入",
        "该事项是在更大的区划范围准入的，请在该范围提出退出申请。");

    public static readonly Error DutyChangeDecided = Error.Conflict("duty.change_decided", "申请已审批", "该申请已经审批，不能重复审批。");

    public static readonly Error DutyChangePending = Error.Conflict("duty.change_pending", "已有待审批申请", "该事项在此范围已有待审批的申请，请等待审批结果。");

    /// <summary>Four-eyes rule: 403, because the requester lacks the right to decide, not because the change is in a wrong state.</summary>
    public static readonly Error SelfApproval = new("duty.self_approval", "不能审批本人的申请",
        "准入和退出申请须由申请人以外的领导或系统管理员审批，请联系其他领导。", 403);

    public static readonly Error ApproverRole = Error.Forbidden("duty.approver_role", "只有领导或系统管理员可以审批事项准入和退出。");

    public static readonly Error DutyNotInEffect = Error.Invalid("patrol.duty_not_in_effect", "dutyCode",
        "该事项未在此网格准入，不能制定巡查走访计划。请先申请事项准入。");

    public static readonly Error InvalidFrequency = Error.Invalid("patrol.invalid_frequency", "intervalDays", "间隔天数必须在 1 到 366 之间。");

    public static readonly Error PlanTitleRequired = Error.Invalid("patrol.title_required", "title",
        $"请填写计划名称（不超过 {PatrolPlan.TitleMaxLength} 个字）。");

    public static Error PlanTitleTooLong(int length) => Error.Invalid("patrol.title_too_long", "title",
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"计划名称最多 {PatrolPlan.TitleMaxLength} 个字，当前 {length} 个字，请精简。"));

    public static readonly Error InvalidPlanPeriod = Error.Invalid("patrol.invalid_plan_period", "endsOn", "计划结束日期不能早于开始日期。");

    public static readonly Error AssigneeNotInGrid = Error.Invalid("patrol.assignee_not_in_grid", "assigneeId",
        "指定的执行人不是该网格当前的网格员，请先把他分配到该网格。");

    public static readonly Error KeyPersonRequired = Error.Invalid("patrol.key_person_required", "keyPersonId", "重点人员走访计划必须选择走访对象。");

    public static readonly Error TaskNotFound = Error.NotFound("patrol.task_not_found", "任务不存在，或不是分派给您的任务。");

    public static readonly Error TaskNotOpen = Error.Conflict("patrol.task_not_open", "任务已结束", "该任务已完成、已漏访或已取消，不能再登记走访。");

    public static readonly Error TaskNotToday = Error.Conflict("patrol.task_not_today", "不在任务日期", "只能在任务当天登记走访。");

    public static readonly Error InvalidPosition = Error.Invalid("visit.invalid_position", "latitude", "定位无效：纬度须在 -90 到 90 之间，经度须在 -180 到 180 之间。");

    public static readonly Error NotesTooLong = Error.Invalid("visit.notes_too_long", "notes", $"走访记录不能超过 {Visit.NotesMaxLength} 个字。");

    public static readonly Error PhotoRefTooLong = Error.Invalid("visit.photo_ref_too_long", "photoRef", "照片引用过长。");

    public static Error OutsideGrid(double metersOutside, double tolerance) => new("visit.outside_grid", "定位不在网格内",
        string.Create(CultureInfo.InvariantCulture,
            $"当前定位在网格边界外约 {Math.Round(metersOutside)} 米，超过允许的 {tolerance:0} 米误差，不能登记走访。请到达网格内后重新定位。"),
        422, "latitude");

    public static readonly Error AlertNotFound = Error.NotFound("patrol.alert_not_found", "预警不存在，或不在您的管辖范围内。");

    public static readonly Error KeyPersonNotFound = Error.NotFound("key_person.not_found", "重点人员不存在，或不在您负责的网格内。");

    public static Error UnknownKeyPersonCategory(IEnumerable<string> known) => Error.Invalid("key_person.unknown_category", "category",
        "重点人员类别无效，可选：" + string.Join("、", known) + "。");

    public static readonly Error KeyPersonNameRequired = Error.Invalid("key_person.name_required", "name", "请填写姓名（不超过 50 个字）。");

    public static readonly Error KeyPersonAddressRequired = Error.Invalid("key_person.address_required", "address", "请填写住址（不超过 200 个字）。");

    public static readonly Error PurposeRequired = Error.Invalid("key_person.purpose_required", "purpose", "查看完整信息必须填写事由（不超过 200 个字），事由将记入审计日志。");

    public static readonly Error RedemptionPointsInvalid = Error.Invalid("points.invalid_amount", "points", "兑换积分必须是正整数。");

    public static readonly Error RedemptionItemRequired = Error.Invalid("points.item_required", "item",
        $"请填写兑换物品或事项（不超过 {IncentiveEntry.NoteMaxLength} 个字）。");

    public static Error InsufficientPoints(int balance) => Error.Conflict("points.insufficient", "积分不足",
        string.Create(CultureInfo.InvariantCulture, $"当前积分余额为 {balance}，不足以兑换。"));

    public static readonly Error ConcurrentRedemption = Error.Conflict("points.concurrent_redemption", "积分正在变动",
        "同一账户的另一笔兑换正在处理，本次兑换未执行。请刷新余额后重试。");

    public static readonly Error InvalidPeriod = Error.Invalid("workload.invalid_period", "from", "统计期间无效：开始日期不能晚于结束日期，且跨度不超过 366 天。");
}
