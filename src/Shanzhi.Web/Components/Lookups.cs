using Microsoft.EntityFrameworkCore;
using Shanzhi.Geography;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Web.Components;

public sealed record CategoryOption(string Code, string Name, string GroupName);

public sealed record NamedOption(Guid Id, string Name);

public sealed record RegionOption(string Code, string Name, string Path);

/// <summary>Reference lists the console shows in selects and uses to name codes and ids.</summary>
public sealed class Lookups
{
    public IReadOnlyList<CategoryOption> Categories { get; private init; } = [];

    public IReadOnlyList<NamedOption> Units { get; private init; } = [];

    public IReadOnlyList<RegionOption> Districts { get; private init; } = [];

    public string CategoryName(string? code) =>
        code is null ? "未分类" : Categories.FirstOrDefault(c => c.Code == code)?.Name ?? code;

    public string UnitName(Guid? id) =>
        id is null ? "—" : Units.FirstOrDefault(u => u.Id == id)?.Name ?? "（已停用单位）";

    /// <summary>District of a region path such as <c>/330200/330203/…</c>.</summary>
    public string DistrictName(string regionPath) =>
        Districts.FirstOrDefault(d => regionPath.StartsWith(d.Path, StringComparison.Ordinal))?.Name ?? "—";

    public static async Task<Lookups> LoadAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.CategoryGroups.AsNoTracking().ToDictionaryAsync(g => g.Code, g => g.Name, cancellationToken);
        var categories = await db.Categories.AsNoTracking()
            .Where(c => c.IsActive)
            .OrderBy(c => c.Code)
            .Select(c => new { c.Code, c.Name, c.GroupCode })
            .ToListAsync(cancellationToken);
        var units = await db.Units.AsNoTracking()
            .Where(u => u.IsActive)
            .OrderBy(u => u.Name)
            .Select(u => new NamedOption(u.Id, u.Name))
            .ToListAsync(cancellationToken);
        var districts = await db.Regions.AsNoTracking()
            .Where(r => r.Level == RegionLevel.District)
            .OrderBy(r => r.Code)
            .Select(r => new RegionOption(r.Code, r.Name, r.Path))
            .ToListAsync(cancellationToken);

        return new Lookups
        {
            Categories = categories
                .Select(c => new CategoryOption(c.Code, c.Name, groups.GetValueOrDefault(c.GroupCode, c.GroupCode)))
                .ToList(),
            Units = units,
            Districts = districts,
        };
    }

    /// <summary>
    /// Staff the case engine accepts as the verifier of a case in <paramref name="caseRegionPath"/>,
    /// for the 发起核查 action: verifiers and grid workers whose scope covers the case.
    /// </summary>
    public static async Task<IReadOnlyList<NamedOption>> LoadVerifiersAsync(ShanzhiDbContext db, string caseRegionPath, CancellationToken cancellationToken)
    {
        var candidates = await (from user in db.Users.AsNoTracking()
                                join userRole in db.UserRoles on user.Id equals userRole.UserId
                                join role in db.Roles on userRole.RoleId equals role.Id
                                where role.Name == Roles.Verifier || role.Name == Roles.GridWorker
                                select new { user.Id, user.DisplayName, user.ScopePath })
            .ToListAsync(cancellationToken);
        return candidates
            .Where(u => caseRegionPath.StartsWith(u.ScopePath, StringComparison.Ordinal))
            .DistinctBy(u => u.Id)
            .OrderBy(u => u.DisplayName, StringComparer.Ordinal)
            .Select(u => new NamedOption(u.Id, u.DisplayName))
            .ToList();
    }
}
