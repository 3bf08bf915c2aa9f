using System.Globalization;
using Shanzhi.Cases;

namespace Shanzhi.Web.Components.Field;

/// <summary>Chinese wording and input errors of the phone pages, kept together for review.</summary>
public static class FieldText
{
    public static string PageTitle(string page) => $"{page} · 善治网格";

    public static readonly Error PositionRequired = Error.Invalid("field.position_required", "latitude",
        "请填写位置：点“使用当前位置”，或手动填写纬度和经度。");

    public static readonly Error PositionInvalid = Error.Invalid("field.position_invalid", "latitude",
        "纬度或经度不是有效的数字，请按“29.870500”“121.550000”这样的格式填写。");

    public static readonly Error CategoryNotOffered = Error.Invalid("field.category_not_offered", "categoryCode",
        "请从列表中选择问题类别；拿不准时选“不确定”，由指挥中心判定。");

    public static readonly Error VerificationResultRequired = Error.Invalid("field.verification_result_required", "result",
        "请选择核查结果：已解决或未解决。");

    /// <summary>A posted field contains a control character; the field is named as the form labels it.</summary>
    public static Error ControlCharacters(string field) => Error.Invalid("request.invalid_characters", field,
        $"“{FieldLabel(field)}”中含有不可见的控制字符（如从其他软件粘贴带入），请删除后重新提交。");

    private static string FieldLabel(string field) => field switch
    {
        "Input.Title" => "问题简述",
        "Input.Description" => "详细情况",
        "Input.Address" => "地点说明",
        "Input.CategoryCode" => "问题类别",
        "Input.Notes" => "走访情况",
        "Input.Note" => "现场情况",
        "Input.Latitude" => "纬度",
        "Input.Longitude" => "经度",
        _ => field,
    };

    /// <summary>
    /// The report is stored but its photo is not. The message says both, so the worker neither
    /// reports again nor assumes the photo was saved.
    /// </summary>
    public static Error PhotoNotSaved(string caseNo, Error cause) =>
        cause with { Title = $"问题已上报（编号 {caseNo}），但照片未保存", Detail = cause.Detail + " 可在“我的上报”中查看该案件。" };

    /// <summary>The verification result is recorded but its photo is not.</summary>
    public static Error VerificationPhotoNotSaved(Error cause) => cause with { Title = "核查结果已提交，但照片未保存" };

    public static string DateText(DateOnly day) => day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string StateName(CaseState state) => CaseStates.ChineseName(state);

    /// <summary>CSS class of a case state tag: finished green, waiting for the worker orange, the rest blue.</summary>
    public static string StateClass(CaseState state) => state switch
    {
        CaseState.Closed => "m-tag done",
        CaseState.Verifying or CaseState.Rework or CaseState.Returned or CaseState.Rejected => "m-tag warn",
        _ => "m-tag",
    };

    public static string PhotoTooLargeHint(long maxBytes) =>
        string.Create(CultureInfo.InvariantCulture, $"照片不能超过 {maxBytes / 1024.0 / 1024.0:0.#} MB，请压缩或重新拍摄。");
}
