namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// Settings of the contact index and the rule-set catalogue (section <c>Tracing</c>).
/// </summary>
/// <remarks>
/// The default dwell times are estimates, not measurements: a gate sees a passage, not a stay, so
/// an entry without a matching exit (or an exit without an entry) is assumed to last this long.
/// They follow typical visits: a few hours in a mall or hospital, a school day, a night at home,
/// an hour at a transport hub. Tune them per deployment from paired In/Out data.
/// </remarks>
public sealed class TracingOptions
{
    public const string Section = "Tracing";

    public Dictionary<PlaceKind, TimeSpan> DefaultDwell { get; set; } = new()
    {
        [PlaceKind.School] = TimeSpan.FromHours(8),
        [PlaceKind.Hospital] = TimeSpan.FromHours(2),
        [PlaceKind.Mall] = TimeSpan.FromHours(2),
        [PlaceKind.ResidentialCompound] = TimeSpan.FromHours(12),
        [PlaceKind.ConstructionSite] = TimeSpan.FromHours(10),
        [PlaceKind.Airport] = TimeSpan.FromHours(2),
        [PlaceKind.RailStation] = TimeSpan.FromHours(1),
        [PlaceKind.HighwayExit] = TimeSpan.FromMinutes(10),
    };

    /// <summary>Dwell for a place whose kind the index does not know yet (registered after the last rebuild).</summary>
    public TimeSpan UnknownPlaceDwell { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Longest In→Out pair accepted as one stay. An exit later than this after the entry is treated
    /// as a separate exit, because a missed exit is likelier than a week at a gate.
    /// </summary>
    public TimeSpan MaximumStay { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How often the index drops stays past the movement retention and regroups recent stays by
    /// place. The retention job purges hourly by default; an index an hour behind it is close enough.
    /// </summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the index loads passages that other processes (the CLI import, another web
    /// instance) committed to the store (<see cref="PassageCatchUp"/>).
    /// </summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far back before its start the catch-up reads the commit rows of other processes, so that
    /// it covers the transactions committed while the index was being rebuilt. It must be longer
    /// than a rebuild takes and shorter than <see cref="CommitRetention"/>.
    /// </summary>
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the catch-up waits for a missing commit id below the highest one it has read. On
    /// PostgreSQL such a gap is a transaction that has not committed yet or one that rolled back. After
    /// this time the id is given up: a transaction that commits later still is not loaded until the
    /// next restart, so the timeout is far longer than a passage transaction takes.
    /// </summary>
    public TimeSpan CatchUpGapTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long passage commit rows are kept. Only the catch-up reads them, so this must be longer
    /// than <see cref="CatchUpWindow"/> and <see cref="CatchUpGapTimeout"/>, and needs to be no longer.
    /// </summary>
    public TimeSpan CommitRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Maximum commit rows deleted per statement when expired rows are pruned. Each statement is a
    /// transaction of its own, so on SQLite it holds the write lock, which the gate checks wait for,
    /// only briefly.
    /// </summary>
    public int CommitPruneBatchSize { get; set; } = 2000;

    /// <summary>
    /// Co-presence minimum for the China 8th and 9th editions, which require "close range" without a
    /// duration. 15 minutes cumulative per place and day is the WHO figure, the only quantified one.
    /// Changing it changes the rule-set versions.
    /// </summary>
    public TimeSpan ChinaMinimumOverlap { get; set; } = RuleSets.DefaultChinaMinimumOverlap;

    /// <summary>
    /// Close contacts from which a trace searches their contacts on two threads. One trace then uses
    /// two cores, which suits a host that runs few traces at a time. The default is an estimate of
    /// where the hand-off starts to pay; only large traces were measured.
    /// </summary>
    public int ParallelSecondDegreeContacts { get; set; } = 512;

    /// <summary>Deployment-defined rule sets, by id.</summary>
    public Dictionary<string, CustomRuleSet> Custom { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan DwellFor(PlaceKind? kind) =>
        kind is { } k && DefaultDwell.TryGetValue(k, out var dwell) ? dwell : UnknownPlaceDwell;
}

/// <summary>A rule set defined in configuration (<c>Tracing:Custom:&lt;id&gt;</c>).</summary>
public sealed class CustomRuleSet
{
    public string Version { get; set; } = "1";

    public string Name { get; set; } = "";

    public int DaysBeforeOnset { get; set; } = 2;

    public int DaysAfterOnset { get; set; } = 14;

    public TimeSpan MinimumOverlap { get; set; } = TimeSpan.FromMinutes(15);

    public bool Cumulative { get; set; } = true;

    public bool SecondDegree { get; set; }

    /// <summary>Place kinds where second-degree contacts count; empty counts every kind.</summary>
    public List<PlaceKind> SecondDegreePlaceKinds { get; set; } = [];
}
