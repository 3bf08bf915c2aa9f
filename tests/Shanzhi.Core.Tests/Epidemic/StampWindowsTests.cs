using Shanzhi.Epidemic;

namespace Shanzhi.Tests.Epidemic;

/// <summary>The stamp ranges that the population directory and roster polls read: each change is read, soon enough and a bounded number of times.</summary>
public sealed class StampWindowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public void Poll_at_same_instant_reads_fresh_range()
    {
        var ranges = StampWindows.Between(Start, Start);

        Assert.Equal([new StampRange(Start - StampWindows.FreshAge, null)], ranges);
    }

    [Fact]
    public void Ranges_are_sorted_and_disjoint()
    {
        var ranges = StampWindows.Between(Start, Start + Interval);

        Assert.Equal(1 + StampWindows.RereadAges.Count, ranges.Count);
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.NotNull(ranges[i - 1].Until);
            Assert.True(ranges[i - 1].Until < ranges[i].From, $"range {i - 1} ends at {ranges[i - 1].Until:O}, after range {i} starts at {ranges[i].From:O}");
        }

        Assert.Null(ranges[^1].Until);
    }

    [Fact]
    public void Long_gap_merges_overlapping_ranges()
    {
        // After 20 s without a successful poll every range overlaps the next, so one query reads every stamp from the overlap before the previous poll on.
        var ranges = StampWindows.Between(Start, Start + TimeSpan.FromSeconds(20));

        Assert.Equal([new StampRange(Start - StampWindows.Overlap, null)], ranges);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Stamp_is_read_at_most_seven_times(double offsetSeconds)
    {
        // Polls one second apart: 3 reads while the stamp is fresh, then one at each of the 4 reread ages.
        const int maxReads = 7;
        var polls = Enumerable.Range(0, 40).Select(i => Start + i * Interval).ToList();
        var stamp = Start + TimeSpan.FromSeconds(5 + offsetSeconds);

        var reads = PollsReading(polls, stamp).Count;

        Assert.InRange(reads, 1, maxReads);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void Fresh_change_is_read_by_next_poll(double latenessSeconds)
    {
        var polls = Enumerable.Range(0, 40).Select(i => Start + i * Interval).ToList();
        var stamp = Start + TimeSpan.FromSeconds(5.4);
        var commit = stamp + TimeSpan.FromSeconds(latenessSeconds);

        var firstRead = PollsReading(polls, stamp).FirstOrDefault(t => t > commit);

        Assert.InRange(firstRead, commit, commit + Interval);
    }

    [Theory]
    [InlineData(3.0, false)]
    [InlineData(6.0, false)]
    [InlineData(12.0, false)]
    [InlineData(20.0, false)]
    [InlineData(29.0, false)]
    [InlineData(30.0, false)]
    [InlineData(12.0, true)]
    [InlineData(30.0, true)]
    public void Late_change_is_read_within_bound(double latenessSeconds, bool withFailedPolls)
    {
        // Failed polls leave gaps: the next successful poll reads from the last successful one's start.
        var polls = Enumerable.Range(0, 60).Where(i => !withFailedPolls || i % 5 is not (2 or 3)).Select(i => Start + i * Interval).ToList();
        var stamp = Start + TimeSpan.FromSeconds(5.4);
        var lateness = TimeSpan.FromSeconds(latenessSeconds);
        var commit = stamp + lateness;
        var gap = withFailedPolls ? 3 * Interval : Interval;

        // Within the lateness plus one interval, or plus the gap that failed polls leave.
        var firstRead = PollsReading(polls, stamp).FirstOrDefault(t => t > commit);

        Assert.InRange(firstRead, commit, commit + lateness + gap);
    }

    /// <summary>Returns the start of each poll after <paramref name="stamp"/> whose ranges contain it.</summary>
    private static List<DateTimeOffset> PollsReading(List<DateTimeOffset> polls, DateTimeOffset stamp)
    {
        var reading = new List<DateTimeOffset>();
        for (var i = 1; i < polls.Count; i++)
        {
            var ranges = StampWindows.Between(polls[i - 1], polls[i]);
            if (polls[i] > stamp && ranges.Any(r => r.From <= stamp && (r.Until is not { } until || stamp < until)))
            {
                reading.Add(polls[i]);
            }
        }

        return reading;
    }
}
