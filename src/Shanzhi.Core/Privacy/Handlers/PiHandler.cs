using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Privacy.Handlers;

/// <summary>Industry of a personal-information handler, the sectors the PI supervision plan names.</summary>
public enum PiIndustry
{
    Internet = 1,
    Telecom = 2,
    ECommerce = 3,
    Courier = 4,
    Bank = 5,
    PropertyManagement = 6,
    Intermediary = 7,
    Other = 99,
}

/// <summary>Number of persons whose personal information the handler holds.</summary>
public enum PiDataScale
{
    Under100Thousand = 1,
    Under1Million = 2,
    Under10Million = 3,
    AtLeast10Million = 4,
}

public static class PiHandlerNames
{
    public static string Chinese(PiIndustry industry) => industry switch
    {
        PiIndustry.Internet => "互联网",
        PiIndustry.Telecom => "电信",
        PiIndustry.ECommerce => "电子商务",
        PiIndustry.Courier => "快递物流",
        PiIndustry.Bank => "银行",
        PiIndustry.PropertyManagement => "物业管理",
        PiIndustry.Intermediary => "房产等中介服务",
        _ => "其他",
    };

    public static string Chinese(PiDataScale scale) => scale switch
    {
        PiDataScale.Under100Thousand => "10万人以下",
        PiDataScale.Under1Million => "10万至100万人",
        PiDataScale.Under10Million => "100万至1000万人",
        _ => "1000万人及以上",
    };

    public static string Chinese(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Minor => "一般",
        FindingSeverity.Major => "较重",
        _ => "严重",
    };

    public static string Chinese(InspectionResult result) => result switch
    {
        InspectionResult.Compliant => "合规",
        InspectionResult.FindingsRaised => "发现问题",
        _ => "未完成",
    };
}

/// <summary>
/// The industry self-assessment (行业自评): yes/no items the handler answers when it is registered.
/// Keys are stable; they are stored as JSON in <see cref="PiHandler.SelfAssessment"/>.
/// </summary>
public static class SelfAssessmentChecklist
{
    public static IReadOnlyDictionary<string, string> Items { get; } = new Dictionary<string, string>
    {
        ["officer_appointed"] = "已指定个人信息保护负责人",
        ["rules_published"] = "已公开个人信息处理规则",
        ["impact_assessed"] = "处理敏感个人信息前已开展个人信息保护影响评估",
        ["sensitive_encrypted"] = "敏感个人信息已加密存储",
        ["incident_plan"] = "已制定个人信息安全事件应急预案",
        ["audited_yearly"] = "每年开展个人信息保护合规审计",
    };
}

/// <summary>
/// An entry of the directory of personal-information handlers (个人信息处理者名录) the city's PI
/// supervisors keep. The PI officer's name and mobile number are encrypted with
/// <see cref="Crypto.FieldCipher"/>; the phone also has a blind index for exact search.
/// </summary>
[Classify(DataClass.Internal, "个人信息处理者名录与监督检查", Activity = "个人信息处理者名录")]
public sealed class PiHandler
{
    public const int NameMaxLength = 200;
    public const int OfficerNameMaxLength = 50;
    public const int ReasonMaxLength = 200;
    public const int TextMaxLength = 2000;

    public const string Table = "pi_handlers";
    public const string OfficerNameColumn = "officer_name_cipher";
    public const string OfficerPhoneColumn = "officer_phone_cipher";

    public Guid Id { get; init; } = Guid.CreateVersion7();

    [Classify(DataClass.Public, "识别处理者（单位登记信息）")]
    public required string CreditCode { get; set; }

    [Classify(DataClass.Public, "识别处理者（单位名称，不是个人）")]
    public required string Name { get; set; }

    public PiIndustry Industry { get; set; }

    public PiDataScale Scale { get; set; }

    /// <summary>District code (区县级) from the region table.</summary>
    public required string RegionCode { get; set; }

    /// <summary>重点监管: the supervisors inspect this handler first.</summary>
    public bool KeySupervision { get; set; }

