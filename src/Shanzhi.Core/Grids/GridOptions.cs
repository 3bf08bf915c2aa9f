namespace Shanzhi.Grids;

/// <summary>Settings of the grid module, bound from the <c>Grids</c> configuration section.</summary>
public sealed class GridOptions
{
    public const string Section = "Grids";

    /// <summary>How far outside the grid boundary a visit position may lie, for GPS error and edge streets.</summary>
    public double VisitToleranceMeters { get; set; } = 50;

    /// <summary>How often the patrol job generates tasks and looks for missed visits.</summary>
    public TimeSpan JobInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Key-person categories: stable key to Chinese name. Cities add their own.</summary>
    public Dictionary<string, string> KeyPersonCategories { get; set; } = new()
    {
        ["elderly_alone"] = "独居老人",
        ["disabled"] = "残疾人",
        ["left_behind_child"] = "留守儿童",
        ["low_income"] = "低保及困难家庭",
        ["community_correction"] = "社区矫正对象",
    };

    public IncentiveOptions Incentives { get; set; } = new();

    public WorkloadOptions Workload { get; set; } = new();
}

/// <summary>Points rules. Points reward useful information: they are credited when a report is filed or closed, never per report sent.</summary>
public sealed class IncentiveOptions
{
    public int PointsForFiledReport { get; set; } = 2;

    public int PointsForClosedReport { get; set; } = 3;

    /// <summary>Most report points (filed plus closed) one user earns per day; task subsidies are not capped.</summary>
    public int DailyReportPointsCap { get; set; } = 20;

    /// <summary>Roles whose reports earn points.</summary>
    public List<string> EarningRoles { get; set; } = [Identity.Roles.GridWorker, Identity.Roles.MicroGridMember];
}

public sealed class WorkloadOptions
{
    public double FullTimeHoursPerWeek { get; set; } = 40;

    public double PartTimeHoursPerWeek { get; set; } = 20;

    /// <summary>Estimated hours of grid-worker time per open case in the grid (reporting, follow-up, on-site verification).</summary>
    public double HoursPerOpenCase { get; set; } = 0.5;
}
