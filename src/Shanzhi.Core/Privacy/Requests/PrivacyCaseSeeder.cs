using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Requests;

/// <summary>
/// Seeds the personal-information module: its departments, the P01/P02 module categories with the
/// configured limits, and city-wide routing rules sending data-subject requests to the command
/// centre, which operates the platform. Only missing rows are added, so administrators' changes stay.
/// Runs after the GB/T 30428 catalogue.
/// </summary>
public sealed class PrivacyCaseSeeder(IOptions<CaseOptions> options) : IStoreSeeder
{
    public int Order => 210;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var unitNames = (await db.Units.Select(u => u.Name).ToListAsync(cancellationToken)).ToHashSet();
        db.Units.AddRange(PrivacyCaseCatalog.Departments
            .Where(unitNames.Add)
            .Select(name => new Unit { Name = name, Kind = UnitKind.Department, RegionCode = CityUnits.CityCode }));

        var groups = (await db.CategoryGroups.Select(g => g.Code).ToListAsync(cancellationToken)).ToHashSet();
        db.CategoryGroups.AddRange(PrivacyCaseCatalog.Groups
            .Where(g => !groups.Contains(g.Code))
            .Select(g => new CategoryGroup { Code = g.Code, Kind = CaseKind.Module, Name = g.Name }));
        await db.SaveChangesAsync(cancellationToken);

        var limits = options.Value.PrivacyLimits;
        var units = await db.Units.ToDictionaryAsync(u => u.Name, u => u.Id, cancellationToken);
        var categories = (await db.Categories.Select(c => c.Code).ToListAsync(cancellationToken)).ToHashSet();
        db.Categories.AddRange(PrivacyCaseCatalog.Categories
            .Where(c => !categories.Contains(c.Code))
            .Select(c => new Category
            {
                Code = c.Code,
                GroupCode = c.Code[..3],
                Name = c.Name,
                FilingCriterion = c.FilingCriterion,
                ClosingCriterion = c.ClosingCriterion,
                HandlingLimit = TimeLimit.CalendarDays(c.IsRequest ? limits.RequestDays : limits.ComplaintDays),
                DefaultUnitId = c.DefaultUnit is { } name ? units[name] : null,
            }));

        var ruled = (await db.RoutingRules.Where(r => r.CategoryCode != null).Select(r => r.CategoryCode!).ToListAsync(cancellationToken)).ToHashSet();
        db.RoutingRules.AddRange(PrivacyCaseCatalog.Categories
            .Where(c => c.IsRequest && !ruled.Contains(c.Code))
            .Select(c => new RoutingRule { CategoryCode = c.Code, UnitId = units[CityUnits.CommandCentre] }));
        await db.SaveChangesAsync(cancellationToken);
    }
}
