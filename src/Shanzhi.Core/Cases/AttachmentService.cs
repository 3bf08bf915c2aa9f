using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// Photos attached to cases: JPEG, PNG or WebP only, checked by their first bytes as well as the
/// declared type, stored under the attachment folder as yyyy/MM/{id}.ext (UTC month of upload),
/// and served only to users whose region scope contains the case.
/// </summary>
public sealed class AttachmentService(
    ShanzhiDbContext db,
    StorageOptions storage,
    TimeProvider clock,
    IOptions<CaseOptions> options,
    ILogger<AttachmentService> logger)
{
    /// <summary>Attempts to record the attachment when another action changes the case at the same moment.</summary>
    private const int MaxSaveAttempts = 3;

    public async Task<Result<Attachment>> AddAsync(Guid caseId, AttachmentStage stage, string contentType, Stream content,
        StaffPrincipal user, CancellationToken cancellationToken)
    {
        var @case = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        if (@case is null || !user.CanSee(@case.RegionPath))
        {
            return CaseErrors.NotFound;
        }

        if (!CasePermissions.Reporters.Any(user.IsInRole))
        {
            return AttachmentErrors.Forbidden;
        }

        if (!Enum.IsDefined(stage))
        {
            return AttachmentErrors.InvalidStage;
        }

        if (!MayAttach(@case, stage, user))
        {
            return AttachmentErrors.StageForbidden(stage);
        }

        var bytes = await ReadAtMostAsync(content, MaxBytes + 1, cancellationToken);
        if (CheckPhoto(bytes, contentType) is { } invalid)
        {
            return invalid;
        }

        var format = ImageFormat.Detect(bytes)!;

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var attachment = new Attachment
        {
            Id = id,
            CaseId = caseId,
            Stage = stage,
            ContentType = format.ContentType,
            Size = bytes.Length,
            StoragePath = string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyy}/{now.UtcDateTime:MM}/{id}{format.Extension}"),
            UploadedBy = user.UserId,
            UploadedAt = now,
        };

        var path = FullPath(attachment);
        await WriteDurablyAsync(path, bytes, cancellationToken);
        try
        {
            if (await RecordAsync(@case, attachment, user, now, cancellationToken) is { } error)
            {
                File.Delete(path);
                return error;
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        logger.AttachmentAdded(attachment.Id, attachment.Size, @case.CaseNo);
        return attachment;
    }

    /// <summary>Largest photo accepted, in bytes (<c>Cases:Attachments:MaxBytes</c>).</summary>
    public long MaxBytes => options.Value.Attachments.MaxBytes;

    /// <summary>
    /// Checks a photo's size and format without storing anything, so a form can refuse a bad photo
    /// before it records the report the photo belongs to.
    /// </summary>
    public Error? CheckPhoto(ReadOnlySpan<byte> bytes, string? contentType)
    {
        if (bytes.Length > MaxBytes)
        {
            return AttachmentErrors.TooLarge(MaxBytes);
        }

        if (bytes.Length == 0)
        {
            return AttachmentErrors.Empty;
        }

        return ImageFormat.Detect(bytes) is { } format && format.Matches(contentType) ? null : AttachmentErrors.UnsupportedType;
    }

    public async Task<Result<(Attachment Attachment, Stream Content)>> OpenAsync(Guid attachmentId, StaffPrincipal user,
        CancellationToken cancellationToken)
    {
        var attachment = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attachmentId, cancellationToken);
        if (attachment is null || !await CanSeeCaseAsync(attachment.CaseId, user, cancellationToken))
        {
            return AttachmentErrors.NotFound;
        }

        try
        {
            Stream content = new FileStream(FullPath(attachment), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            return (attachment, content);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            logger.AttachmentFileMissing(attachment.Id, attachment.StoragePath);
            return AttachmentErrors.NotFound;
        }
    }

    /// <summary>The case's attachments in upload order.</summary>
    public async Task<Result<IReadOnlyList<Attachment>>> ListAsync(Guid caseId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!await CanSeeCaseAsync(caseId, user, cancellationToken))
        {
            return CaseErrors.NotFound;
        }

        return await db.Attachments.AsNoTracking()
            .Where(a => a.CaseId == caseId)
            .OrderBy(a => a.UploadedAt)
            .ThenBy(a => a.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the attachment row and the case's AttachmentAdded event in one transaction. Adding a
    /// photo does not depend on the case's state beyond "not finished", so a concurrent change is
    /// retried on the reloaded case instead of failing the upload.
    /// </summary>
    private async Task<Error?> RecordAsync(Case @case, Attachment attachment, StaffPrincipal user, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (CaseStates.IsTerminal(@case.State))
            {
                return AttachmentErrors.CaseFinished;
            }

            db.Attachments.Add(attachment);
            @case.RecordAttachment(attachment.Id, attachment.Stage, user.AsActor(), now);
            var error = await db.SaveCaseAsync(@case, audit: null, cancellationToken);
            if (error is null || attempt == MaxSaveAttempts)
            {
                return error;
            }

            @case = await db.Cases.FirstAsync(c => c.Id == @case.Id, cancellationToken);
        }
    }

    private async Task<bool> CanSeeCaseAsync(Guid caseId, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var regionPath = await db.Cases.Where(c => c.Id == caseId).Select(c => c.RegionPath).FirstOrDefaultAsync(cancellationToken);
        return regionPath is not null && user.CanSee(regionPath);
    }

    private string FullPath(Attachment attachment) =>
        Path.Combine(storage.AttachmentDirectory, attachment.StoragePath.Replace('/', Path.DirectorySeparatorChar));

    private static async Task<byte[]> ReadAtMostAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await content.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes to a temporary file, flushes it to disk and renames it, so a crash never leaves half a photo.</summary>
    private static async Task WriteDurablyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".part";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await file.WriteAsync(bytes, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Whether the user may add photos of that stage: handling photos come from the dispatched
    /// unit, verification photos from a site checker who did not handle the case, report photos
    /// from anyone who may report. Keeping the stages apart keeps handling and verification apart.
    /// </summary>
    private static bool MayAttach(Case @case, AttachmentStage stage, StaffPrincipal user)
    {
        if (user.UserId is null)
        {
            return true;
        }

        return stage switch
        {
            AttachmentStage.Report => CasePermissions.Reporters.Any(user.IsInRole),
            AttachmentStage.Handling => user.IsInRole(Roles.UnitHandler) && user.UnitId is { } unit && unit == @case.UnitId,
            AttachmentStage.Verification => user.IsInAnyRole(Roles.Verifier, Roles.GridWorker) && user.UserId != @case.HandlerId,
            _ => false,
        };
    }
}

/// <summary>An accepted image format, recognised by its signature bytes.</summary>
internal sealed record ImageFormat(string ContentType, string Extension)
{
    private static readonly ImageFormat Jpeg = new("image/jpeg", ".jpg");
    private static readonly ImageFormat Png = new("image/png", ".png");
    private static readonly ImageFormat Webp = new("image/webp", ".webp");

    /// <summary>
    /// Detects the format from the signature and checks that the file is whole: FF D8 FF … FF D9
    /// (JPEG start and end-of-image markers), 89 "PNG" 0D 0A 1A 0A … "IEND" (PNG), or a RIFF
    /// container of form type "WEBP" whose declared size matches the file.
    /// </summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 4 && bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) && bytes[3..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) >= 0)
        {
            return Jpeg;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) && bytes.IndexOf("IEND"u8) > 8)
        {
            return Png;
        }

        return bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)
            && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..8]) + 8L == bytes.Length
            ? Webp
            : null;
    }

    /// <summary>Whether a declared media type (parameters such as <c>; charset</c> ignored) names this format.</summary>
    public bool Matches(string? declared)
    {
        var mediaType = declared?.Split(';')[0].Trim();
        return string.Equals(mediaType, ContentType, StringComparison.OrdinalIgnoreCase);
    }
}
