using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

public enum MicroGridKind
{
    Building = 1,
    Stairwell = 2,
    Households = 3,
}

/// <summary>A secondary grid (微网格) under a grid: a building, a stairwell or a group of households, run by volunteers.</summary>
[Classify(DataClass.Internal, "微网格划分", Activity = "网格员与微网格管理")]
public sealed class MicroGrid
{
    public const int NameMaxLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    [Classify(DataClass.Internal, "标识微网格（楼栋、楼道名称，不是个人）")]
    public required string Name { get; set; }

    public MicroGridKind Kind { get; init; }

    /// <summary>Number of households the micro-grid covers, for workload and coverage figures.</summary>
    public int Households { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A volunteer in a micro-grid for a period; at most one current leader (微网格长) per micro-grid.</summary>
[Classify(DataClass.Internal, "微网格成员配备与调整", Activity = "网格员与微网格管理")]
public sealed class MicroGridMember
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid MicroGridId { get; init; }

    public Guid UserId { get; init; }

    public bool IsLeader { get; init; }

    public DateTimeOffset ValidFrom { get; init; }

    public DateTimeOffset? ValidTo { get; private set; }

    public void End(DateTimeOffset at) => ValidTo ??= at;
}

internal sealed class MicroGridConfiguration : IEntityTypeConfiguration<MicroGrid>
{
    public void Configure(EntityTypeBuilder<MicroGrid> e)
    {
        e.ToTable("grid_micro_grids");
        e.HasKey(m => m.Id);
        e.Property(m => m.GridCode).HasMaxLength(32);
        e.Property(m => m.GridPath).HasMaxLength(200);
        e.Property(m => m.Name).HasMaxLength(MicroGrid.NameMaxLength);
        e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(16);
        e.HasIndex(m => new { m.GridCode, m.Name }).IsUnique();
    }
}

internal sealed class MicroGridMemberConfiguration : IEntityTypeConfiguration<MicroGridMember>
{
    public void Configure(EntityTypeBuilder<MicroGridMember> e)
    {
        e.ToTable("grid_micro_grid_members");
        e.HasKey(m => m.Id);
        e.HasOne<MicroGrid>().WithMany().HasForeignKey(m => m.MicroGridId);
        e.HasIndex(m => new { m.MicroGridId, m.ValidTo });
        e.HasIndex(m => new { m.UserId, m.ValidTo });
        e.HasIndex(m => m.MicroGridId).IsUnique().HasDatabaseName("ux_grid_micro_grid_members_leader")
            .HasFilter("\"valid_to\" IS NULL AND \"is_leader\" = TRUE");
    }
}
