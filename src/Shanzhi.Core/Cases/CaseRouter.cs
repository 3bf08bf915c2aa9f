using Microsoft.EntityFrameworkCore;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// Finds the one accountable unit for a case: the most specific routing rule, else the category's
/// default unit, else the territorial fallback (属地兜底), the deepest street or district
/// government whose territory contains the case. Inactive units are skipped at every step.
/// </summary>
// TODO: route to the asset owner first when the case names a component, once an asset registry exists.
public sealed class CaseRouter(ShanzhiDbContext db)
{
    public async Task<Result<RoutingProposal>> ProposeAsync(string? categoryCode, string regionPath, CancellationToken cancellationToken)
    {
        var proposal = await ByRuleAsync(categoryCode, regionPath, cancellationToken)
            ?? await ByCategoryAsync(categoryCode, cancellationToken)
            ?? await ByTerritoryAsync(regionPath, cancellationToken);
        return proposal is null ? CaseErrors.NoResponsibleUnit : proposal;
    }

    /// <summary>Picks the matching rule: one for the category beats one for every category, then the deeper region wins.</summary>
    private async Task<RoutingProposal?> ByRuleAsync(string? categoryCode, string regionPath, CancellationToken cancellationToken)
    {
        var candidates = await (
                from rule in db.RoutingRules
                join unit in db.Units on rule.UnitId equals unit.Id
                where unit.IsActive && (rule.CategoryCode == null || rule.CategoryCode == categoryCode)
                select new { rule.CategoryCode, rule.RegionPath, unit.Id, unit.Name })
            .ToListAsync(cancellationToken);

        var best = candidates
            .Where(c => c.RegionPath is null || regionPath.StartsWith(c.RegionPath, StringComparison.Ordinal))
            .OrderByDescending(c => c.CategoryCode is not null)
            .ThenByDescending(c => c.RegionPath?.Length ?? 0)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best is null)
        {
            return null;
        }

        var categoryText = best.CategoryCode is null ? "全部类别" : $"类别 {best.CategoryCode}";
        var regionText = best.RegionPath is null ? "全市" : $"区域 {LastCode(best.RegionPath)}";
        return new RoutingProposal(best.Id, best.Name, $"派遣规则：{categoryText}，{regionText}");
    }

    private async Task<RoutingProposal?> ByCategoryAsync(string? categoryCode, CancellationToken cancellationToken)
    {
        if (categoryCode is null)
        {
            return null;
        }

        var match = await (
                from category in db.Categories
                join unit in db.Units on category.DefaultUnitId equals unit.Id
                where category.Code == categoryCode && unit.IsActive
                select new { category.Name, UnitId = unit.Id, UnitName = unit.Name })
            .FirstOrDefaultAsync(cancellationToken);
        return match is null
            ? null
            : new RoutingProposal(match.UnitId, match.UnitName, $"类别默认责任单位：{categoryCode} {match.Name}");
    }

    private async Task<RoutingProposal?> ByTerritoryAsync(string regionPath, CancellationToken cancellationToken)
    {
        var codes = regionPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var units = await db.Units
            .Where(u => u.IsActive && (u.Kind == UnitKind.Street || u.Kind == UnitKind.DistrictGovernment) && codes.Contains(u.RegionCode))
            .Select(u => new { u.Id, u.Name, u.RegionCode })
            .ToListAsync(cancellationToken);

        var deepest = units
            .OrderByDescending(u => Array.IndexOf(codes, u.RegionCode))
            .ThenBy(u => u.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return deepest is null
            ? null
            : new RoutingProposal(deepest.Id, deepest.Name, $"属地兜底：案发地所属区域 {deepest.RegionCode} 的属地政府");
    }

    private static string LastCode(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
}
