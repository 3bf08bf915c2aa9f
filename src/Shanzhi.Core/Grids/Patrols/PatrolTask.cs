using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

public enum PatrolTaskState
{
    Open = 1,
    Done = 2,

    /// <summary>Past due without a visit; an alert was raised.</summary>
    Missed = 3,

    /// <summary>The plan or the duty ended before the task was done.</summary>
    Cancelled = 4,

    /// <summary>The duty was withdrawn and the task became a case of the responsible department.</summary>
    HandedOver = 5,
}

/// <summary>One patrol or visit due on one day, generated from a <see cref="PatrolPlan"/>; (plan, day) is unique.</summary>
[Classify(DataClass.Internal, "巡查走访任务", Activity = "网格巡查走访")]
public sealed class PatrolTask
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid PlanId { get; init; }

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    public required string DutyCode { get; init; }

    /// <summary>Due day in China Standard Time.</summary>
    public DateOnly Day { get; init; }

    /// <summary>End of <see cref="Day"/> in China Standard Time, as UTC.</summary>
    public DateTimeOffset DueAt { get; init; }

    public Guid? AssigneeId { get; init; }

    public Guid? KeyPersonId { get; init; }

    public PatrolTaskState State { get; private set; } = PatrolTaskState.Open;

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The case a withdrawn duty's task became.</summary>
    public Guid? CaseId { get; private set; }

    /// <summary>The task of <paramref name="plan"/> due on <paramref name="day"/>, due by the end of that day.</summary>
    public static PatrolTask For(PatrolPlan plan, DateOnly day, Guid? assigneeId) => new()
    {
        PlanId = plan.Id,
        GridCode = plan.GridCode,
        GridPath = plan.GridPath,
        DutyCode = plan.DutyCode,
        Day = day,
        DueAt = GridClock.StartOf(day.AddDays(1)),
        AssigneeId = assigneeId,
        KeyPersonId = plan.KeyPersonId,
    };

    public void Complete(DateTimeOffset at) => Close(PatrolTaskState.Done, at);

    public void MarkMissed(DateTimeOffset at) => Close(PatrolTaskState.Missed, at);

    public void Cancel(DateTimeOffset at) => Close(PatrolTaskState.Cancelled, at);

    public void HandOver(Guid caseId, DateTimeOffset at)
    {
        Close(PatrolTaskState.HandedOver, at);
        CaseId = caseId;
    }

    private void Close(PatrolTaskState state, DateTimeOffset at)
    {
        State = state;
        ClosedAt = at;
    }
}

/// <summary>
/// Proof of a visit: when and where the worker was, notes and an optional photo reference (an
/// attachment id or storage key). The position is the worker's own location, so it is personal data.
/// </summary>
[Classify(DataClass.Internal, "走访留痕", Activity = "网格巡查走访")]
public sealed class Visit
{
    public const int NotesMaxLength = 1000;
    public const int PhotoRefMaxLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TaskId { get; init; }

    public Guid UserId { get; init; }

    public DateTimeOffset VisitedAt { get; init; }

    [Classify(DataClass.Personal, "证明网格员到达网格（网格员本人位置）", RetentionDays = 365)]
    public double Latitude { get; init; }

    [Classify(DataClass.Personal, "证明网格员到达网格（网格员本人位置）", RetentionDays = 365)]
    public double Longitude { get; init; }

    /// <summary>Metres outside the grid boundary (0 inside); accepted only up to the configured tolerance.</summary>
    public double MetersOutside { get; init; }

    [Classify(DataClass.Personal, "走访情况记录，可能涉及被走访人")]
    public string Notes { get; init; } = "";

    [Classify(DataClass.Personal, "走访照片引用，照片可能涉及个人")]
    public string? PhotoRef { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
}

public enum PatrolAlertKind
{
    MissedVisit = 1,
}

/// <summary>An alert for the grid's community and street: a task passed its due time without proof of a visit.</summary>
[Classify(DataClass.Internal, "漏访预警", Activity = "网格巡查走访")]
public sealed class PatrolAlert
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public PatrolAlertKind Kind { get; init; }

    public Guid TaskId { get; init; }

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    public required string DutyCode { get; init; }

    public Guid? AssigneeId { get; init; }

    public DateOnly Day { get; init; }

    public DateTimeOffset RaisedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; private set; }

    public Guid? AcknowledgedBy { get; private set; }

    public void Acknowledge(Guid? by, DateTimeOffset at)
    {
        AcknowledgedAt ??= at;
        AcknowledgedBy ??= by;
    }
}

internal sealed class PatrolTaskConfiguration : IEntityTypeConfiguration<PatrolTask>
{
    public void Configure(EntityTypeBuilder<PatrolTask> e)
    {
        e.ToTable("grid_patrol_tasks");
        e.HasKey(t => t.Id);
        e.Property(t => t.GridCode).HasMaxLength(32);
        e.Property(t => t.GridPath).HasMaxLength(200);
        e.Property(t => t.DutyCode).HasMaxLength(16);
        e.Property(t => t.State).HasConversion<string>().HasMaxLength(16);
        e.HasOne<PatrolPlan>().WithMany().HasForeignKey(t => t.PlanId);
        e.HasIndex(t => new { t.PlanId, t.Day }).IsUnique();
        e.HasIndex(t => new { t.AssigneeId, t.Day });
        e.HasIndex(t => new { t.GridPath, t.Day });
        e.HasIndex(t => new { t.State, t.DueAt });
    }
}

internal sealed class VisitConfiguration : IEntityTypeConfiguration<Visit>
{
    public void Configure(EntityTypeBuilder<Visit> e)
    {
        e.ToTable("grid_visits");
        e.HasKey(v => v.Id);
        e.Property(v => v.Notes).HasMaxLength(Visit.NotesMaxLength);
        e.Property(v => v.PhotoRef).HasMaxLength(Visit.PhotoRefMaxLength);
        e.HasOne<PatrolTask>().WithMany().HasForeignKey(v => v.TaskId);
        e.HasIndex(v => v.TaskId).IsUnique();
        e.HasIndex(v => new { v.UserId, v.VisitedAt });
    }
}

internal sealed class PatrolAlertConfiguration : IEntityTypeConfiguration<PatrolAlert>
{
    public void Configure(EntityTypeBuilder<PatrolAlert> e)
    {
        e.ToTable("grid_patrol_alerts");
        e.HasKey(a => a.Id);
        e.Property(a => a.GridCode).HasMaxLength(32);
        e.Property(a => a.GridPath).HasMaxLength(200);
        e.Property(a => a.DutyCode).HasMaxLength(16);
        e.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(a => new { a.TaskId, a.Kind }).IsUnique();
        e.HasIndex(a => new { a.GridPath, a.RaisedAt });
    }
}
