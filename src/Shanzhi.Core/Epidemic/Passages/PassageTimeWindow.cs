using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Passages;

/// <summary>
/// The times a new passage may carry, for every way in (gate check, passage batch, CSV import):
/// at most <see cref="ClockTolerance"/> after <see cref="Now"/>, and not older than the movement
/// retention, because the retention job would delete such a passage at its next run. Without a
/// movement policy passages are kept, so the only lower bound is the platform's first date
/// (<see cref="PlatformDates.First"/>). A time after <see cref="PlatformDates.Last"/> counts as in
/// the future whatever the clock reads.
/// </summary>
/// <param name="RetentionDays">The movement retention in days, or null when passages are kept.</param>
public readonly record struct PassageTimeWindow(DateTimeOffset Now, int? RetentionDays)
{
    /// <summary>Devices' clocks drift, so a passage further in the future than this is a clock fault.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The window at <paramref name="now"/> under the movement policy the retention job applies.</summary>
    public static PassageTimeWindow At(DateTimeOffset now, RetentionOptions retention) => new(now, retention.DaysOf(RetentionClasses.Movement));

    public bool IsInFuture(DateTimeOffset occurredAt) => occurredAt > Now + ClockTolerance || occurredAt.Year > PlatformDates.Last.Year;

    /// <summary>
    /// Whether the time is before <see cref="PlatformDates.First"/>, or the retention job would
    /// delete a passage of this time at its next run, because it deletes passages older than the retention.
    /// </summary>
    public bool IsTooOld(DateTimeOffset occurredAt) =>
        occurredAt.Year < PlatformDates.First.Year || (RetentionDays is { } days && occurredAt < Now - TimeSpan.FromDays(days));
}
