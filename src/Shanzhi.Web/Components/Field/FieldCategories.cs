using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Web.Components.Field;

/// <summary>
/// Categories a field worker reports: the city-management catalogue of GB/T 30428 (部件 and 事件).
/// Module categories (personal-information requests, epidemic follow-ups, grid duty hand-overs)
/// are opened by their modules, so the report form neither offers nor accepts them.
/// </summary>
public static class FieldCategories
{
    public static async Task<IReadOnlyList<CategoryOption>> LoadAsync(ShanzhiDbContext db, CancellationToken cancellationToken) =>
        await (from category in db.Categories.AsNoTracking()
               join categoryGroup in db.CategoryGroups.AsNoTracking() on category.GroupCode equals categoryGroup.Code
               where category.IsActive && categoryGroup.Kind != CaseKind.Module
               orderby category.Code
               select new CategoryOption(category.Code, category.Name, categoryGroup.Name))
            .ToListAsync(cancellationToken);
}
