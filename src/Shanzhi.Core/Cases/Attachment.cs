using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

public enum AttachmentStage
{
    Report = 1,
    Handling = 2,
    Verification = 3,
}

/// <summary>A photo attached to a case; the bytes live under the data folder, never in the database.</summary>
[Classify(DataClass.Internal, "案件照片管理", Activity = "城市管理案件受理与处置")]
public sealed class Attachment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CaseId { get; init; }

    public AttachmentStage Stage { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>Path relative to the attachments folder.</summary>
    [Classify(DataClass.Personal, "现场照片，可能拍到人员、车牌、门牌", Recipients = "处置单位")]
    public required string StoragePath { get; init; }

    public Guid? UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}
