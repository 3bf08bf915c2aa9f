using Shanzhi.Privacy.Classification;

namespace Shanzhi.Cases;

/// <summary>部件 (fixed public facility) or 事件 (event) in the GB/T 30428 catalogue, or a module's own type.</summary>
public enum CaseKind
{
    Component = 1,
    Event = 2,
    Module = 3,
}

public enum TimeLimitUnit
{
    WorkingHours = 1,
    WorkingDays = 2,

    /// <summary>Days of the calendar, as statutory limits are counted; see <see cref="WorkingCalendar.Add(DateTimeOffset, TimeLimit)"/>.</summary>
    CalendarDays = 3,
}

/// <summary>A time limit such as 4 working hours, 5 working days or 30 (calendar) days.</summary>
public readonly record struct TimeLimit(int Value, TimeLimitUnit Unit)
{
    public static TimeLimit Hours(int value) => new(value, TimeLimitUnit.WorkingHours);

    public static TimeLimit Days(int value) => new(value, TimeLimitUnit.WorkingDays);

    public static TimeLimit CalendarDays(int value) => new(value, TimeLimitUnit.CalendarDays);

    public string ToChinese() => Unit switch
    {
        TimeLimitUnit.WorkingHours => $"{Value} 个工作时",
        TimeLimitUnit.WorkingDays => $"{Value} 个工作日",
        _ => $"{Value} 日（自然日）",
    };
}

/// <summary>大类: the first level of the catalogue.</summary>
[Classify(DataClass.Public, "事件分类目录", Activity = "事件分类")]
public sealed class CategoryGroup
{
    /// <summary>Kind letter plus two digits: C01 公用设施, E01 市容环境.</summary>
    public required string Code { get; init; }

    public CaseKind Kind { get; init; }

    [Classify(DataClass.Public, "分类名称")]
    public required string Name { get; set; }
}

/// <summary>小类: the second level of the catalogue, with its criteria and time limits.</summary>
[Classify(DataClass.Public, "事件分类目录", Activity = "事件分类")]
public sealed class Category
{
    /// <summary>Group code plus two digits: C0101 上水井盖, E0101 暴露垃圾.</summary>
    public required string Code { get; init; }

    public required string GroupCode { get; init; }

    [Classify(DataClass.Public, "分类名称")]
    public required string Name { get; set; }

    public required string FilingCriterion { get; set; }

    public required string ClosingCriterion { get; set; }

    public TimeLimit HandlingLimit { get; set; }

    /// <summary>Working hours the command centre has to file a report in this category.</summary>
    public int FilingLimitHours { get; set; } = 1;

    /// <summary>Working hours the command centre has to dispatch a filed case.</summary>
    public int DispatchLimitHours { get; set; } = 1;

    /// <summary>Working hours the verifier has to check a resolved case on site.</summary>
    public int VerificationLimitHours { get; set; } = 4;

    /// <summary>Unit that owns this category where no routing rule is more specific.</summary>
    public Guid? DefaultUnitId { get; set; }

    public bool IsActive { get; set; } = true;
}
