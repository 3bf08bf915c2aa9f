namespace Shanzhi.Cases.Kpi;

/// <summary>
/// Case KPIs of one group in one period, all derived from case events (definitions in
/// <see cref="KpiCalculator"/>). Rates are fractions (0.9372, not 93.72) and null when their
/// denominator is zero.
/// </summary>
/// <param name="Reported">Cases reported in the period.</param>
/// <param name="Due">应结案数: cases due to close in the period.</param>
/// <param name="Closed">结案数: cases closed in the period.</param>
/// <param name="ClosedOnTime">按期结案数: closed cases resolved at or before their final handling deadline.</param>
/// <param name="Extended">Due cases with at least one approved extension.</param>
/// <param name="Reworked">Closed cases that failed verification at least once.</param>
/// <param name="Dispatches">Dispatch events in the period.</param>
/// <param name="DispatchesReturned">Dispatches of the period that the unit returned as not its responsibility.</param>
/// <param name="MeanHandlingHours">Mean time from the last dispatch to the last resolution of the closed cases, in hours.</param>
/// <param name="MeanHandlingWorkingHours">The same in working hours; null unless the query gave a working-time function.</param>
/// <param name="StateCounts">State at the period end of the cases reported in the period; every state is present.</param>
public sealed record KpiFigures(
    int Reported,
    int Due,
    int Closed,
    int ClosedOnTime,
    int Extended,
    int Reworked,
    int Dispatches,
    int DispatchesReturned,
    double? MeanHandlingHours,
    double? MeanHandlingWorkingHours,
    IReadOnlyDictionary<CaseState, int> StateCounts)
{
    /// <summary>结案率 = 结案数 / 应结案数.</summary>
    public decimal? ClosingRate => Rate(Closed, Due);

    /// <summary>按期结案率 = 按期结案数 / 应结案数.</summary>
    public decimal? OnTimeClosingRate => Rate(ClosedOnTime, Due);

    /// <summary>返工率 = closed cases with at least one rework / closed cases.</summary>
    public decimal? ReworkRate => Rate(Reworked, Closed);

    /// <summary>延期率 = due cases with an approved extension / due cases.</summary>
    public decimal? ExtensionRate => Rate(Extended, Due);

    /// <summary>准确派遣率 = dispatches not returned / dispatches.</summary>
    public decimal? DispatchAccuracyRate => Rate(Dispatches - DispatchesReturned, Dispatches);

    /// <summary>Cases reported in the period that are not closed, rejected or merged at the period end.</summary>
    public int Open => StateCounts.Where(s => !CaseStates.IsTerminal(s.Key)).Sum(s => s.Value);

    private static decimal? Rate(int numerator, int denominator) =>
        denominator == 0 ? null : (decimal)numerator / denominator;
}

/// <summary>One group of a report: a unit, a region or a period.</summary>
/// <param name="Key">Unit id, region code, or period (<c>2016-12</c>, <c>2016-12-05</c>); empty for cases never dispatched when grouped by unit.</param>
/// <param name="Name">Display name in Chinese.</param>
public sealed record KpiRow(string Key, string Name, KpiFigures Figures);

/// <summary>
/// The result of <see cref="KpiCalculator.ComputeAsync"/>. A case can be due in several periods
/// (the month its deadline passed and the month it closed), so the period rows need not add up to
/// the total.
/// </summary>
public sealed record KpiReport(
    DateTimeOffset? From,
    DateTimeOffset To,
    string? ScopePath,
    KpiGrouping GroupBy,
    KpiFigures Total,
    IReadOnlyList<KpiRow> Rows)
{
    public IReadOnlyDictionary<CaseState, int> StateCounts => Total.StateCounts;
}
