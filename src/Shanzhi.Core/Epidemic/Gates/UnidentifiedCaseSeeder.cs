using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Seeds the epidemic follow-up category: group Y01 and Y0101 不明身份人员核查. It has no
/// routing rule or default unit, so the territorial fallback sends each case to the street office
/// of the place's grid, where the grid worker, community worker and police station share the work.
/// Only missing rows are added.
/// </summary>
public sealed class UnidentifiedCaseSeeder : IStoreSeeder
{
    public const string GroupCode = "Y01";
    public const string CategoryCode = "Y0101";
    public const string CategoryName = "不明身份人员核查";

    public int Order => 220;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CategoryGroups.AnyAsync(g => g.Code == GroupCode, cancellationToken))
        {
            db.CategoryGroups.Add(new CategoryGroup { Code = GroupCode, Kind = CaseKind.Module, Name = "疫情防控核查" });
            await db.SaveChangesAsync(cancellationToken);
        }

        if (!await db.Categories.AnyAsync(c => c.Code == CategoryCode, cancellationToken))
        {
            db.Categories.Add(new Category
            {
                Code = CategoryCode,
                GroupCode = GroupCode,
                Name = CategoryName,
                FilingCriterion = "场所核验设备未能识别进出人员身份（未识别）",
                ClosingCriterion = "已找到该人员并完成人口登记，或经核实排除并写明理由",
                HandlingLimit = TimeLimit.Hours(24),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
