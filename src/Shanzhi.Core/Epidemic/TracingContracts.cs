namespace Shanzhi.Epidemic;

/// <summary>
/// A versioned contact-tracing rule set (WHO, China 8th and 9th editions, custom). Windows are
/// counted from the index person's onset date, or the sample date when asymptomatic.
/// </summary>
/// <param name="SecondDegreePlaceKinds">
/// Where a close contact's own contacts count (次密接): only co-presence at places of these kinds
/// makes a second-degree edge. Null counts every kind. Close contacts themselves are found at
/// places of every kind.
/// </param>
public sealed record RuleSet(
    string Id,
    string Version,
    string Name,
    int DaysBeforeOnset,
    int DaysAfterOnset,
    TimeSpan MinimumOverlap,
    bool Cumulative,
    bool SecondDegree,
    IReadOnlySet<PlaceKind>? SecondDegreePlaceKinds = null)
{
    /// <summary>Whether co-presence at a place of <paramref name="kind"/> (null when the kind is unknown) can make a second-degree edge.</summary>
    public bool CountsForSecondDegree(PlaceKind? kind) =>
        SecondDegreePlaceKinds is null || (kind is { } k && SecondDegreePlaceKinds.Contains(k));
}

/// <summary>What to trace: one index person, the anchor date and the rule set.</summary>
public sealed record TraceRequest(long IndexPersonKey, DateTimeOffset Anchor, RuleSet Rules, DateTimeOffset? IsolatedAt = null);

/// <summary>
/// One contact edge with its evidence: where both people were, when, for how long together, and
/// under which rule-set version. Degree 1 is a close contact (密接), degree 2 a contact of a contact (次密接).
/// </summary>
/// <remarks>
/// A struct: a second degree at city scale can return a quarter of a million edges, and as
/// objects they took about a third of such a trace's time (measured in docs/benchmarks.md).
/// </remarks>
public readonly record struct ContactEdge(
    long From,
    long To,
    int Degree,
    long PlaceId,
    DateTimeOffset OverlapStart,
    DateTimeOffset OverlapEnd,
    TimeSpan Overlap,
    string RuleSetVersion);

public sealed record TraceResult(long IndexPersonKey, IReadOnlyList<ContactEdge> Edges);

public interface IContactTracer
{
    TraceResult Trace(TraceRequest request);
}
