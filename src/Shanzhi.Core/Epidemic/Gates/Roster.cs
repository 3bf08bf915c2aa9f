using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Gates;

/// <summary>A construction employer (施工单位 or labour subcontractor) whose workers are on site rosters.</summary>
[Classify(DataClass.Public, "建筑工人实名制花名册（用工单位）", Activity = "建筑工地实名制管理")]
public sealed class Employer
{
    public const int NameMaxLength = 100;

    public long Id { get; init; }

    [Classify(DataClass.Public, "用工单位名称")]
    public required string Name { get; set; }

    /// <summary>Unified social credit code (统一社会信用代码), 18 characters, unique.</summary>
    [Classify(DataClass.Public, "识别用工单位")]
    public required string CreditCode { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// One worker of one employer on the roster of one construction site, valid from
/// <see cref="ValidFrom"/> to <see cref="ValidTo"/>, both days included (Asia/Shanghai dates).
/// The worker is referred to only by the registry's person key.
/// </summary>
[Classify(DataClass.Personal, "建筑工人实名制花名册，工地门禁核验", Activity = "建筑工地实名制管理")]
public sealed class RosterEntry
{
    public long Id { get; init; }

    [Classify(DataClass.Internal, "所属工地")]
    public long SiteId { get; init; }

    [Classify(DataClass.Internal, "所属用工单位")]
    public long EmployerId { get; init; }

    [Classify(DataClass.Personal, "工人（人员编号，不含身份信息）")]
    public long PersonKey { get; init; }

    [Classify(DataClass.Internal, "花名册有效期")]
    public DateOnly ValidFrom { get; init; }

    [Classify(DataClass.Internal, "花名册有效期（含当日）")]
    public DateOnly ValidTo { get; private set; }

    [Classify(DataClass.Internal, "登记时间")]
    public DateTimeOffset CreatedAt { get; init; }

    [Classify(DataClass.Internal, "提前终止时间")]
    public DateTimeOffset? EndedAt { get; private set; }

    public static RosterEntry Create(long siteId, long employerId, long personKey, DateOnly validFrom, DateOnly validTo, DateTimeOffset at) =>
        new() { SiteId = siteId, EmployerId = employerId, PersonKey = personKey, ValidFrom = validFrom, ValidTo = validTo, CreatedAt = at };

    public bool IsValidOn(DateOnly day) => ValidFrom <= day && day <= ValidTo;

    /// <summary>Ends the entry after <paramref name="lastDay"/>; an entry can only be shortened, never lengthened.</summary>
    public Error? End(DateOnly lastDay, DateTimeOffset at)
    {
        if (lastDay < ValidFrom.AddDays(-1) || lastDay > ValidTo)
        {
            return GateErrors.RosterEndOutOfRange(ValidFrom, ValidTo);
        }

        ValidTo = lastDay;
        EndedAt = at;
        return null;
    }

    /// <summary>
    /// Voids the entry: it ends the day before <see cref="ValidFrom"/>, so it was never valid. That
    /// day may precede <see cref="PlatformDates.First"/>, which the API does not take as a date.
    /// </summary>
    public void Void(DateTimeOffset at)
    {
        ValidTo = ValidFrom.AddDays(-1);
        EndedAt = at;
    }
}

internal sealed class EmployerConfiguration : IEntityTypeConfiguration<Employer>
{
    public void Configure(EntityTypeBuilder<Employer> e)
    {
        e.ToTable("employers");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.Property(x => x.Name).HasMaxLength(Employer.NameMaxLength);
        e.Property(x => x.CreditCode).HasMaxLength(18);
        e.HasIndex(x => x.CreditCode).IsUnique();
    }
}

internal sealed class RosterEntryConfiguration : IEntityTypeConfiguration<RosterEntry>
{
    public void Configure(EntityTypeBuilder<RosterEntry> e)
    {
        e.ToTable("roster_entries");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedOnAdd();
        e.HasOne<Place>().WithMany().HasForeignKey(x => x.SiteId);
        e.HasOne<Employer>().WithMany().HasForeignKey(x => x.EmployerId);
        e.HasIndex(x => new { x.SiteId, x.PersonKey });

        // The roster directory polls for entries added or ended since its last poll.
        e.HasIndex(x => x.CreatedAt);
        e.HasIndex(x => x.EndedAt);
    }
}
