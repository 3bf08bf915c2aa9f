using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

public enum PatrolFrequency
{
    Daily = 1,

    /// <summary>Once a week, on the weekday of <see cref="PatrolPlan.StartsOn"/>.</summary>
    Weekly = 2,

    /// <summary>Every <see cref="PatrolPlan.IntervalDays"/> days counted from <see cref="PatrolPlan.StartsOn"/>.</summary>
    EveryNDays = 3,
}

/// <summary>A recurring patrol or visit of one duty in one grid; the generator turns it into a task on each due day.</summary>
[Classify(DataClass.Internal, "巡查走访计划", Activity = "网格巡查走访")]
public sealed class PatrolPlan
{
    public const int TitleMaxLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    public required string DutyCode { get; init; }

    [Classify(DataClass.Internal, "计划名称（工作说明，不涉及个人）")]
    public required string Title { get; set; }

    public PatrolFrequency Frequency { get; init; }

    public int IntervalDays { get; init; } = 1;

    public DateOnly StartsOn { get; init; }

    public DateOnly? EndsOn { get; set; }

    /// <summary>Worker the tasks go to; null sends each task to the grid's responsible worker of that day.</summary>
    public Guid? AssigneeId { get; init; }

    /// <summary>The key person visited, for key-person visit plans.</summary>
    public Guid? KeyPersonId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid? CreatedBy { get; init; }

    public bool IsDueOn(DateOnly day)
    {
        if (day < StartsOn || (EndsOn is { } end && day > end))
        {
            return false;
        }

        var elapsed = day.DayNumber - StartsOn.DayNumber;
        return Frequency switch
        {
            PatrolFrequency.Daily => true,
            PatrolFrequency.Weekly => elapsed % 7 == 0,
            _ => elapsed % Math.Max(1, IntervalDays) == 0,
        };
    }
}

internal sealed class PatrolPlanConfiguration : IEntityTypeConfiguration<PatrolPlan>
{
    public void Configure(EntityTypeBuilder<PatrolPlan> e)
    {
        e.ToTable("grid_patrol_plans");
        e.HasKey(p => p.Id);
        e.Property(p => p.GridCode).HasMaxLength(32);
        e.Property(p => p.GridPath).HasMaxLength(200);
        e.Property(p => p.DutyCode).HasMaxLength(16);
        e.Property(p => p.Title).HasMaxLength(PatrolPlan.TitleMaxLength);
        e.Property(p => p.Frequency).HasConversion<string>().HasMaxLength(16);
        e.HasOne<DutyKind>().WithMany().HasForeignKey(p => p.DutyCode);
        e.HasIndex(p => new { p.GridCode, p.DutyCode });
    }
}
