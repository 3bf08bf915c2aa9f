using Microsoft.EntityFrameworkCore;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

/// <summary>
/// Seeds the GB/T 30428 case catalogue: the six component (部件) and six event (事件) major classes
/// and the common minor classes with their filing criterion, closing criterion, handling limit and
/// default unit. Only missing codes are added, so limits an administrator changed stay changed.
/// </summary>
// NOTE: GB/T 30428.2 fixes the major classes, but of the minor-class numbers only the standard's
// examples (such as 0101 上水井盖) are certain. Confirm the other numbers against the city's
// catalogue. Five limits come from published city tables: exposed rubbish 4 working hours, street
// cleaning 2 working hours, damaged green space 5 working days, illegal structures and floating
// waste 15 working days. The others are working assumptions for administrators to adjust.
public sealed class CaseCatalogSeeder : IStoreSeeder
{
    public int Order => 200;

    internal static IReadOnlyList<(string Code, CaseKind Kind, string Name)> Groups { get; } =
    [
        ("C01", CaseKind.Component, "公用设施"),
        ("C02", CaseKind.Component, "道路交通"),
        ("C03", CaseKind.Component, "市容环境"),
        ("C04", CaseKind.Component, "园林绿化"),
        ("C05", CaseKind.Component, "房屋土地"),
        ("C06", CaseKind.Component, "其他设施"),
        ("E01", CaseKind.Event, "市容环境"),
        ("E02", CaseKind.Event, "宣传广告"),
        ("E03", CaseKind.Event, "施工管理"),
        ("E04", CaseKind.Event, "突发事件"),
        ("E05", CaseKind.Event, "街面秩序"),
        ("E06", CaseKind.Event, "其他事件"),
    ];

