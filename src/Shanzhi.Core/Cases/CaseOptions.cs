namespace Shanzhi.Cases;

/// <summary>Settings of the case engine, bound from the <c>Cases</c> configuration section.</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";

    public WorkingCalendarOptions Calendar { get; set; } = new();

    public DuplicateOptions Duplicates { get; set; } = new();

    public AttachmentOptions Attachments { get; set; } = new();

    public EscalationOptions Escalation { get; set; } = new();

    /// <summary>Working hours the command centre has to file a report that names no category yet.</summary>
    public int UncategorisedFilingLimitHours { get; set; } = 1;

    /// <summary>Working hours the command centre has to dispatch a case again after a unit returned it.</summary>
    public int RedispatchLimitHours { get; set; } = 1;

    public PrivacyLimitOptions PrivacyLimits { get; set; } = new();
}

/// <summary>
/// <c>Cases:PrivacyLimits</c>: handling limits in calendar days given to the personal-information
/// categories when they are first seeded; afterwards administrators change the category itself.
/// </summary>
public sealed class PrivacyLimitOptions
{
    /// <summary>Days to respond to an access, correction or deletion request (GB/T 35273-2020 §8.7 sets 30 days).</summary>
    public int RequestDays { get; set; } = 30;

    /// <summary>Days to handle a complaint or report about another handler.</summary>
    public int ComplaintDays { get; set; } = 30;
}

/// <summary><c>Cases:Calendar</c>: the office hours of the SLA clock.</summary>
public sealed class WorkingCalendarOptions
{
    /// <summary>IANA time zone of the working hours.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>
    /// Working periods of a day (<c>Cases:Calendar:Periods:0:Start = 08:30</c>); empty means
    /// <see cref="WorkingPeriod.Default"/>. The list starts empty because the configuration binder
    /// appends to a list instead of replacing it.
    /// </summary>
    public List<WorkingPeriod> Periods { get; set; } = [];

    public IReadOnlyList<WorkingPeriod> EffectivePeriods => Periods.Count > 0 ? Periods : WorkingPeriod.Default;
}

/// <summary><c>Cases:Duplicates</c>: when two reports are proposed as the same problem.</summary>
public sealed class DuplicateOptions
{
    public double RadiusMeters { get; set; } = 100;

    /// <summary>Maximum time between the two reports.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    public int MaxResults { get; set; } = 20;
}

/// <summary><c>Cases:Attachments</c>: limits of uploaded photos.</summary>
public sealed class AttachmentOptions
{
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;
}

/// <summary><c>Cases:Escalation</c>: the overdue-case job.</summary>
public sealed class EscalationOptions
{
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Maximum number of cases escalated per run. The next run takes the rest.</summary>
    public int BatchSize { get; set; } = 500;
}
