using System.Globalization;
using Shanzhi.Identity;
using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Registry;

/// <summary>A person as entered on the form or in an import row; clear text only here.</summary>
public sealed record RegisterPersonRequest(string? Name, string? IdNumber, string? Phone, ResidencyClass? Residency, string? HomeGridCode);

/// <summary>A request that passed the field checks, normalised (ID number upper-case, phone digits only).</summary>
public sealed record ValidPerson(string Name, string IdNumber, string? Phone, ResidencyClass Residency, string? HomeGridCode);

/// <summary>Field checks and the scope rule of the registry, shared by the form and the CSV import.</summary>
public static class PersonRules
{
    public const int NameMaxLength = 50;
    public const int ReasonMaxLength = 200;

    public static bool MayUse(StaffPrincipal user) => user.IsInRole(Roles.EpidemicOfficer);

    /// <summary>
    /// City-wide officers: scope at the root or at the city (one code in the path). Only they handle
    /// persons without a home grid, since such a person belongs to no smaller region.
    /// </summary>
    public static bool HasCityScope(StaffPrincipal user) =>
        user.ScopePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Length <= 1;

    /// <summary>Whether <paramref name="user"/> may handle a person whose home grid has <paramref name="gridPath"/> (null: no home grid).</summary>
    public static bool InScope(StaffPrincipal user, string? gridPath) =>
        gridPath is null ? HasCityScope(user) : user.CanSee(gridPath);

    /// <summary>
    /// Every field error of <paramref name="request"/> (the import reports them all), or the normalised person.
    /// <paramref name="today"/> is the Beijing date, the latest birth date an ID number may carry.
    /// </summary>
    public static (ValidPerson? Person, List<Error> Errors) Check(RegisterPersonRequest request, DateOnly today)
    {
        var errors = new List<Error>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add(RegistryErrors.NameRequired);
        }
        else if (new StringInfo(name).LengthInTextElements > NameMaxLength)
        {
            errors.Add(RegistryErrors.NameTooLong);
        }

        if (string.IsNullOrWhiteSpace(request.IdNumber))
        {
            errors.Add(RegistryErrors.IdNumberRequired);
        }
        else if (ChineseIdNumber.Validate(request.IdNumber, "idNumber", today) is { } badId)
        {
            errors.Add(badId);
        }

        var phone = string.IsNullOrWhiteSpace(request.Phone) ? null : request.Phone;
        if (phone is not null && MobileNumber.Validate(phone, "phone") is { } badPhone)
        {
            errors.Add(badPhone);
        }

        if (request.Residency is not { } residency || !Enum.IsDefined(residency))
        {
            errors.Add(RegistryErrors.ResidencyRequired);
            residency = default;
        }

        var grid = string.IsNullOrWhiteSpace(request.HomeGridCode) ? null : request.HomeGridCode.Trim();
        return errors.Count > 0
            ? (null, errors)
            : (new ValidPerson(name, ChineseIdNumber.Normalize(request.IdNumber!), phone is null ? null : MobileNumber.Normalize(phone), residency, grid), errors);
    }

    /// <summary>Reads a residency class written as the enum name or its Chinese name (常住人口, 暂住 …).</summary>
    public static ResidencyClass? ParseResidency(string? text)
    {
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            return null;
        }

        if (Enum.TryParse<ResidencyClass>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsAsciiDigit(value[0]))
        {
            return parsed;
        }

        return value switch
        {
            "常住" or "常住人口" => ResidencyClass.Permanent,
            "暂住" or "登记暂住" or "登记暂住人口" or "暂住人口" => ResidencyClass.RegisteredTemporary,
            "访客" => ResidencyClass.Visitor,
            "流动" or "流动人口" => ResidencyClass.Floating,
            _ => null,
        };
    }
}
