namespace Shanzhi.Epidemic.Investigations;

/// <summary>
/// The tracing rule sets an investigation can name, by id and version. An investigation stores
/// both, so a later edition never changes how an earlier investigation was traced.
/// </summary>
// NOTE: the tracing engine keeps its own catalogue of rule sets (including custom ones); when both
// are in one build this list should read from that catalogue instead of repeating the figures.
// The China editions give no minimum duration ("close range"); 15 minutes is a platform default.
public static class InvestigationRuleSets
{
    public static IReadOnlyList<RuleSet> All { get; } =
    [
        new("who", "2021", "世界卫生组织（2020–2021）：发病前 2 天至发病后 10 天，累计 15 分钟", 2, 10, TimeSpan.FromMinutes(15), true, false),
        new("cn8", "2021", "国家防控方案第八版：发病前 2 天起，含次密接", 2, 14, TimeSpan.FromMinutes(15), false, true),
        new("cn9", "2022", "国家防控方案第九版：发病前 4 天起，含次密接", 4, 14, TimeSpan.FromMinutes(15), false, true),
    ];

    public static RuleSet? Find(string id, string version) => All.FirstOrDefault(r => r.Id == id && r.Version == version);
}
