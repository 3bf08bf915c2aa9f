namespace Shanzhi.Epidemic.Gates;

/// <summary>Identification result of a gate check: no match, an unregistered person or a registered one.</summary>
public enum GateIdentity
{
    /// <summary>The device could not identify the person (no card, face not matched).</summary>
    NoMatch = 1,

    /// <summary>The device read an ID number that is not in the population registry.</summary>
    Unregistered = 2,

    /// <summary>A registered person, by ID number or pre-enrolled person key.</summary>
    Registered = 3,
}

/// <summary>The result of a gate check: decision, a stable reason code and the Chinese text the gate shows.</summary>
public sealed record GateVerdict(GateDecision Decision, string ReasonCode, string Reason);

/// <summary>
/// The gate decision table. Health status comes first: red is denied, yellow is checked by hand,
/// green passes. A person the gate cannot identify, or the registry does not know, or whose status
/// is missing, is checked by hand. At a construction site an entering person with a green code must
/// also be on a roster valid that day; otherwise entry is denied, because real-name management of
/// construction workers admits only rostered workers through the worker gate (visitors and
/// inspectors register at the guard house instead). Leaving a site is not checked against the roster.
/// </summary>
public static class GateRules
{
    public static readonly GateVerdict Green = new(GateDecision.Pass, "green", "绿码，准予通行。");

    public static readonly GateVerdict Yellow = new(GateDecision.ManualCheck, "yellow", "黄码，请工作人员人工核验（查验核酸检测证明等）后处置。");

    public static readonly GateVerdict Red = new(GateDecision.Deny, "red", "红码，禁止通行，请工作人员按防控规定处置并报告。");

    public static readonly GateVerdict NoStatus = new(GateDecision.ManualCheck, "no_status", "未查到该人员的健康码状态，请人工核验。");

    public static readonly GateVerdict Unregistered = new(GateDecision.ManualCheck, "unregistered",
        "该人员未在人口登记库中（身份证号或人员标识无登记），请人工核验身份并引导其登记。");

    public static readonly GateVerdict NoMatch = new(GateDecision.ManualCheck, "no_match",
        "设备未能识别身份，请人工核验；已生成不明身份人员核查任务。");

    public static readonly GateVerdict NotOnRoster = new(GateDecision.Deny, "not_on_roster",
        "绿码，但当日不在本工地有效的实名花名册内，禁止进入施工现场；访客请到门岗登记。");

    /// <param name="onRoster">For an entry at a construction site: whether the person is on a roster valid that day; null elsewhere.</param>
    public static GateVerdict Decide(GateIdentity identity, HealthStatus? status, bool? onRoster) => identity switch
    {
        GateIdentity.NoMatch => NoMatch,
        GateIdentity.Unregistered => Unregistered,
        _ => status switch
        {
            HealthStatus.Red => Red,
            HealthStatus.Yellow => Yellow,
            HealthStatus.Green when onRoster is false => NotOnRoster,
            HealthStatus.Green => Green,
            _ => NoStatus,
        },
    };

    /// <summary>Whether the roster applies to this passage: entries at construction sites.</summary>
    public static bool NeedsRoster(PlaceKind place, PassageDirection direction) =>
        place == PlaceKind.ConstructionSite && direction == PassageDirection.In;

    /// <summary>
    /// Rebuilds the verdict of a passage already stored, so a resent check gets the first result even
    /// if the person's status changed since. <paramref name="followedUp"/> tells a "no match" from an
    /// unregistered ID number, since neither stores a person key.
    /// </summary>
    public static GateVerdict Replay(long? personKey, HealthStatus? status, GateDecision decision, bool followedUp)
    {
        if (personKey is null)
        {
            return followedUp ? NoMatch : Unregistered;
        }

        return status == HealthStatus.Green && decision != GateDecision.Pass ? NotOnRoster : Decide(GateIdentity.Registered, status, null);
    }
}
