using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Web.Components.Field;

/// <summary>
/// Categories a field worker reports: the city-management catalogue of GB/T 30428 (部件 and 事件).
/// Module categories (personal-information requests, epidemic follow-ups, grid duty hand-overs)
/// are opened by their modules, so the report form neither offers nor accepts them, and the JSON
/// case API rejects them from field-only workers.
/// </summary>
public static class FieldCategories
{
    public static readonly Error ModuleCategoryRejected = Error.Forbidden("case.category_not_for_field",
        "网格员只能上报城市管理类（部件、事件）问题。个人信息保护、疫情防控、网格事项移交等专项案件由相应模块生成，不能在此上报；拿不准类别时可不填，由指挥中心判定。");

    /// <summary>
    /// Whether <paramref name="code"/> names a category of a module group. An unknown code is not a
    /// module category, so the case service reports it with its own error.
    /// </summary>
    public static async Task<bool> IsModuleCategoryAsync(ShanzhiDbContext db, string code, CancellationToken cancellationToken) =>
        await (from category in db.Categories.AsNoTracking()
               join categoryGroup in db.CategoryGroups.AsNoTracking() on category.GroupCode equals categoryGroup.Code
               where category.Code == code && categoryGroup.Kind == CaseKind.Module
               select category.Code)
            .AnyAsync(cancellationToken);

    public static async Task<IReadOnlyList<CategoryOption>> LoadAsync(ShanzhiDbContext db, CancellationToken cancellationToken) =>
        await (from category in db.Categories.AsNoTracking()
               join categoryGroup in db.CategoryGroups.AsNoTracking() on category.GroupCode equals categoryGroup.Code
               where category.IsActive && categoryGroup.Kind != CaseKind.Module
               orderby category.Code
               select new CategoryOption(category.Code, category.Name, categoryGroup.Name))
            .ToListAsync(cancellationToken);
}
