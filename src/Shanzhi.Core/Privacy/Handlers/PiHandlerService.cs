using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Handlers;

/// <summary>A handler as entered on the form; the officer's contact is in clear text here only.</summary>
public sealed record SavePiHandlerRequest(
    string CreditCode,
    string Name,
    PiIndustry Industry,
    PiDataScale Scale,
    string RegionCode,
    bool KeySupervision,
    string OfficerName,
    string OfficerPhone,
    IReadOnlyDictionary<string, bool>? SelfAssessment = null);

/// <summary>Filters of the directory; all optional. <paramref name="Text"/> matches the name or the start of the credit code.</summary>
public sealed record PiHandlerQuery(
    string? Text = null,
    PiIndustry? Industry = null,
    PiDataScale? Scale = null,
    bool? KeySupervision = null,
    string? RegionCode = null,
    string? OfficerPhone = null,
    int Page = 1,
    int PageSize = 20);

/// <summary>A handler for display: the officer's name and phone are masked.</summary>
public sealed record PiHandlerView(
    Guid Id,
    string CreditCode,
    string Name,
    PiIndustry Industry,
    string IndustryName,
    PiDataScale Scale,
    string ScaleName,
    string RegionCode,
    bool KeySupervision,
    string OfficerName,
    string OfficerPhone,
    IReadOnlyDictionary<string, bool> SelfAssessment,
    DateTimeOffset UpdatedAt);

/// <summary>The clear contact of a handler's PI officer, returned only by an audited reveal.</summary>
public sealed record PiOfficerContact(Guid HandlerId, string OfficerName, string OfficerPhone);

