using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

public enum Employment
{
    FullTime = 1,
    PartTime = 2,
}

/// <summary>
/// A staff user working in a grid for a period. Exactly one current assignment per grid is the
/// responsible one (责任网格员). Assigning a new responsible worker ends the previous one, and a
/// partial unique index on (grid, current, responsible) enforces the rule in the store. Ended
/// assignments stay as history.
/// </summary>
[Classify(DataClass.Internal, "网格员配备与调整", Activity = "网格员与微网格管理")]
public sealed class GridAssignment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    /// <summary>The grid worker's staff account.</summary>
    public Guid UserId { get; init; }

    public bool IsResponsible { get; init; }

    public Employment Employment { get; init; }

    public DateTimeOffset ValidFrom { get; init; }

    /// <summary>End of the assignment; null while it is current.</summary>
    public DateTimeOffset? ValidTo { get; private set; }

    public Guid? AssignedBy { get; init; }

    public bool IsCurrent => ValidTo is null;

    public void End(DateTimeOffset at) => ValidTo ??= at;
}

internal sealed class GridAssignmentConfiguration : IEntityTypeConfiguration<GridAssignment>
{
    public void Configure(EntityTypeBuilder<GridAssignment> e)
    {
        e.ToTable("grid_assignments");
        e.HasKey(a => a.Id);
        e.Property(a => a.GridCode).HasMaxLength(32);
        e.Property(a => a.GridPath).HasMaxLength(200);
        e.Property(a => a.Employment).HasConversion<string>().HasMaxLength(16);
        e.Ignore(a => a.IsCurrent);
        e.HasIndex(a => new { a.GridCode, a.ValidTo });
        e.HasIndex(a => new { a.UserId, a.ValidTo });

        // One current responsible worker per grid. Both SQLite (3.23+) and PostgreSQL accept this filter.
        e.HasIndex(a => a.GridCode).IsUnique().HasDatabaseName("ux_grid_assignments_responsible")
            .HasFilter("\"valid_to\" IS NULL AND \"is_responsible\" = TRUE");
    }
}
