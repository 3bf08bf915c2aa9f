using AntDesign;
using Shanzhi.Cases;
using Shanzhi.Web.Auth;

namespace Shanzhi.Web.Components;

/// <summary>Chinese wording of the console that is not a page heading, kept together for review.</summary>
public static class ConsoleText
{
    public const string AppName = "善治 · 宁波城市治理平台";

    public const string LoginFailed = "用户名或密码错误，请重新输入。";
    public static readonly string LoginLocked = AuthErrors.LockedOut.Detail;
    public static readonly string LoginDisabled = AuthErrors.Disabled.Detail;
    public const string LoginMissing = "请输入用户名和密码。";
    public const string LoginExpired = "登录已超时，请重新输入用户名和密码。";
    public static readonly string TotpFailed = AuthErrors.InvalidCode.Detail;

    public const string OutsideCity = "所选位置不在宁波市的网格范围内，请在宁波市内重新选点。";
    public const string PickLocation = "请在地图上点击案件发生的位置。";
    public const string TitleRequired = "请填写案件标题。";
    public const string ReasonRequired = "请填写原因。";
    public const string UnitRequired = "请选择处置单位。";
    public const string CategoryRequired = "请选择案件类别。";
    public const string DeadlineRequired = "请选择新的期限。";
    public const string ParentRequired = "请选择要合并到的主案件。";
    public const string SatisfactionRequired = "请选择 1 到 5 的满意度。";
    public const string BoundariesUnavailable = "区划边界暂时无法加载，地图只显示案件位置。";

    public static string PageTitle(string page) => $"{page} · {AppName}";

    public static string EventName(CaseEventType type) => CaseEventNames.Chinese(type);

    public static string ChannelName(CaseChannel channel) => channel switch
    {
        CaseChannel.Console => "平台录入",
        CaseChannel.GridWorker => "网格员上报",
        CaseChannel.Public => "群众上报",
        CaseChannel.Open311 => "开放接口",
        CaseChannel.Hotline12345 => "12345 热线",
        CaseChannel.Import => "历史导入",
        CaseChannel.System => "系统生成",
        _ => channel.ToString(),
    };

    public static string StageName(AttachmentStage stage) => stage switch
    {
        AttachmentStage.Report => "上报",
        AttachmentStage.Handling => "处置",
        AttachmentStage.Verification => "核查",
        _ => stage.ToString(),
    };

    /// <summary>AntDesign tag colour per state: open work blue, waiting orange, done green, stopped grey.</summary>
    public static TagColor StateColor(CaseState state) => state switch
    {
        CaseState.Reported or CaseState.Filed => TagColor.Blue,
        CaseState.Dispatched or CaseState.InProgress => TagColor.GeekBlue,
        CaseState.Resolved or CaseState.Verifying => TagColor.Cyan,
        CaseState.Rework or CaseState.Returned => TagColor.Orange,
        CaseState.Suspended => TagColor.Gold,
        CaseState.Closed => TagColor.Green,
        _ => TagColor.Default,
    };

    public static readonly IReadOnlyList<CaseState> OpenStates =
        Enum.GetValues<CaseState>().Where(s => !CaseStates.IsTerminal(s)).ToList();
}
