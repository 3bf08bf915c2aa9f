using Shanzhi.Epidemic;

namespace Shanzhi.Tests.Epidemic.Passages;

public sealed class PassageHourTests
{
    private static readonly DateTimeOffset Ten = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Hour_counts_whole_hours_since_epoch()
    {
        Assert.Equal(0, Passage.HourOf(DateTimeOffset.UnixEpoch));
        Assert.Equal(494_530, Passage.HourOf(Ten));
        Assert.Equal(494_530, Passage.HourOf(Ten.AddMinutes(59)));
        Assert.Equal(494_530, Passage.HourOf(new DateTimeOffset(2026, 6, 1, 18, 30, 0, TimeSpan.FromHours(8))));
    }

    [Fact]
    public void Passage_sets_hour_with_occurrence()
    {
        var passage = new Passage { OccurredAt = Ten.AddMinutes(-1) };

        Assert.Equal(494_529, passage.OccurredHour);
    }

    [Fact]
    public void Hours_between_exclude_the_end()
    {
        Assert.Equal([494_530L], Passage.HoursBetween(Ten, Ten.AddHours(1)));
        Assert.Equal([494_530L, 494_531L], Passage.HoursBetween(Ten.AddMinutes(30), Ten.AddHours(1).AddTicks(1)));
        Assert.Equal([494_529L, 494_530L], Passage.HoursBetween(Ten.AddTicks(-1), Ten.AddTicks(1)));
    }

    [Fact]
    public void Hours_between_empty_window_are_none()
    {
        Assert.Empty(Passage.HoursBetween(Ten, Ten));
        Assert.Empty(Passage.HoursBetween(Ten.AddHours(1), Ten));
    }
}
