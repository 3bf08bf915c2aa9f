using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

/// <summary>
/// Seeds the grid module's case category (handed-over duty tasks), the duty catalogue and the
/// baseline admission of every seeded duty for the whole city. Only missing rows are added, so
/// what administrators changed stays changed, and a withdrawn duty is not admitted again.
/// </summary>
// NOTE: the list follows the common items of Zhejiang's grid-duty admission lists (网格事项准入清单),
// and each city publishes its own. The units are the closest seeded city departments, because the seed
// data has no justice or police unit for disputes and floating-population registration. The minutes
// per task are working assumptions for administrators to adjust.
public sealed class GridCatalogSeeder(TimeProvider clock) : IStoreSeeder
{
    public const string GroupCode = "G01";

    public const string HandedOverDutyCategory = "G0101";

    /// <summary>After the GB/T 30428 catalogue (200) and the PI categories (210).</summary>
    public int Order => 220;

    internal static IReadOnlyList<DutyKind> Duties { get; } =
    [
        Duty("D01", "安全隐患排查", "排查房屋、场所、设施的安全隐患并上报", CityUnits.Housing, 45),
        Duty("D02", "矛盾纠纷调解", "邻里、家庭、物业等矛盾纠纷的排查与初步调解", CityUnits.CivilAffairs, 60),
        Duty("D03", "重点人员走访", "对社区矫正、精神障碍等重点人员的定期走访", CityUnits.CivilAffairs, 30, keyPerson: true),
        Duty("D04", "出租房屋检查", "出租房屋登记核查与安全检查", CityUnits.Housing, 30),
        Duty("D05", "消防安全检查", "楼道堆物、消防通道、消防设施检查", CityUnits.Enforcement, 30),
        Duty("D06", "信访信息收集", "收集群众诉求和信访苗头信息", CityUnits.CommandCentre, 20),
        Duty("D07", "特殊群体关爱", "独居老人、残疾人、留守儿童等特殊群体的关爱走访", CityUnits.CivilAffairs, 30, keyPerson: true),
        Duty("D08", "环境卫生巡查", "公共区域卫生、暴露垃圾、乱堆物料巡查", CityUnits.Sanitation, 30),
        Duty("D09", "食品安全巡查", "小餐饮、食品摊贩的食品安全巡查", CityUnits.Enforcement, 30),
        Duty("D10", "防汛防台值守", "汛期和台风期间的隐患点巡查、人员转移协助", CityUnits.WaterResources, 120, subsidy: 5),
        Duty("D11", "违法建筑巡查", "私搭乱建、违法建设的发现与上报", CityUnits.Enforcement, 30),
        Duty("D12", "燃气安全检查", "餐饮场所和居民用户燃气使用安全检查", CityUnits.Housing, 30),
        Duty("D13", "电动自行车充电安全", "楼道停放、飞线充电检查劝导", CityUnits.Enforcement, 20),
        Duty("D14", "流动人口登记", "流动人口信息采集与核查", CityUnits.CivilAffairs, 20),
        Duty("D15", "垃圾分类督导", "垃圾分类投放点督导与宣传", CityUnits.Sanitation, 30),
        Duty("D16", "河道巡查", "河道水面、河岸环境巡查", CityUnits.WaterResources, 40),
        Duty("D17", "道路设施巡查", "井盖、路灯、护栏等市政设施巡查", CityUnits.MunicipalFacilities, 30),
        Duty("D18", "园林绿化巡查", "绿地、行道树损坏巡查", CityUnits.Greening, 20),
        Duty("D19", "交通秩序劝导", "乱停车、占道经营劝导", CityUnits.TrafficPolice, 30),
        Duty("D20", "疫情防控排查", "疫情期间的人员排查与信息核实", CityUnits.CommandCentre, 60, subsidy: 5),
        Duty("D21", "民生诉求收集", "收集群众对公共服务的意见建议", CityUnits.CommandCentre, 20),
        Duty("D22", "文明创建督导", "文明城市创建点位的日常督导", CityUnits.Enforcement, 30),
    ];

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.CategoryGroups.AnyAsync(g => g.Code == GroupCode, cancellationToken))
        {
            db.CategoryGroups.Add(new CategoryGroup { Code = GroupCode, Kind = CaseKind.Module, Name = "网格事项移交" });
        }

        if (!await db.Categories.AnyAsync(c => c.Code == HandedOverDutyCategory, cancellationToken))
        {
            db.Categories.Add(new Category
            {
                Code = HandedOverDutyCategory,
                GroupCode = GroupCode,
                Name = "网格事项退出移交",
                FilingCriterion = "网格事项经审批退出后，网格内未完成的巡查走访任务",
                ClosingCriterion = "牵头部门完成该项巡查或走访并反馈结果",
                HandlingLimit = TimeLimit.Days(5),
            });
        }

        var existing = (await db.DutyKinds.Select(d => d.Code).ToListAsync(cancellationToken)).ToHashSet();
        var city = "/" + CityUnits.CityCode + "/";
        var now = clock.GetUtcNow();
        foreach (var duty in Duties.Where(d => !existing.Contains(d.Code)))
        {
            db.DutyKinds.Add(Copy(duty));
            db.GridDuties.Add(new GridDuty { DutyCode = duty.Code, RegionPath = city, AdmittedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static DutyKind Duty(string code, string name, string summary, string unit, int minutes, bool keyPerson = false, int subsidy = 0) => new()
    {
        Code = code,
        Name = name,
        Summary = summary,
        ResponsibleUnitName = unit,
        MinutesPerTask = minutes,
        IsKeyPersonVisit = keyPerson,
        SubsidyPoints = subsidy,
    };

    private static DutyKind Copy(DutyKind d) => Duty(d.Code, d.Name, d.Summary, d.ResponsibleUnitName, d.MinutesPerTask, d.IsKeyPersonVisit, d.SubsidyPoints);
}
