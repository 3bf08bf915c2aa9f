namespace Shanzhi.Epidemic;

/// <summary>
/// The stamp ranges that a poller for rows changed by other processes reads at each poll. The population directory polls
/// <c>persons.updated_at</c> with them and the site rosters poll <c>roster_entries.created_at</c> and <c>ended_at</c>.
/// </summary>
/// <remarks>
/// A writer may commit a row some time after stamping it, so a poll must also read stamps older than the previous poll.
/// Let L be the time from a writer's stamp to its commit on the poller's clock, so that clock skew between the two
/// processes counts in L. Every poll reads the stamps from <see cref="FreshAge"/> before the previous poll's start on,
/// and reads an older stamp once more as its age passes each of <see cref="RereadAges"/>. A poll that starts at t after
/// a poll that started at p reads [p − A, t − A) for each age A. These ranges of consecutive polls join without a gap,
/// so each stamp falls in one poll's range per age, and that poll starts after stamp + A. A change with L ≤ A has
/// committed by then and is read. Each age is at most twice the one before, so the first age A ≥ L is below 2L. Hence a
/// change with L up to <see cref="FreshAge"/> is read by the first poll that starts after its commit, and a change with
/// L up to <see cref="Overlap"/> by a poll that starts within L plus one poll interval after its commit. At polls one second apart
/// each change is read about 7 times: about 3 times while fresh and once at each of the 4 reread ages.
/// </remarks>
internal static class StampWindows
{
    /// <summary>The maximum time from a writer's stamp to its commit that polls still cover, clock skew included.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(30);

    /// <summary>How long before the previous poll's start a stamp is still read by every poll.</summary>
    public static readonly TimeSpan FreshAge = TimeSpan.FromSeconds(2);

    /// <summary>The ages at which a stamp older than <see cref="FreshAge"/> is read once more. Each is at most twice the one before.</summary>
    public static readonly IReadOnlyList<TimeSpan> RereadAges = [TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16), Overlap];

    /// <summary>
    /// Computes the stamp ranges that a poll starting at <paramref name="started"/> reads after the poll that started at
    /// <paramref name="previous"/>, sorted and merged so that no row is read twice in one poll.
    /// </summary>
    public static List<StampRange> Between(DateTimeOffset previous, DateTimeOffset started)
    {
        var ranges = new List<StampRange> { new(previous - FreshAge, null) };
        if (started > previous)
        {
            ranges.AddRange(RereadAges.Select(age => new StampRange(previous - age, started - age)));
        }

        ranges.Sort((a, b) => a.From.CompareTo(b.From));
        var merged = new List<StampRange>();
        foreach (var range in ranges)
        {
            if (merged.Count == 0 || merged[^1].Until is { } end && range.From > end)
            {
                merged.Add(range);
                continue;
            }

            // The range starts inside the last one (which may have no end), so it extends it.
            var last = merged[^1];
            merged[^1] = last with { Until = last.Until is null || range.Until is null ? null : Max(last.Until.Value, range.Until.Value) };
        }

        return merged;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

/// <summary>A range of stamps, from <see cref="From"/> inclusive to <see cref="Until"/> exclusive, or with no end when <see cref="Until"/> is null.</summary>
internal readonly record struct StampRange(DateTimeOffset From, DateTimeOffset? Until);
