using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Shanzhi.Privacy.Classification;

/// <summary>The resolved class of one stored property.</summary>
public sealed record ClassifiedProperty(string Entity, string Table, string Property, string Column, ClassifyAttribute Classification, string Activity);

/// <summary>Every stored property with its class, and the properties that could not be classified.</summary>
public sealed record ModelClassification(IReadOnlyList<ClassifiedProperty> Properties, IReadOnlyList<string> Problems);

/// <summary>
/// Resolves the <see cref="DataClass"/> of every property of every entity type in an EF model:
/// the property's own <see cref="ClassifyAttribute"/>, else a <see cref="ClassifyMemberAttribute"/>
/// on the type, else the type's default. A property with no class is a problem, and so is one whose
/// name suggests personal data but that only the type default covers: someone must decide about it.
/// </summary>
public static class PersonalDataModel
{
    // Name fragments that suggest a person (lower case). Matching is a prompt to decide, not a verdict.
    private static readonly string[] PersonalNameHints =
        ["name", "phone", "mobile", "email", "address", "idnumber", "latitude", "longitude", "location", "description", "reason", "birth", "gender", "photo", "face", "token", "password"];

    private const string IdentityActivity = "员工账号与登录";

    /// <summary>ASP.NET Identity types we cannot annotate, keyed by generic type definition.</summary>
    private static readonly Dictionary<Type, (ClassifyAttribute Default, Dictionary<string, ClassifyAttribute> Members)> Framework = new()
    {
        [typeof(IdentityRole<>)] = (new(DataClass.Internal, "角色定义") { Activity = IdentityActivity }, new()
        {
            ["Name"] = new(DataClass.Internal, "角色名称"),
            ["NormalizedName"] = new(DataClass.Internal, "角色名称（检索用）"),
        }),
        [typeof(IdentityUserRole<>)] = (new(DataClass.Internal, "员工与角色的对应") { Activity = IdentityActivity }, []),
        [typeof(IdentityRoleClaim<>)] = (new(DataClass.Internal, "角色权限声明") { Activity = IdentityActivity }, []),
        [typeof(IdentityUserClaim<>)] = (new(DataClass.Internal, "员工权限声明") { Activity = IdentityActivity }, new()
        {
            ["ClaimValue"] = new(DataClass.Personal, "员工个人声明值，可能含个人信息"),
        }),
        [typeof(IdentityUserLogin<>)] = (new(DataClass.Internal, "外部登录关联") { Activity = IdentityActivity }, new()
        {
            ["ProviderKey"] = new(DataClass.Personal, "外部身份提供方中的员工标识"),
            ["ProviderDisplayName"] = new(DataClass.Internal, "外部身份提供方名称"),
        }),
        [typeof(IdentityUserToken<>)] = (new(DataClass.Internal, "登录令牌") { Activity = IdentityActivity }, new()
        {
            ["Name"] = new(DataClass.Internal, "令牌名称"),
            ["Value"] = new(DataClass.Sensitive, "双因素认证密钥与恢复码，用于登录校验"),
        }),
    };

    public static ModelClassification Classify(IModel model)
    {
        var properties = new List<ClassifiedProperty>();
        var problems = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var (typeDefault, frameworkMembers) = TypeDefaults(entity.ClrType);
            var activity = typeDefault?.Activity is { Length: > 0 } named ? named : entity.DisplayName();
            var table = entity.GetTableName() ?? entity.Name;
            var members = entity.GetProperties().Select(p => (p.Name, p.PropertyInfo, Column: p.GetColumnName()))
                .Concat(entity.GetComplexProperties().Select(c => (c.Name, c.PropertyInfo, Column: c.Name)));

            foreach (var (name, info, column) in members)
            {
                var own = info?.GetCustomAttribute<ClassifyAttribute>()
                    ?? entity.ClrType.GetCustomAttributes<ClassifyMemberAttribute>().FirstOrDefault(m => m.Member == name)?.ToClassify()
                    ?? frameworkMembers.GetValueOrDefault(name);
                var label = entity.DisplayName() + "." + name;
                if (own is null && typeDefault is null)
                {
                    problems.Add($"{label} has no data class: add [Classify] to the property or a default to the type.");
                    continue;
                }

                if (own is null && LooksPersonal(name))
                {
                    problems.Add($"{label} looks like personal data but only the type default covers it: classify the property itself.");
                    continue;
                }

                properties.Add(new ClassifiedProperty(entity.DisplayName(), table, name, column, own ?? typeDefault!, activity));
            }
        }

        return new ModelClassification(properties, problems);
    }

    private static (ClassifyAttribute? Default, Dictionary<string, ClassifyAttribute> Members) TypeDefaults(Type type)
    {
        if (type.GetCustomAttribute<ClassifyAttribute>(inherit: false) is { } declared)
        {
            return (declared, []);
        }

        return type.IsGenericType && Framework.TryGetValue(type.GetGenericTypeDefinition(), out var framework)
            ? framework
            : (null, []);
    }

    private static bool LooksPersonal(string name)
    {
        var lower = name.ToLowerInvariant();
        return PersonalNameHints.Any(hint => lower.Contains(hint, StringComparison.Ordinal));
    }
}
