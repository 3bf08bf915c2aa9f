using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Investigations;

/// <summary>
/// Seeds the Y02 module group with the follow-up categories for close contacts (密接) and their
/// contacts (次密接). Neither has a default unit, so a case goes to the territorial government of
/// its grid (属地兜底) unless an administrator adds a routing rule. Only missing rows are added.
/// </summary>
public sealed class FollowUpCatalogSeeder : IStoreSeeder
{
    public const string GroupCode = "Y02";
    public const string CloseContactCategory = "Y0201";
    public const string SecondaryContactCategory = "Y0202";

    /// <summary>After the GB/T 30428 catalogue (200).</summary>
    public int Order => 220;

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CategoryGroups.AnyAsync(g => g.Code == GroupCode, cancellationToken))
        {
            db.CategoryGroups.Add(new CategoryGroup { Code = GroupCode, Kind = CaseKind.Module, Name = "流调随访管控" });
        }

        // Management periods of the 9th edition: close contacts 7 days central isolation plus 3 days
        // home monitoring, contacts of contacts 7 days home isolation.
        var categories = new[]
        {
            new Category
            {
                Code = CloseContactCategory,
                GroupCode = GroupCode,
                Name = "密接人员管控",
                FilingCriterion = "流调追踪确定的密切接触者，居住地或接触场所在本网格",
                ClosingCriterion = "名单内人员均已落实隔离管控，管控期满并解除，或经核实排除",
                HandlingLimit = TimeLimit.CalendarDays(10),
            },
            new Category
            {
                Code = SecondaryContactCategory,
                GroupCode = GroupCode,
                Name = "次密接人员管控",
                FilingCriterion = "流调追踪确定的密接的密接，居住地或接触场所在本网格",
                ClosingCriterion = "名单内人员均已落实居家隔离，管控期满并解除，或经核实排除",
                HandlingLimit = TimeLimit.CalendarDays(7),
            },
        };
        var existing = (await db.Categories.Where(c => c.GroupCode == GroupCode).Select(c => c.Code).ToListAsync(cancellationToken)).ToHashSet();
        db.Categories.AddRange(categories.Where(c => !existing.Contains(c.Code)));
        await db.SaveChangesAsync(cancellationToken);
    }
}
