using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Grids;

/// <summary>
/// A resident the grid looks after (重点人员): an elderly person living alone, a person with a
/// disability, or another category the city defines in <see cref="GridOptions.KeyPersonCategories"/>.
/// Name, phone and address are encrypted; lists show them masked and every reveal is audited.
/// </summary>
[Classify(DataClass.Sensitive, "网格重点人员关爱走访", Activity = "网格重点人员走访")]
public sealed class KeyPerson
{
    public const string Table = "grid_key_persons";
    public const string NameColumn = "name_cipher";
    public const string PhoneColumn = "phone_cipher";
    public const string AddressColumn = "address_cipher";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    public required string GridCode { get; init; }

    public required string GridPath { get; init; }

    /// <summary>Key of <see cref="GridOptions.KeyPersonCategories"/>, such as <c>elderly_alone</c>.</summary>
    [Classify(DataClass.Sensitive, "确定关爱走访频次（可能反映健康或残疾状况）")]
    public required string Category { get; init; }

    [Classify(DataClass.Personal, "走访时确认本人（加密存储）", Recipients = "所在网格网格员、社区领导")]
    public required byte[] NameCipher { get; set; }

    [Classify(DataClass.Personal, "走访前联系本人（加密存储）", Recipients = "所在网格网格员、社区领导")]
    public required byte[] PhoneCipher { get; set; }

    [Classify(DataClass.Personal, "上门走访（加密存储）", Recipients = "所在网格网格员、社区领导")]
    public required byte[] AddressCipher { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid? CreatedBy { get; init; }

    /// <summary>When the person left the list (moved, deceased, no longer in need); the row stays for history.</summary>
    public DateTimeOffset? RemovedAt { get; set; }
}

internal sealed class KeyPersonConfiguration : IEntityTypeConfiguration<KeyPerson>
{
    public void Configure(EntityTypeBuilder<KeyPerson> e)
    {
        e.ToTable(KeyPerson.Table);
        e.HasKey(k => k.Id);
        e.Property(k => k.GridCode).HasMaxLength(32);
        e.Property(k => k.GridPath).HasMaxLength(200);
        e.Property(k => k.Category).HasMaxLength(32);
        e.HasIndex(k => new { k.GridPath, k.Category });
    }
}
