using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Identity;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

public sealed record RegisterKeyPersonRequest(string GridCode, string Category, string Name, string Phone, string Address);

/// <summary>A key person for lists: name, phone and address masked.</summary>
public sealed record KeyPersonView(Guid Id, string GridCode, string Category, string CategoryName, string Name, string Phone, string Address);

/// <summary>The clear record, returned only by an audited reveal with a purpose.</summary>
public sealed record KeyPersonDetail(Guid Id, string Category, string Name, string Phone, string Address);

/// <summary>
/// Key persons of a grid. Only the grid's current workers and leaders whose scope covers the grid
/// see them. Lists are masked and audited as views; a reveal needs a purpose and is audited, and
/// so is a refused one.
/// </summary>
public sealed class KeyPersonService(
    ShanzhiDbContext db,
    FieldCipher cipher,
    IAuditLog audit,
    TimeProvider clock,
    IOptions<GridOptions> options,
    ILogger<KeyPersonService> logger)
{
    public const string SubjectType = "KeyPerson";
    public const int NameMaxLength = 50;
    public const int AddressMaxLength = 200;
    public const int PurposeMaxLength = 200;

    public static readonly string NameContext = EncryptedField.For(KeyPerson.Table, KeyPerson.NameColumn).Context;
    public static readonly string PhoneContext = EncryptedField.For(KeyPerson.Table, KeyPerson.PhoneColumn).Context;
    public static readonly string AddressContext = EncryptedField.For(KeyPerson.Table, KeyPerson.AddressColumn).Context;

    public async Task<Result<KeyPersonView>> RegisterAsync(RegisterKeyPersonRequest request, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await GridRegions.FindAsync(db, request.GridCode, user, cancellationToken) is not { } grid
            || !await MayAccessAsync(grid.Code, grid.Path, user, cancellationToken))
        {
            return GridErrors.GridNotFound;
        }

        var categories = options.Value.KeyPersonCategories;
        if (!categories.ContainsKey(request.Category ?? ""))
        {
            return GridErrors.UnknownKeyPersonCategory(categories.Values);
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > NameMaxLength)
        {
            return GridErrors.KeyPersonNameRequired;
        }

        if (MobileNumber.Validate(request.Phone ?? "", "phone") is { } badPhone)
        {
            return badPhone;
        }

        var address = request.Address?.Trim() ?? "";
        if (address.Length is 0 or > AddressMaxLength)
        {
            return GridErrors.KeyPersonAddressRequired;
        }

        var person = new KeyPerson
        {
            GridCode = grid.Code,
            GridPath = grid.Path,
            Category = request.Category!,
            NameCipher = cipher.Encrypt(name, NameContext),
            PhoneCipher = cipher.Encrypt(MobileNumber.Normalize(request.Phone!), PhoneContext),
            AddressCipher = cipher.Encrypt(address, AddressContext),
            CreatedAt = clock.GetUtcNow(),
            CreatedBy = user.UserId,
        };
        db.KeyPersons.Add(person);
        await db.SaveChangesAsync(cancellationToken);
        return ToView(person);
    }

    /// <summary>The grid's key persons, masked. The list is a view of sensitive records, so it is audited.</summary>
    public async Task<Result<IReadOnlyList<KeyPersonView>>> ListAsync(string gridCode, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (await GridRegions.FindAsync(db, gridCode, user, cancellationToken) is not { } grid
            || !await MayAccessAsync(grid.Code, grid.Path, user, cancellationToken))
        {
            return GridErrors.GridNotFound;
        }

        var people = await db.KeyPersons.AsNoTracking().Where(k => k.GridCode == grid.Code && k.RemovedAt == null)
            .OrderBy(k => k.Category).ThenBy(k => k.Id).ToListAsync(cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditAction.RecordViewed, user.UserId, user.DisplayName, SubjectType, grid.Code,
            Detail: $"key-person list of grid, masked; rows={people.Count}"), cancellationToken);
        return people.Select(ToView).ToList();
    }

    public async Task<Result<KeyPersonDetail>> RevealAsync(Guid id, string? purpose, StaffPrincipal user, CancellationToken cancellationToken)
    {
        var subject = id.ToString();
        var person = await db.KeyPersons.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id && k.RemovedAt == null, cancellationToken);
        if (person is null || !user.CanSee(person.GridPath) || !await MayAccessAsync(person.GridCode, person.GridPath, user, cancellationToken))
        {
            await audit.AppendAsync(new AuditEntry(AuditAction.RevealRefused, user.UserId, user.DisplayName, SubjectType, subject,
                purpose?.Trim(), "not a worker or leader of the grid"), cancellationToken);
            return GridErrors.KeyPersonNotFound;
        }

        var trimmed = purpose?.Trim() ?? "";
        if (trimmed.Length is 0 or > PurposeMaxLength)
        {
            await audit.AppendAsync(new AuditEntry(AuditAction.RevealRefused, user.UserId, user.DisplayName, SubjectType, subject,
                null, trimmed.Length == 0 ? "no purpose given" : "purpose too long"), cancellationToken);
            return GridErrors.PurposeRequired;
        }

        var detail = new KeyPersonDetail(person.Id, person.Category,
            cipher.Decrypt(person.NameCipher, NameContext),
            cipher.Decrypt(person.PhoneCipher, PhoneContext),
            cipher.Decrypt(person.AddressCipher, AddressContext));
        await audit.AppendAsync(new AuditEntry(AuditAction.Revealed, user.UserId, user.DisplayName, SubjectType, subject, trimmed,
            "name, phone and address"), cancellationToken);
        logger.KeyPersonRevealed(person.Id, user.UserId);
        return detail;
    }

    /// <summary>Current workers of the grid, and leaders whose scope covers it.</summary>
    private async Task<bool> MayAccessAsync(string gridCode, string gridPath, StaffPrincipal user, CancellationToken cancellationToken)
    {
        if (user.IsInRole(Roles.Leader) && user.CanSee(gridPath))
        {
            return true;
        }

        return user.IsInRole(Roles.GridWorker) && user.UserId is { } id
            && await db.GridAssignments.AnyAsync(a => a.UserId == id && a.GridCode == gridCode && a.ValidTo == null, cancellationToken);
    }

    private KeyPersonView ToView(KeyPerson k) => new(k.Id, k.GridCode, k.Category,
        options.Value.KeyPersonCategories.GetValueOrDefault(k.Category, k.Category),
        Masking.Name(cipher.Decrypt(k.NameCipher, NameContext)),
        Masking.Phone(cipher.Decrypt(k.PhoneCipher, PhoneContext)),
        Masking.Address(cipher.Decrypt(k.AddressCipher, AddressContext)));
}
