using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>
/// The result of one trace run inside an investigation, kept as it was answered: later runs may
/// differ (new passages, expired ones), and follow-up cases must point at the evidence they came from.
/// Snapshots are derived movement data and expire with the passages (28 days by default).
/// </summary>
[Classify(DataClass.Sensitive, "保存流调追踪结果作为随访依据", Recipients = "流调人员", RetentionDays = Privacy.RetentionOptions.MovementDays,
    RetentionRule = Privacy.RetentionOptions.MovementRule, Activity = "疫情防控流调")]
public sealed class TraceSnapshot
{
    public const string Table = "investigation_traces";
    public const string RanAtColumn = "ran_at";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    [Classify(DataClass.Internal, "所属流调")]
    public Guid InvestigationId { get; init; }

    [Classify(DataClass.Internal, "追踪时间")]
    public DateTimeOffset RanAt { get; init; }

    [Classify(DataClass.Internal, "追踪执行人")]
    public Guid? RanById { get; init; }

    [Classify(DataClass.Internal, "规则集版本")]
    public required string RuleSetVersion { get; init; }

    [Classify(DataClass.Internal, "密接人数")]
    public int CloseContacts { get; init; }

    [Classify(DataClass.Internal, "次密接人数")]
    public int SecondaryContacts { get; init; }

    /// <summary>The contact edges with their evidence, as JSON (<see cref="ContactEdge"/> list).</summary>
    public required string EdgesJson { get; init; }

    public IReadOnlyList<ContactEdge> Edges() => JsonSerializer.Deserialize<List<ContactEdge>>(EdgesJson, JsonOptions) ?? [];

    public static TraceSnapshot Of(Guid investigationId, TraceResult result, string ruleSetVersion, Guid? by, DateTimeOffset at) => new()
    {
        InvestigationId = investigationId,
        RanAt = at,
        RanById = by,
        RuleSetVersion = ruleSetVersion,
        CloseContacts = result.Edges.Where(e => e.Degree == 1).Select(e => e.To).Distinct().Count(),
        SecondaryContacts = result.Edges.Where(e => e.Degree == 2).Select(e => e.To).Distinct().Count(),
        EdgesJson = JsonSerializer.Serialize(result.Edges, JsonOptions),
    };

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}

internal sealed class TraceSnapshotConfiguration : IEntityTypeConfiguration<TraceSnapshot>
{
    public void Configure(EntityTypeBuilder<TraceSnapshot> e)
    {
        e.ToTable(TraceSnapshot.Table);
        e.HasKey(s => s.Id);
        e.Property(s => s.RuleSetVersion).HasMaxLength(32);
        e.HasOne<Investigation>().WithMany().HasForeignKey(s => s.InvestigationId);
        e.HasIndex(s => new { s.InvestigationId, s.RanAt });
    }
}