/// <summary>
/// The directory of personal-information handlers. Only PI supervisors (<see cref="Roles.PiSupervisor"/>)
/// read and maintain it. The officer's contact leaves the service masked, except through
/// <see cref="RevealContactAsync"/>, which requires a reason and is audited either way.
/// </summary>
public sealed partial class PiHandlerService(
    ShanzhiDbContext db,
    FieldCipher cipher,
    BlindIndex blindIndex,
    CaseService cases,
    IAuditLog audit,
    TimeProvider clock,
    ILogger<PiHandlerService> logger)
{
    public const string SubjectType = "PiHandler";

    public const int MaxPageSize = 100;

    /// <summary>Maximum number of rows in one CSV export.</summary>
    public const int MaxExportRows = 10_000;

    public static readonly string OfficerNameContext = EncryptedField.For(PiHandler.Table, PiHandler.OfficerNameColumn).Context;

    public static readonly string OfficerPhoneContext = EncryptedField.For(PiHandler.Table, PiHandler.OfficerPhoneColumn).Context;

    public static bool MayUse(StaffPrincipal user) => user.IsInRole(Roles.PiSupervisor);

    public async Task<Result<PiHandlerView>> CreateAsync(SavePiHandlerRequest request, StaffPrincipal user, CancellationToken cancellationToken) =>
        await SaveAsync(null, request, user, cancellationToken);

    public async Task<Result<PiHandlerView>> UpdateAsync(Guid id, SavePiHandlerRequest request, StaffPrincipal user, CancellationToken cancellationToken) =>
        await SaveAsync(id, request, user, cancellationToken);

    public async Task<Result<PiHandlerView>> GetAsync(Guid id, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        var handler = await db.PiHandlers.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (handler is null)
        {
            return PiHandlerErrors.NotFound;
        }

        // A detail view shows the officer contact masked. It is still a view of a record that contains
        // personal information, so the audit log records who looked at which handler.
        await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType, handler.Id.ToString(),
            Detail: "detail view, officer contact masked"), cancellationToken);
        return ToView(handler);
    }

    public async Task<Result<PagedResult<PiHandlerView>>> ListAsync(PiHandlerQuery query, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var filtered = Filter(query);
        var total = await filtered.CountAsync(cancellationToken);
        var rows = await filtered.OrderBy(h => h.Name).ThenBy(h => h.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new PagedResult<PiHandlerView>([.. rows.Select(ToView)], total, page, pageSize);
    }

    /// <summary>Every handler matching <paramref name="query"/> (paging ignored, at most <see cref="MaxExportRows"/>), masked, and an Exported audit entry.</summary>
    public async Task<Result<IReadOnlyList<PiHandlerView>>> ExportAsync(PiHandlerQuery query, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        var rows = await Filter(query).OrderBy(h => h.Name).ThenBy(h => h.Id).Take(MaxExportRows).ToListAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditAction.Exported, user.UserId, user.DisplayName, SubjectType, null,
            "导出个人信息处理者名录", $"{Describe(query)}; rows={rows.Count}"), cancellationToken);
        logger.HandlersExported(rows.Count);
        return rows.Select(ToView).ToList();
    }

    /// <summary>
    /// The officer's clear contact. The reason becomes the audit entry's purpose; without one the
    /// request is rejected and the rejection is audited too.
    /// </summary>
    public async Task<Result<PiOfficerContact>> RevealContactAsync(Guid id, string? reason, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var subject = id.ToString();
        if (!MayUse(user))
        {
            await audit.AppendAsync(new AuditEntry(AuditAction.RevealRefused, user.UserId, user.DisplayName, SubjectType, subject,
                reason?.Trim(), "role not allowed"), cancellationToken);
            return PiHandlerErrors.Forbidden;
        }

        var handler = await db.PiHandlers.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (handler is null)
        {
            return PiHandlerErrors.NotFound;
        }

        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > PiHandler.ReasonMaxLength)
        {
            await audit.AppendAsync(new AuditEntry(AuditAction.RevealRefused, user.UserId, user.DisplayName, SubjectType, subject,
                null, trimmed.Length == 0 ? "no reason given" : "reason too long"), cancellationToken);
            return trimmed.Length == 0 ? PiHandlerErrors.ReasonRequired : PiHandlerErrors.ReasonTooLong;
        }

        var contact = new PiOfficerContact(handler.Id,
            cipher.Decrypt(handler.OfficerNameCipher, OfficerNameContext),
            cipher.Decrypt(handler.OfficerPhoneCipher, OfficerPhoneContext));
        await audit.AppendAsync(new AuditEntry(AuditAction.Revealed, user.UserId, user.DisplayName, SubjectType, subject,
            trimmed, "officer name and phone"), cancellationToken);
        logger.ContactRevealed(handler.Id);
        return contact;
    }

    private async Task<Result<PiHandlerView>> SaveAsync(Guid? id, SavePiHandlerRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (!MayUse(user))
        {
            return PiHandlerErrors.Forbidden;
        }

        if (await ValidateAsync(request, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        var creditCode = UnifiedSocialCreditCode.Normalize(request.CreditCode);
        var now = clock.GetUtcNow();
        PiHandler? handler = null;
        if (id is { } existing)
        {
            handler = await db.PiHandlers.FirstOrDefaultAsync(h => h.Id == existing, cancellationToken);
            if (handler is null)
            {
                return PiHandlerErrors.NotFound;
            }
        }

        if (await db.PiHandlers.AnyAsync(h => h.CreditCode == creditCode && h.Id != id, cancellationToken))
        {
            return PiHandlerErrors.DuplicateCreditCode;
        }

        var officerName = request.OfficerName.Trim();
        var phone = MobileNumber.Normalize(request.OfficerPhone);
        var assessment = JsonSerializer.Serialize(request.SelfAssessment ?? new Dictionary<string, bool>());
        if (handler is null)
        {
            handler = new PiHandler
            {
                CreditCode = creditCode,
                Name = request.Name.Trim(),
                RegionCode = request.RegionCode.Trim(),
                OfficerNameCipher = cipher.Encrypt(officerName, OfficerNameContext),
                OfficerPhoneCipher = cipher.Encrypt(phone, OfficerPhoneContext),
                OfficerPhoneIndex = blindIndex.Compute(BlindIndexKind.Phone, phone),
                CreatedAt = now,
            };
            db.PiHandlers.Add(handler);
        }
        else
        {
            handler.CreditCode = creditCode;
            handler.Name = request.Name.Trim();
            handler.RegionCode = request.RegionCode.Trim();
            handler.OfficerNameCipher = cipher.Encrypt(officerName, OfficerNameContext);
            handler.OfficerPhoneCipher = cipher.Encrypt(phone, OfficerPhoneContext);
            handler.OfficerPhoneIndex = blindIndex.Compute(BlindIndexKind.Phone, phone);
        }

        handler.Industry = request.Industry;
        handler.Scale = request.Scale;
        handler.KeySupervision = request.KeySupervision;
        handler.SelfAssessment = assessment;
        handler.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        logger.HandlerSaved(handler.Id, id is null);
        return ToView(handler);
    }

    private async Task<Error?> ValidateAsync(SavePiHandlerRequest request, CancellationToken cancellationToken)
    {
        if (!UnifiedSocialCreditCode.IsValid(request.CreditCode))
        {
            return PiHandlerErrors.InvalidCreditCode;
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            return PiHandlerErrors.NameRequired;
        }

        if (name.Length > PiHandler.NameMaxLength)
        {
            return PiHandlerErrors.NameTooLong;
        }

        var officer = request.OfficerName?.Trim() ?? "";
        if (officer.Length == 0)
        {
            return PiHandlerErrors.OfficerNameRequired;
        }

        if (officer.Length > PiHandler.OfficerNameMaxLength)
        {
            return PiHandlerErrors.OfficerNameTooLong;
        }

        if (MobileNumber.Validate(request.OfficerPhone ?? "", "officerPhone") is { } badPhone)
        {
            return badPhone;
        }

        if (request.SelfAssessment?.Keys.Any(k => !SelfAssessmentChecklist.Items.ContainsKey(k)) == true)
        {
            return PiHandlerErrors.UnknownChecklistItem;
        }

        var regionCode = request.RegionCode?.Trim() ?? "";
        return await db.Regions.AnyAsync(r => r.Code == regionCode && r.Level == RegionLevel.District, cancellationToken)
            ? null
            : PiHandlerErrors.UnknownRegion;
    }

    private IQueryable<PiHandler> Filter(PiHandlerQuery query)
    {
        var handlers = db.PiHandlers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var text = query.Text.Trim();
            var code = text.ToUpperInvariant();
            handlers = handlers.Where(h => h.Name.Contains(text) || h.CreditCode.StartsWith(code));
        }

        if (query.Industry is { } industry)
        {
            handlers = handlers.Where(h => h.Industry == industry);
        }

        if (query.Scale is { } scale)
        {
            handlers = handlers.Where(h => h.Scale == scale);
        }

        if (query.KeySupervision is { } key)
        {
            handlers = handlers.Where(h => h.KeySupervision == key);
        }

        if (!string.IsNullOrWhiteSpace(query.RegionCode))
        {
            var region = query.RegionCode.Trim();
            handlers = handlers.Where(h => h.RegionCode == region);
        }

        if (!string.IsNullOrWhiteSpace(query.OfficerPhone))
        {
            var index = blindIndex.Compute(BlindIndexKind.Phone, query.OfficerPhone);
            handlers = handlers.Where(h => h.OfficerPhoneIndex == index);
        }

        return handlers;
    }

    /// <summary>The filter for the audit detail; a searched phone is masked, never written in clear.</summary>
    private static string Describe(PiHandlerQuery query) => string.Join(", ", new[]
    {
        query.Text is { Length: > 0 } text ? $"text={text}" : null,
        query.Industry is { } industry ? $"industry={industry}" : null,
        query.Scale is { } scale ? $"scale={scale}" : null,
        query.KeySupervision is { } key ? $"keySupervision={key}" : null,
        query.RegionCode is { Length: > 0 } region ? $"region={region}" : null,
        query.OfficerPhone is { Length: > 0 } phone ? $"officerPhone={Masking.Phone(phone)}" : null,
    }.Where(p => p is not null).DefaultIfEmpty("filter=none"));

    private PiHandlerView ToView(PiHandler h) => new(
        h.Id,
        h.CreditCode,
        h.Name,
        h.Industry,
        PiHandlerNames.Chinese(h.Industry),
        h.Scale,
        PiHandlerNames.Chinese(h.Scale),
        h.RegionCode,
        h.KeySupervision,
        Masking.Name(cipher.Decrypt(h.OfficerNameCipher, OfficerNameContext)),
        Masking.Phone(cipher.Decrypt(h.OfficerPhoneCipher, OfficerPhoneContext)),
        JsonSerializer.Deserialize<Dictionary<string, bool>>(h.SelfAssessment) ?? [],
        h.UpdatedAt);
}
