using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic;

/// <summary>
/// One person passing one entrance at one time (通行记录). The device id and the device's own
/// sequence number are the key, so a device that resends a batch stores nothing twice. The person
/// is referred to only by <see cref="PersonKey"/>; an unidentified passage has none. Rows expire
/// under the movement retention policy (28 days by default).
/// </summary>
[Classify(DataClass.Sensitive, "追踪密切接触者（行程记录）", Recipients = "流调人员", RetentionDays = Privacy.RetentionOptions.MovementDays,
    RetentionRule = Privacy.RetentionOptions.MovementRule, Activity = "疫情防控场所与通行")]
public sealed class Passage
{
    public const string Table = "passages";
    public const string OccurredAtColumn = "occurred_at";

    [Classify(DataClass.Internal, "去重")]
    public long DeviceId { get; init; }

    [Classify(DataClass.Internal, "去重")]
    public long DeviceSequence { get; init; }

    [Classify(DataClass.Internal, "定位场所")]
    public long EntranceId { get; init; }

    public long PlaceId { get; init; }

    public long? PersonKey { get; init; }

    public DateTimeOffset OccurredAt
    {
        get;
        init
        {
            field = value;
            OccurredHour = HourOf(value);
        }
    }

    /// <summary>
    /// Whole hours from 1970-01-01 UTC to <see cref="OccurredAt"/>, set with it. It leads the
    /// trajectory index, so the passages of one ingest transaction, which occurred within the same
    /// hours, are inserted into a few neighbouring index pages instead of one page per person.
    /// It reveals when a person passed, as <see cref="OccurredAt"/> does, so it keeps the type's
    /// classification.
    /// </summary>
    public long OccurredHour { get; private set; }

    public PassageDirection Direction { get; init; }

    public GateDecision Decision { get; init; }

    public HubChannel Channel { get; init; }

    /// <summary>Health status the gate saw, kept so a later investigation knows what the gate knew.</summary>
    public HealthStatus? StatusAtPassage { get; init; }

    [Classify(DataClass.Internal, "记录入库时间")]
    public DateTimeOffset ReceivedAt { get; init; }

    public static long HourOf(DateTimeOffset instant) => instant.ToUnixTimeSeconds() / 3600;

    /// <summary>
    /// Every value of <see cref="OccurredHour"/> in [<paramref name="from"/>, <paramref name="to"/>),
    /// for queries that seek the trajectory index hour by hour.
    /// </summary>
    public static long[] HoursBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var first = HourOf(from);
        var last = HourOf(to.AddTicks(-1));
        return last < first ? [] : [.. Enumerable.Range(0, checked((int)(last - first + 1))).Select(i => first + i)];
    }
}

internal sealed class PassageConfiguration : IEntityTypeConfiguration<Passage>
{
    public void Configure(EntityTypeBuilder<Passage> e)
    {
        e.ToTable(Passage.Table);
        e.HasKey(p => new { p.DeviceId, p.DeviceSequence });
        e.Property(p => p.Direction).HasConversion<short>();
        e.Property(p => p.Decision).HasConversion<short>();
        e.Property(p => p.Channel).HasConversion<short>();
        e.Property(p => p.StatusAtPassage).HasConversion<short?>();

        // No foreign keys: passages are bulk-loaded and, at scale, distributed by place. Co-presence
        // queries go to the in-memory contact index, so there is no (place, time) index: each
        // secondary index costs the durable ingest a large share of its rate. What remains serves
        // trajectory views (hour, person, time) and retention and the index rebuild (time).
        // The trajectory index starts with the hour. An index that starts with the person puts
        // each passage of a transaction into a different leaf page, and SQLite writes every page
        // that a transaction changed to its WAL at commit (a 4 KiB page for a 20-byte entry).
        // Trajectory reads pay for this with one index seek per hour of their window.
        e.HasIndex(p => new { p.OccurredHour, p.PersonKey, p.OccurredAt });
        e.HasIndex(p => p.OccurredAt);
    }
}
