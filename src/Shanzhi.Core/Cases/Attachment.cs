namespace Shanzhi.Cases;

public enum AttachmentStage
{
    Report = 1,
    Handling = 2,
    Verification = 3,
}

/// <summary>A photo attached to a case; the bytes live under the data folder, never in the database.</summary>
public sealed class Attachment
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid CaseId { get; init; }

    public AttachmentStage Stage { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>Path relative to the attachments folder.</summary>
    public required string StoragePath { get; init; }

    public Guid? UploadedBy { get; init; }

    public DateTimeOffset UploadedAt { get; init; }
}
