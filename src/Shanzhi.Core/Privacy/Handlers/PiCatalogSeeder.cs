using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Handlers;

/// <summary>Seeds the module category of rectification cases opened from PI inspection findings.</summary>
public sealed class PiCatalogSeeder : IStoreSeeder
{
    public const string GroupCode = "P03";

    /// <summary>After the GB/T 30428 catalogue (200).</summary>
    public int Order => 210;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CategoryGroups.AnyAsync(g => g.Code == GroupCode, cancellationToken))
        {
            db.CategoryGroups.Add(new CategoryGroup { Code = GroupCode, Kind = CaseKind.Module, Name = "个人信息保护整改" });
        }

        if (!await db.Categories.AnyAsync(c => c.Code == PiHandlerService.RectificationCategory, cancellationToken))
        {
            db.Categories.Add(new Category
            {
                Code = PiHandlerService.RectificationCategory,
                GroupCode = GroupCode,
                Name = "个人信息处理者检查问题整改",
                FilingCriterion = "监督检查发现个人信息处理者存在违反个人信息保护规定的问题",
                ClosingCriterion = "处理者完成整改，经复查确认问题消除",
                HandlingLimit = TimeLimit.Days(20),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
