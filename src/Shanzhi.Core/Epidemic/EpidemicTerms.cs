namespace Shanzhi.Epidemic;

/// <summary>Population class of a registered person (常住 / 暂住 / 访客 / 流动人口).</summary>
public enum ResidencyClass
{
    Permanent = 1,
    RegisteredTemporary = 2,
    Visitor = 3,
    Floating = 4,
}

/// <summary>Health-code colour (健康码).</summary>
public enum HealthStatus
{
    Green = 1,
    Yellow = 2,
    Red = 3,
}

public enum PlaceKind
{
    School = 1,
    Hospital = 2,
    Mall = 3,
    ResidentialCompound = 4,
    ConstructionSite = 5,
    Airport = 6,
    RailStation = 7,
    HighwayExit = 8,
}

public enum PassageDirection
{
    In = 1,
    Out = 2,
}

/// <summary>What a gate check answers: pass, check the person by hand, or deny entry.</summary>
public enum GateDecision
{
    Pass = 1,
    ManualCheck = 2,
    Deny = 3,
}

/// <summary>Channel at a transport hub: 来甬访客 for arrivals who do not live here, 外出返甬 for returning residents.</summary>
public enum HubChannel
{
    None = 0,
    VisitorArrival = 1,
    ResidentReturn = 2,
}

public static class EpidemicNames
{
    public static bool IsHub(PlaceKind kind) => kind is PlaceKind.Airport or PlaceKind.RailStation or PlaceKind.HighwayExit;

    public static string Chinese(ResidencyClass residency) => residency switch
    {
        ResidencyClass.Permanent => "常住人口",
        ResidencyClass.RegisteredTemporary => "登记暂住人口",
        ResidencyClass.Visitor => "访客",
        _ => "流动人口",
    };

    public static string Chinese(HealthStatus status) => status switch
    {
        HealthStatus.Green => "绿码",
        HealthStatus.Yellow => "黄码",
        _ => "红码",
    };

    public static string Chinese(PlaceKind kind) => kind switch
    {
        PlaceKind.School => "学校",
        PlaceKind.Hospital => "医院",
        PlaceKind.Mall => "商场",
        PlaceKind.ResidentialCompound => "住宅小区",
        PlaceKind.ConstructionSite => "建筑工地",
        PlaceKind.Airport => "机场",
        PlaceKind.RailStation => "火车站",
        _ => "高速出口",
    };

    /// <summary>What a rule set traces, in one line for the console, e.g. when an officer picks one for an investigation.</summary>
    public static string Describe(RuleSet rules)
    {
        var minutes = rules.MinimumOverlap.TotalMinutes.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        var overlap = rules.Cumulative ? $"同一场所同日累计共处不少于 {minutes} 分钟" : $"单次共处不少于 {minutes} 分钟";
        var second = !rules.SecondDegree ? "不追踪次密接"
            : rules.SecondDegreePlaceKinds is { } kinds ? $"追踪次密接，仅计{string.Join("、", kinds.Order().Select(Chinese))}内的共处"
            : "追踪次密接，各类场所的共处均计入";
        return $"发病（或采样）前 {rules.DaysBeforeOnset} 天起，至确诊隔离时止，最迟到发病后第 {rules.DaysAfterOnset} 天；{overlap}；{second}。";
    }

    public static string Chinese(GateDecision decision) => decision switch
    {
        GateDecision.Pass => "通行",
        GateDecision.ManualCheck => "人工核验",
        _ => "禁止通行",
    };

    public static string Chinese(HubChannel channel) => channel switch
    {
        HubChannel.VisitorArrival => "来甬访客通道",
        HubChannel.ResidentReturn => "外出返甬通道",
        _ => "普通通道",
    };
}
