namespace Shanzhi.Cases.Kpi;

/// <summary>How the rows of a <see cref="KpiReport"/> are formed; the total is always computed.</summary>
public enum KpiGrouping
{
    /// <summary>No rows, only the total.</summary>
    Total,

    /// <summary>One row per accountable unit (the unit of the last dispatch before the period end).</summary>
    Unit,

    /// <summary>One row per district: the second segment of the case's region path.</summary>
    District,

    /// <summary>One row per street: the third segment of the region path.</summary>
    Street,

    /// <summary>One row per community: the fourth segment of the region path.</summary>
    Community,

    /// <summary>One row per grid: the fifth segment of the region path.</summary>
    Grid,

    /// <summary>One row per calendar day in Asia/Shanghai.</summary>
    Day,

    /// <summary>One row per calendar month in Asia/Shanghai.</summary>
    Month,
}

/// <summary>
/// Period, scope and grouping of a KPI computation. The period is the half-open interval
/// [<paramref name="From"/>, <paramref name="To"/>): no lower bound when From is null, and the
/// current time when To is null.
/// </summary>
/// <param name="ScopePath">Region path prefix such as <c>/330200/330203/</c>; null covers every case.</param>
/// <param name="WorkingTime">
/// Working time between two instants (business calendar). When set, the report also gives the mean
/// handling time in working hours.
/// </param>
public sealed record KpiQuery(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? ScopePath = null,
    KpiGrouping GroupBy = KpiGrouping.Total,
    Func<DateTimeOffset, DateTimeOffset, TimeSpan>? WorkingTime = null);