    [Classify(DataClass.Personal, "监管部门联系处理者的个人信息保护负责人（加密存储）", Recipients = "个人信息保护监管员")]
    public required byte[] OfficerNameCipher { get; set; }

    [Classify(DataClass.Personal, "监管部门联系处理者的个人信息保护负责人（加密存储）", Recipients = "个人信息保护监管员")]
    public required byte[] OfficerPhoneCipher { get; set; }

    [Classify(DataClass.Personal, "按手机号精确检索负责人（盲索引，不可还原）")]
    public required byte[] OfficerPhoneIndex { get; set; }

    /// <summary>Answers to <see cref="SelfAssessmentChecklist"/> as a JSON object of item key to yes/no.</summary>
    public string SelfAssessment { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum InspectionResult
{
    Compliant = 1,
    FindingsRaised = 2,
    Incomplete = 3,
}

public enum FindingSeverity
{
    Minor = 1,
    Major = 2,
    Severe = 3,
}

/// <summary>An on-site or remote inspection of a handler by the PI supervisors.</summary>
[Classify(DataClass.Internal, "个人信息处理者监督检查", Activity = "个人信息处理者名录")]
public sealed class PiInspection
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid HandlerId { get; init; }

    public DateOnly Date { get; init; }

    [Classify(DataClass.Personal, "记录检查人员")]
    public required string Inspector { get; init; }

    public InspectionResult Result { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A problem found in an inspection; each one opens a rectification case (整改案件).</summary>
[Classify(DataClass.Internal, "个人信息处理者监督检查", Activity = "个人信息处理者名录")]
public sealed class PiFinding
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid InspectionId { get; init; }

    public Guid HandlerId { get; init; }

    [Classify(DataClass.Personal, "记录检查发现的问题（可能提及个人）")]
    public required string Description { get; init; }

    public FindingSeverity Severity { get; init; }

    /// <summary>The rectification case in the case engine.</summary>
    public Guid CaseId { get; init; }

    public required string CaseNo { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed class PiHandlerConfiguration : IEntityTypeConfiguration<PiHandler>
{
    public void Configure(EntityTypeBuilder<PiHandler> e)
    {
        e.HasKey(h => h.Id);
        e.Property(h => h.CreditCode).HasMaxLength(UnifiedSocialCreditCode.Length);
        e.Property(h => h.Name).HasMaxLength(PiHandler.NameMaxLength);
        e.Property(h => h.RegionCode).HasMaxLength(32);
        e.Property(h => h.Industry).HasConversion<string>().HasMaxLength(32);
        e.Property(h => h.Scale).HasConversion<string>().HasMaxLength(32);
        e.Property(h => h.SelfAssessment).HasMaxLength(2000);
        e.HasIndex(h => h.CreditCode).IsUnique();
        e.HasIndex(h => h.OfficerPhoneIndex);
        e.HasIndex(h => new { h.RegionCode, h.Industry });
    }
}

internal sealed class PiInspectionConfiguration : IEntityTypeConfiguration<PiInspection>
{
    public void Configure(EntityTypeBuilder<PiInspection> e)
    {
        e.HasKey(i => i.Id);
        e.Property(i => i.Inspector).HasMaxLength(PiHandler.OfficerNameMaxLength);
        e.Property(i => i.Result).HasConversion<string>().HasMaxLength(32);
        e.HasOne<PiHandler>().WithMany().HasForeignKey(i => i.HandlerId);
        e.HasIndex(i => new { i.HandlerId, i.Date });
    }
}

internal sealed class PiFindingConfiguration : IEntityTypeConfiguration<PiFinding>
{
    public void Configure(EntityTypeBuilder<PiFinding> e)
    {
        e.HasKey(f => f.Id);
        e.Property(f => f.Description).HasMaxLength(PiHandler.TextMaxLength);
        e.Property(f => f.Severity).HasConversion<string>().HasMaxLength(32);
        e.Property(f => f.CaseNo).HasMaxLength(32);
        e.HasOne<PiInspection>().WithMany().HasForeignKey(f => f.InspectionId);
        e.HasIndex(f => f.HandlerId);
    }
}