    /// <summary>Minor classes. A null default unit leaves the case to routing rules and the territorial fallback.</summary>
    internal static IReadOnlyList<CatalogEntry> Categories { get; } =
    [
        new("C0101", "上水井盖", "供水井盖缺失、破损、移位或高低不平，影响通行安全", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("C0102", "污水井盖", "污水井盖缺失、破损、移位或高低不平，影响通行安全", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("C0103", "雨水井盖", "雨水井盖缺失、破损、移位或高低不平，影响通行安全", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("C0104", "雨水箅子", "雨水箅子缺失、破损或堵塞", "箅子补齐或更换，排水通畅", TimeLimit.Hours(4), CityUnits.MunicipalFacilities),
        new("C0105", "电力井盖", "电力井盖缺失、破损、移位或高低不平", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(4), CityUnits.MunicipalFacilities),
        new("C0106", "通信井盖", "通信井盖缺失、破损、移位或高低不平", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(4), CityUnits.MunicipalFacilities),
        new("C0107", "燃气井盖", "燃气井盖缺失、破损、移位或高低不平", "井盖补齐或更换，安装平稳牢固", TimeLimit.Hours(2), CityUnits.Housing),
        new("C0108", "消防栓", "消防栓损坏、漏水、缺失或被圈占遮挡", "消防栓修复并可正常使用，圈占遮挡清除", TimeLimit.Days(3), CityUnits.MunicipalFacilities),
        new("C0201", "公交站亭", "公交站亭破损、倾斜或严重污损", "站亭修复、清洗完好", TimeLimit.Days(3), CityUnits.Transport),
        new("C0202", "交通标志牌", "交通标志牌缺失、破损、倾斜或被遮挡", "标志牌修复或更换，清晰可辨", TimeLimit.Days(3), CityUnits.TrafficPolice),
        new("C0203", "交通信号灯", "交通信号灯不亮、损坏或显示异常", "信号灯恢复正常运行", TimeLimit.Hours(4), CityUnits.TrafficPolice),
        new("C0204", "交通护栏", "交通护栏破损、倾倒或缺失", "护栏修复、扶正或补齐", TimeLimit.Days(3), CityUnits.MunicipalFacilities),
        new("C0205", "路灯", "路灯不亮、灯杆破损倾斜或线路外露", "恢复照明，灯杆和线路修复完好", TimeLimit.Days(3), CityUnits.MunicipalFacilities),
        new("C0206", "道路路面", "机动车道或非机动车道路面坑洼、破损、沉陷", "路面修补平整", TimeLimit.Days(5), CityUnits.MunicipalFacilities),
        new("C0207", "人行道板", "人行道板松动、破损或缺失", "人行道板修复平整", TimeLimit.Days(5), CityUnits.MunicipalFacilities),
        new("C0301", "公共厕所", "公共厕所设施损坏、脏污或无故关闭", "设施修复、保洁到位、正常开放", TimeLimit.Days(1), CityUnits.Sanitation),
        new("C0302", "垃圾箱", "果皮箱、垃圾箱破损、缺失或满溢", "垃圾箱修复或更换，垃圾清运", TimeLimit.Days(1), CityUnits.Sanitation),
        new("C0303", "垃圾收集点", "垃圾收集点、垃圾房破损或周边脏乱", "设施修复，周边清理干净", TimeLimit.Days(2), CityUnits.Sanitation),
        new("C0401", "绿地", "绿地损坏、缺株或黄土裸露", "绿地修复、补植到位", TimeLimit.Days(5), CityUnits.Greening),
        new("C0402", "行道树", "行道树倒伏、断枝、枯死或缺株", "扶正、修剪或补植到位", TimeLimit.Days(3), CityUnits.Greening),
        new("C0403", "古树名木", "古树名木受损或发生病虫害", "采取保护和救治措施", TimeLimit.Days(5), CityUnits.Greening),
        new("C0501", "危险房屋", "房屋外立面或构件开裂、脱落，有坠落或倒塌危险", "险情排除，设置警示或完成加固", TimeLimit.Days(1), CityUnits.Housing),
        new("C0502", "闲置场地", "闲置场地围挡破损、垃圾堆积或脏乱", "围挡修复，场地清理整治", TimeLimit.Days(5), null),
        new("C0601", "其他设施", "不属于以上类别的公共设施问题", "问题消除", TimeLimit.Days(5), null),
        new("E0101", "暴露垃圾", "道路、广场等公共场所有暴露垃圾", "垃圾全部清除", TimeLimit.Hours(4), CityUnits.Sanitation),
        new("E0102", "积存垃圾渣土", "垃圾或渣土积存，未及时清运", "垃圾渣土清运干净", TimeLimit.Days(1), CityUnits.Sanitation),
        new("E0103", "道路不洁", "路面有明显污迹、泥沙、油污或散落物", "路面保洁干净", TimeLimit.Hours(2), CityUnits.Sanitation),
        new("E0104", "水域不洁", "河道、湖泊水面有漂浮垃圾或油污", "水面漂浮物清捞干净", TimeLimit.Days(15), CityUnits.WaterResources),
        new("E0105", "绿地脏乱", "绿地内有垃圾、杂物或堆物", "绿地清理干净", TimeLimit.Days(1), CityUnits.Greening),
        new("E0106", "乱堆物料", "公共场所乱堆建材、杂物或大件垃圾", "物料和大件垃圾清理干净", TimeLimit.Days(2), CityUnits.Sanitation),
        new("E0107", "废弃家具家电", "公共场所有废弃家具、家电", "废弃家具家电清运", TimeLimit.Days(2), CityUnits.Sanitation),
        new("E0108", "动物尸体", "公共场所有动物尸体", "动物尸体无害化清理", TimeLimit.Hours(2), CityUnits.Sanitation),
        new("E0109", "焚烧垃圾树叶", "露天焚烧垃圾、树叶或杂物", "火已熄灭，焚烧行为得到制止", TimeLimit.Hours(2), CityUnits.Enforcement),
        new("E0201", "非法小广告", "张贴、喷涂或散发非法小广告", "小广告清除干净", TimeLimit.Days(1), CityUnits.Sanitation),
        new("E0202", "违规户外广告", "未经审批或超期设置户外广告、横幅", "违规广告拆除", TimeLimit.Days(3), CityUnits.Enforcement),
        new("E0203", "乱涂写", "建筑物、构筑物或公共设施上乱涂乱画", "涂写痕迹清除干净", TimeLimit.Days(2), CityUnits.Sanitation),
        new("E0204", "广告招牌破损", "广告招牌破损、松动，有脱落危险", "招牌修复、加固或拆除", TimeLimit.Days(1), CityUnits.Enforcement),
        new("E0301", "施工扰民", "在禁止时段施工或施工噪声扰民", "施工停止或整改到位", TimeLimit.Hours(4), CityUnits.Enforcement),
        new("E0302", "工地扬尘", "工地未覆盖、未洒水，扬尘明显", "防尘措施落实到位", TimeLimit.Days(1), CityUnits.Housing),
        new("E0303", "渣土运输遗撒", "渣土车运输途中遗撒", "遗撒物清理干净，责任车辆查处", TimeLimit.Hours(2), CityUnits.Enforcement),
        new("E0304", "违规占道施工", "未经许可挖掘或占用道路施工", "施工停止，路面恢复", TimeLimit.Days(3), CityUnits.MunicipalFacilities),
        new("E0305", "施工废弃料", "施工废弃料在工地外堆放", "废弃料清运干净", TimeLimit.Days(3), CityUnits.Housing),
        new("E0401", "路面塌陷", "路面塌陷或出现空洞", "现场围挡警示并修复路面", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("E0402", "供水管道破裂", "供水管道破裂漏水", "止水并修复管道", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("E0403", "燃气泄漏", "闻到燃气异味或燃气管道泄漏", "泄漏点处置完毕，险情排除", TimeLimit.Hours(2), CityUnits.Housing),
        new("E0404", "下水道堵塞", "下水道堵塞，污水冒溢", "管道疏通，路面清洗", TimeLimit.Hours(4), CityUnits.MunicipalFacilities),
        new("E0405", "道路积水", "降雨后道路积水，影响通行", "积水排除", TimeLimit.Hours(2), CityUnits.MunicipalFacilities),
        new("E0501", "无照经营游商", "流动摊贩无照经营", "游商劝离，现场恢复", TimeLimit.Hours(2), CityUnits.Enforcement),
        new("E0502", "占道经营", "摊位占用道路、人行道经营", "占道摊位清除", TimeLimit.Hours(2), CityUnits.Enforcement),
        new("E0503", "店外经营", "商户超出门窗在店外经营", "店外经营整改到位", TimeLimit.Days(1), CityUnits.Enforcement),
        new("E0504", "机动车乱停放", "机动车占用人行道、盲道或消防通道停放", "车辆驶离或依法处理", TimeLimit.Hours(2), CityUnits.TrafficPolice),
        new("E0505", "流浪乞讨", "公共场所有流浪乞讨人员", "人员得到救助或劝离", TimeLimit.Hours(4), CityUnits.CivilAffairs),
        new("E0506", "非机动车乱停放", "非机动车或共享单车乱停放，影响通行", "车辆规整到位", TimeLimit.Hours(4), CityUnits.Enforcement),
        new("E0507", "私搭乱建", "未经批准搭建建筑物、构筑物", "违法搭建拆除", TimeLimit.Days(15), CityUnits.Enforcement),
        new("E0508", "露天烧烤", "占道或在禁止区域露天烧烤", "烧烤行为停止，现场清理", TimeLimit.Hours(4), CityUnits.Enforcement),
        new("E0601", "其他事件", "不属于以上类别的城市管理问题", "问题消除", TimeLimit.Days(5), null),
    ];

    public async Task SeedAsync(ShanzhiDbContext db, CancellationToken cancellationToken)
    {
        var groups = (await db.CategoryGroups.Select(g => g.Code).ToListAsync(cancellationToken)).ToHashSet();
        db.CategoryGroups.AddRange(Groups
            .Where(g => !groups.Contains(g.Code))
            .Select(g => new CategoryGroup { Code = g.Code, Kind = g.Kind, Name = g.Name }));

        var categories = (await db.Categories.Select(c => c.Code).ToListAsync(cancellationToken)).ToHashSet();
        var units = await db.Units.ToDictionaryAsync(u => u.Name, u => u.Id, cancellationToken);
        db.Categories.AddRange(Categories
            .Where(c => !categories.Contains(c.Code))
            .Select(c => new Category
            {
                Code = c.Code,
                GroupCode = c.Code[..3],
                Name = c.Name,
                FilingCriterion = c.FilingCriterion,
                ClosingCriterion = c.ClosingCriterion,
                HandlingLimit = c.HandlingLimit,
                DefaultUnitId = c.DefaultUnit is { } name && units.TryGetValue(name, out var id) ? id : null,
            }));

        await db.SaveChangesAsync(cancellationToken);
    }

    internal sealed record CatalogEntry(
        string Code, string Name, string FilingCriterion, string ClosingCriterion, TimeLimit HandlingLimit, string? DefaultUnit);
}
