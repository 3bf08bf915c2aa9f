namespace Shanzhi.Epidemic.Registry;

/// <summary>
/// A rule that sets a health status when it is hit. <see cref="PublicExplanation"/> is the text the
/// person sees. It names no one else, unlike the evidence of a hit.
/// </summary>
public sealed record HealthRule(string Id, string Name, HealthStatus Status, string PublicExplanation);

/// <summary>The rules a rule hit may name. Ids are stable: they are stored in the history.</summary>
public static class HealthRules
{
    public static readonly HealthRule ConfirmedCase = new("confirmed-case", "确诊病例或无症状感染者", HealthStatus.Red,
        "您被诊断为确诊病例或无症状感染者。");

    public static readonly HealthRule CloseContact = new("close-contact", "密切接触者", HealthStatus.Red,
        "经流行病学调查，您被判定为确诊病例的密切接触者。");

    public static readonly HealthRule SecondaryContact = new("secondary-contact", "次密切接触者", HealthStatus.Yellow,
        "经流行病学调查，您被判定为密切接触者的接触者（次密接）。");

    public static readonly HealthRule RiskAreaVisit = new("risk-area-visit", "到访中高风险地区", HealthStatus.Yellow,
        "您近期到访过中高风险地区。");

    public static readonly HealthRule IsolationCompleted = new("isolation-completed", "隔离期满解除管控", HealthStatus.Green,
        "您已完成隔离观察且检测结果为阴性，管控已解除。");

    public static IReadOnlyList<HealthRule> All { get; } = [ConfirmedCase, CloseContact, SecondaryContact, RiskAreaVisit, IsolationCompleted];

    public static HealthRule? Find(string? id) => All.FirstOrDefault(r => string.Equals(r.Id, id?.Trim(), StringComparison.Ordinal));
}
