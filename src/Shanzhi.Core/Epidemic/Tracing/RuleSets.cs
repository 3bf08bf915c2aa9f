using System.Collections.Frozen;
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

    /// <summary>
    /// Place kinds where the 9th edition's contacts of contacts are found. The edition counts people
    /// who lived with a close contact, worked in the same enclosed space, or ate or played with them
    /// at close range, from the close contact's first exposure until isolation. Shared exposure in a
    /// mall, a market or a station makes only a general contact (一般接触者). Of the kinds the gates
    /// cover, residential compounds, schools and construction sites fit the first.
    /// </summary>
    /// <remarks>NOTE: an epidemiologist still has to confirm this list. A deployment that needs other kinds defines a custom rule set.</remarks>
    public static readonly IReadOnlySet<PlaceKind> China9SecondDegreePlaceKinds =
        new[] { PlaceKind.ResidentialCompound, PlaceKind.School, PlaceKind.ConstructionSite }.ToFrozenSet();

    /// <summary>
    /// China protocol, 9th edition (June 2022): 4 days before onset, contacts of contacts traced at
    /// the places in <see cref="China9SecondDegreePlaceKinds"/>. Version 2022.1 traced them at places of
    /// every kind.
    /// </summary>
    public static readonly RuleSet China9 = new("china-9", "cn9-2022.2", "中国第九版防控方案（2022）",
        DaysBeforeOnset: 4, DaysAfterOnset: 14, MinimumOverlap: DefaultChinaMinimumOverlap, Cumulative: true, SecondDegree: true,
        SecondDegreePlaceKinds: China9SecondDegreePlaceKinds);

    public static IReadOnlyList<RuleSet> BuiltIn { get; } = [Who, China8, China9];

    /// <summary>
    /// Built-in versions no longer offered for new investigations. An investigation opened under one
    /// is still traced by it, so its results keep the rules it was opened with.
    /// </summary>
    public static IReadOnlyList<RuleSet> Retired { get; } = [China9 with { Version = "cn9-2022.1", SecondDegreePlaceKinds = null }];
}

/// <summary>The rule sets a deployment offers: the built-in ones (with the configured China minimum) and the custom ones.</summary>
public sealed class RuleSetCatalog(IOptions<TracingOptions> options)
{
    public IReadOnlyList<RuleSet> All => [.. RuleSets.BuiltIn.Select(Configured), .. options.Value.Custom.Select(c => FromCustom(c.Key, c.Value))];

    public RuleSet? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds an offered rule set by id and exact version, or null when that version is not offered.</summary>
    public RuleSet? Find(string id, string version) => Find(id) is { } rules && rules.Version == version ? rules : null;

    /// <summary>
    /// Finds the rule set an investigation recorded: an offered version, or a retired built-in one
    /// (with the configured China minimum, as when it was offered). Null when neither has that id and version.
    /// </summary>
    public RuleSet? FindRecorded(string id, string version) =>
        Find(id, version) ?? RuleSets.Retired.Select(Configured)
            .FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase) && r.Version == version);

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
        custom.SecondDegree,
        custom.SecondDegreePlaceKinds.Count == 0 ? null : custom.SecondDegreePlaceKinds.ToFrozenSet());
}
