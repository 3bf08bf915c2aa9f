using System.Globalization;
using Microsoft.Extensions.Options;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// The built-in rule sets. Windows count whole Asia/Shanghai days from the onset date (or the
/// sample date when asymptomatic); the version string goes on every contact edge, so a result can
/// always be tied to the rules that produced it.
/// </summary>
public static class RuleSets
{
    public static readonly TimeSpan DefaultChinaMinimumOverlap = TimeSpan.FromMinutes(15);

    /// <summary>WHO (2020–21): 2 days before to 10 days after onset, ≥ 15 minutes, cumulative over a day.</summary>
    public static readonly RuleSet Who = new("who", "who-2021.1", "世界卫生组织（2020–2021）",
        DaysBeforeOnset: 2, DaysAfterOnset: 10, MinimumOverlap: TimeSpan.FromMinutes(15), Cumulative: true, SecondDegree: false);

    /// <summary>
    /// China protocol, 8th edition (2021): from 2 days before onset until the index person is
    /// isolated. "Until isolation" needs the isolation time; without it the window closes 14 days
    /// after onset, the quarantine period of the same edition.
    /// </summary>
    public static readonly RuleSet China8 = new("china-8", "cn8-2021.1", "中国第八版防控方案（2021）",
        DaysBeforeOnset: 2, DaysAfterOnset: 14, MinimumOverlap: DefaultChinaMinimumOverlap, Cumulative: true, SecondDegree: false);

    /// <summary>China protocol, 9th edition (June 2022): 4 days before onset, contacts of contacts traced.</summary>
    public static readonly RuleSet China9 = new("china-9", "cn9-2022.1", "中国第九版防控方案（2022）",
        DaysBeforeOnset: 4, DaysAfterOnset: 14, MinimumOverlap: DefaultChinaMinimumOverlap, Cumulative: true, SecondDegree: true);

    public static IReadOnlyList<RuleSet> BuiltIn { get; } = [Who, China8, China9];
}

/// <summary>The rule sets a deployment offers: the built-in ones (with the configured China minimum) and the custom ones.</summary>
public sealed class RuleSetCatalog(IOptions<TracingOptions> options)
{
    public IReadOnlyList<RuleSet> All => [.. RuleSets.BuiltIn.Select(Configured), .. options.Value.Custom.Select(c => FromCustom(c.Key, c.Value))];

    public RuleSet? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds the rule set an investigation recorded: the id and the exact version, or null when that version is no longer offered.</summary>
    public RuleSet? Find(string id, string version) => Find(id) is { } rules && rules.Version == version ? rules : null;

    private RuleSet Configured(RuleSet rules)
    {
        var minimum = options.Value.ChinaMinimumOverlap;
        if (rules == RuleSets.Who || minimum == RuleSets.DefaultChinaMinimumOverlap)
        {
            return rules;
        }

        // A different minimum is a different rule, so it gets a different version.
        var minutes = minimum.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
        return rules with { MinimumOverlap = minimum, Version = $"{rules.Version}+min{minutes}" };
    }

    private static RuleSet FromCustom(string id, CustomRuleSet custom) => new(
        id,
        $"custom-{id}-{custom.Version}",
        string.IsNullOrWhiteSpace(custom.Name) ? id : custom.Name,
        custom.DaysBeforeOnset,
        custom.DaysAfterOnset,
        custom.MinimumOverlap,
        custom.Cumulative,
        custom.SecondDegree);
}
