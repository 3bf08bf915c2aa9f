using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Shanzhi.Cases;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Geography;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Classification;
using Shanzhi.Privacy.Handlers;

namespace Shanzhi.Storage;

/// <summary>
/// The platform's store. Each provider has a derived context so that SQLite and PostgreSQL keep
/// their own migrations; code depends on this base type only.
/// </summary>
public abstract class ShanzhiDbContext(DbContextOptions options)
    : IdentityDbContext<StaffUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<Region> Regions => Set<Region>();

    public DbSet<Case> Cases => Set<Case>();

    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();

    public DbSet<CategoryGroup> CategoryGroups => Set<CategoryGroup>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Unit> Units => Set<Unit>();

    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();

    public DbSet<CalendarDay> CalendarDays => Set<CalendarDay>();

    public DbSet<Attachment> Attachments => Set<Attachment>();

    public DbSet<CaseCounter> CaseCounters => Set<CaseCounter>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<PiHandler> PiHandlers => Set<PiHandler>();

    public DbSet<PiInspection> PiInspections => Set<PiInspection>();

    public DbSet<PiHandlerComplaint> PiHandlerComplaints => Set<PiHandlerComplaint>();

    public DbSet<PiFinding> PiFindings => Set<PiFinding>();

    public DbSet<Person> Persons => Set<Person>();

    public DbSet<Place> Places => Set<Place>();

    public DbSet<Entrance> Entrances => Set<Entrance>();

    public DbSet<Device> Devices => Set<Device>();

    public DbSet<Passage> Passages => Set<Passage>();

    public DbSet<Epidemic.Passages.PassageCommit> PassageCommits => Set<Epidemic.Passages.PassageCommit>();

    public DbSet<Epidemic.Gates.Employer> Employers => Set<Epidemic.Gates.Employer>();

    public DbSet<Epidemic.Gates.RosterEntry> RosterEntries => Set<Epidemic.Gates.RosterEntry>();

    public DbSet<Epidemic.Gates.UnidentifiedFollowUp> UnidentifiedFollowUps => Set<Epidemic.Gates.UnidentifiedFollowUp>();
    public DbSet<Investigation> Investigations => Set<Investigation>();

    public DbSet<TraceSnapshot> TraceSnapshots => Set<TraceSnapshot>();

    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<GridAssignment> GridAssignments => Set<GridAssignment>();

    public DbSet<MicroGrid> MicroGrids => Set<MicroGrid>();

    public DbSet<MicroGridMember> MicroGridMembers => Set<MicroGridMember>();

    public DbSet<DutyKind> DutyKinds => Set<DutyKind>();

    public DbSet<DutyChange> DutyChanges => Set<DutyChange>();

    public DbSet<GridDuty> GridDuties => Set<GridDuty>();

    public DbSet<PatrolPlan> PatrolPlans => Set<PatrolPlan>();

    public DbSet<PatrolTask> PatrolTasks => Set<PatrolTask>();

    public DbSet<Visit> Visits => Set<Visit>();

    public DbSet<PatrolAlert> PatrolAlerts => Set<PatrolAlert>();

    public DbSet<KeyPerson> KeyPersons => Set<KeyPerson>();

    public DbSet<IncentiveEntry> IncentiveEntries => Set<IncentiveEntry>();
    public DbSet<Epidemic.Registry.HealthStatusChange> HealthStatusChanges => Set<Epidemic.Registry.HealthStatusChange>();

    public DbSet<Epidemic.Registry.HealthOverrideRequest> HealthOverrideRequests => Set<Epidemic.Registry.HealthOverrideRequest>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Region>(e =>
        {
            e.HasKey(r => r.Code);
            e.Property(r => r.Code).HasMaxLength(32);
            e.Property(r => r.ParentCode).HasMaxLength(32);
            e.Property(r => r.Name).HasMaxLength(100);
            e.Property(r => r.Path).HasMaxLength(200);
            e.Property(r => r.Level).HasConversion<int>();
            e.HasIndex(r => r.ParentCode);
            e.HasIndex(r => r.Path);
            e.HasIndex(r => r.Level);
        });

        builder.Entity<CategoryGroup>(e =>
        {
            e.HasKey(g => g.Code);
            e.Property(g => g.Code).HasMaxLength(8);
            e.Property(g => g.Name).HasMaxLength(50);
        });

        builder.Entity<Category>(e =>
        {
            e.HasKey(c => c.Code);
            e.Property(c => c.Code).HasMaxLength(16);
            e.Property(c => c.GroupCode).HasMaxLength(8);
            e.Property(c => c.Name).HasMaxLength(50);
            e.Property(c => c.FilingCriterion).HasMaxLength(500);
            e.Property(c => c.ClosingCriterion).HasMaxLength(500);
            e.ComplexProperty(c => c.HandlingLimit, limit =>
            {
                limit.Property(l => l.Value).HasColumnName("handling_limit_value");
                limit.Property(l => l.Unit).HasColumnName("handling_limit_unit").HasConversion<int>();
            });
            e.HasOne<CategoryGroup>().WithMany().HasForeignKey(c => c.GroupCode);
        });

        builder.Entity<Unit>(e =>
        {
            e.Property(u => u.Name).HasMaxLength(100);
            e.Property(u => u.RegionCode).HasMaxLength(32);
            e.Property(u => u.Kind).HasConversion<int>();
            e.HasIndex(u => u.Name).IsUnique();
        });

        builder.Entity<RoutingRule>(e =>
        {
            e.Property(r => r.CategoryCode).HasMaxLength(16);
            e.Property(r => r.RegionPath).HasMaxLength(200);
        });

        builder.Entity<CalendarDay>(e => e.HasKey(d => d.Date));

        builder.Entity<Case>(e =>
        {
            e.Property(c => c.CaseNo).HasMaxLength(32);
            e.Property(c => c.ExternalRef).HasMaxLength(64);
            e.Property(c => c.Title).HasMaxLength(CaseLimits.TitleMaxLength);
            e.Property(c => c.Description).HasMaxLength(CaseLimits.DescriptionMaxLength);
            e.Property(c => c.Address).HasMaxLength(CaseLimits.AddressMaxLength);
            e.Property(c => c.RegionCode).HasMaxLength(32);
            e.Property(c => c.RegionPath).HasMaxLength(200);
            e.Property(c => c.AssetCode).HasMaxLength(16);
            e.Property(c => c.CategoryCode).HasMaxLength(16);
            e.Property(c => c.State).HasConversion<int>();
            e.Property(c => c.Channel).HasConversion<int>();
            e.Property(c => c.StateBeforeSuspension).HasConversion<int?>();
            e.Property(c => c.EventCount).IsConcurrencyToken();
            e.Ignore(c => c.NewEvents);
            e.HasIndex(c => c.CaseNo).IsUnique();
            e.HasIndex(c => c.ExternalRef);
            e.HasIndex(c => new { c.RegionPath, c.State });
            e.HasIndex(c => new { c.State, c.Deadline });
            e.HasIndex(c => c.ReportedAt);
            e.HasIndex(c => c.UnitId);
        });

        builder.Entity<CaseEvent>(e =>
        {
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.FromState).HasConversion<int>();
            e.Property(x => x.ToState).HasConversion<int>();
            e.Property(x => x.ActorName).HasMaxLength(100);
            e.Property(x => x.Reason).HasMaxLength(CaseLimits.ReasonMaxLength);
            e.Property(x => x.Value).HasMaxLength(200);
            e.HasIndex(x => new { x.CaseId, x.Sequence }).IsUnique();
            e.HasIndex(x => new { x.Type, x.At });
            e.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId);
        });

        builder.Entity<Attachment>(e =>
        {
            e.Property(a => a.ContentType).HasMaxLength(100);
            e.Property(a => a.StoragePath).HasMaxLength(300);
            e.Property(a => a.Stage).HasConversion<int>();
            e.HasIndex(a => a.CaseId);
            e.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId);
        });

        builder.Entity<CaseCounter>(e => e.HasKey(c => c.Day));

        builder.Entity<StaffUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(100);
            e.Property(u => u.ScopeRegionCode).HasMaxLength(32);
            e.Property(u => u.ScopePath).HasMaxLength(200);
        });

        // Modules configure their own entities in IEntityTypeConfiguration classes next to them.
        builder.ApplyConfigurationsFromAssembly(typeof(ShanzhiDbContext).Assembly);

        UseSnakeCaseNames(builder);
    }

    private static void UseSnakeCaseNames(ModelBuilder builder)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is not null)
            {
                entity.SetTableName(ToSnakeCase(table.StartsWith("AspNet", StringComparison.Ordinal) ? "identity_" + table[6..] : table));
            }

            foreach (var property in entity.GetProperties())
            {
                if (property.DeclaringType is not Microsoft.EntityFrameworkCore.Metadata.IComplexType)
                {
                    property.SetColumnName(ToSnakeCase(property.GetColumnName()));
                }
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

/// <summary>The SQLite store: the embedded default.</summary>
public sealed class SqliteShanzhiDbContext(DbContextOptions<SqliteShanzhiDbContext> options) : ShanzhiDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type: store instants as UTC ticks so they sort and compare in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>The PostgreSQL store for production.</summary>
public sealed class PostgresShanzhiDbContext(DbContextOptions<PostgresShanzhiDbContext> options) : ShanzhiDbContext(options);

/// <summary>Last case number handed out on a day (Asia/Shanghai calendar date).</summary>
[Classify(DataClass.Internal, "案件编号", Activity = "城市管理案件受理与处置")]
public sealed class CaseCounter
{
    public DateOnly Day { get; init; }

    public int Value { get; set; }
}
