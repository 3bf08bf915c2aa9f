using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic;

/// <summary>
/// A person in the population registry. Identity fields are encrypted with
/// <see cref="Privacy.Crypto.FieldCipher"/>; the ID number also has a blind index so a gate can
/// resolve a card read without decrypting anything. Every other table refers to the person by
/// <see cref="Key"/>, which is a surrogate and says nothing about who the person is.
/// </summary>
[Classify(DataClass.Internal, "疫情防控人口登记", Activity = "疫情防控人口登记")]
public sealed class Person
{
    public const string Table = "persons";
    public const string NameColumn = "name_cipher";
    public const string IdNumberColumn = "id_number_cipher";
    public const string PhoneColumn = "phone_cipher";

    /// <summary>The pseudonymous person key (PersonKey) used by passages, health status and tracing.</summary>
    public long Key { get; init; }

    [Classify(DataClass.Sensitive, "核实身份（加密存储）", Recipients = "流调人员、社区工作者")]
    public required byte[] NameCipher { get; set; }

    [Classify(DataClass.Sensitive, "核实身份（加密存储）", Recipients = "流调人员")]
    public required byte[] IdNumberCipher { get; set; }

    [Classify(DataClass.Sensitive, "按身份证号精确识别（盲索引，不可还原）")]
    public required byte[] IdNumberIndex { get; set; }

    [Classify(DataClass.Sensitive, "联系本人（加密存储）", Recipients = "流调人员、社区工作者")]
    public byte[]? PhoneCipher { get; set; }

    [Classify(DataClass.Personal, "按人口类别安排通道和管理措施")]
    public ResidencyClass Residency { get; set; }

    /// <summary>Grid region code of the home address; the address itself is not kept.</summary>
    [Classify(DataClass.Personal, "把随访任务派给居住地网格")]
    public string? HomeGridCode { get; set; }

    /// <summary>
    /// The current health-code colour; null until the person has one. A person registered by a
    /// community worker has no health code yet: the first status comes from an upstream update, a
    /// rule hit or an approved override, each with its history row.
    /// </summary>
    [Classify(DataClass.Sensitive, "健康码状态决定通行")]
    public HealthStatus? Status { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> e)
    {
        e.ToTable(Person.Table);
        e.HasKey(p => p.Key);
        e.Property(p => p.Key).ValueGeneratedOnAdd();
        e.Property(p => p.Residency).HasConversion<string>().HasMaxLength(32);
        e.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(p => p.HomeGridCode).HasMaxLength(32);
        e.HasIndex(p => p.IdNumberIndex).IsUnique();
        e.HasIndex(p => p.HomeGridCode);

        // The population directory polls for rows changed since its last poll.
        e.HasIndex(p => p.UpdatedAt);
    }
}
