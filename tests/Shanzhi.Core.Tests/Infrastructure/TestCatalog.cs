using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Tests.Infrastructure;

/// <summary>
/// Catalogue entries the case tests use. Inserts only the codes a store does not have yet, so it
/// works beside a catalogue seeder that may already have written some of them.
/// </summary>
public static class TestCatalog
{
    private static readonly CategoryGroup[] Groups =
    [
        new() { Code = "C01", Kind = CaseKind.Component, Name = "公用设施" },
        new() { Code = "C02", Kind = CaseKind.Component, Name = "道路交通" },
        new() { Code = "E01", Kind = CaseKind.Event, Name = "市容环境" },
        new() { Code = "E02", Kind = CaseKind.Event, Name = "宣传广告" },
        new() { Code = "E05", Kind = CaseKind.Event, Name = "街面秩序" },
        new() { Code = "E06", Kind = CaseKind.Event, Name = "其他事件" },
    ];

    private static readonly (string Code, string Name, TimeLimit Limit)[] Categories =
    [
        ("C0101", "上水井盖", TimeLimit.Days(1)),
        ("C0205", "路灯", TimeLimit.Days(3)),
        ("E0101", "暴露垃圾", TimeLimit.Hours(4)),
        ("E0102", "积存垃圾渣土", TimeLimit.Days(1)),
        ("E0103", "道路不洁", TimeLimit.Hours(2)),
        ("E0104", "水域不洁", TimeLimit.Days(15)),
        ("E0106", "乱堆物料/大件垃圾", TimeLimit.Days(1)),
        ("E0107", "废弃家具家电", TimeLimit.Days(3)),
        ("E0108", "动物尸体", TimeLimit.Hours(4)),
        ("E0203", "乱涂写", TimeLimit.Days(2)),
        ("E0505", "流浪乞讨", TimeLimit.Days(1)),
        ("E0601", "其他事件", TimeLimit.Days(5)),
    ];

    public static async Task EnsureAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var groups = await db.CategoryGroups.Select(g => g.Code).ToListAsync(cancellationToken);
        db.CategoryGroups.AddRange(Groups
            .Where(g => !groups.Contains(g.Code))
            .Select(g => new CategoryGroup { Code = g.Code, Kind = g.Kind, Name = g.Name }));

        var categories = await db.Categories.Select(c => c.Code).ToListAsync(cancellationToken);
        db.Categories.AddRange(Categories
            .Where(c => !categories.Contains(c.Code))
            .Select(c => new Category
            {
                Code = c.Code,
                GroupCode = c.Code[..3],
                Name = c.Name,
                FilingCriterion = "测试用立案标准",
                ClosingCriterion = "测试用结案标准",
                HandlingLimit = c.Limit,
            }));

        await db.SaveChangesAsync(cancellationToken);
    }
}
