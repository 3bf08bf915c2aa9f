namespace Shanzhi.Cases;

/// <summary>States of the GB/T 30428 closed loop plus the exceptional paths.</summary>
public enum CaseState
{
    Reported = 0,
    Filed = 1,
    Rejected = 2,
    Dispatched = 3,
    InProgress = 4,
    Resolved = 5,
    Verifying = 6,
    Closed = 7,

    /// <summary>Verification failed; the case is back with the handling unit.</summary>
    Rework = 8,

    /// <summary>The unit declared it is not responsible, with a reason; the case waits for re-dispatch.</summary>
    Returned = 9,

    /// <summary>挂账: cannot be solved now; listed in the hang-up list and never closed silently.</summary>
    Suspended = 10,

    /// <summary>Duplicate of a parent case.</summary>
    Merged = 11,
}

/// <summary>Origin of a report.</summary>
public enum CaseChannel
{
    Console = 0,
    GridWorker = 1,
    Public = 2,
    Open311 = 3,
    Hotline12345 = 4,
    Import = 5,

    /// <summary>Opened by the platform itself, such as a grid duty's open tasks handed over on withdrawal.</summary>
    System = 6,
}

public static class CaseStates
{
    /// <summary>States in which a case has an accountable unit working against the handling deadline.</summary>
    public static bool IsWithUnit(CaseState state) =>
        state is CaseState.Dispatched or CaseState.InProgress or CaseState.Rework;

    /// <summary>States from which nothing more happens to the case.</summary>
    public static bool IsTerminal(CaseState state) =>
        state is CaseState.Closed or CaseState.Rejected or CaseState.Merged;

    public static string ChineseName(CaseState state) => state switch
    {
        CaseState.Reported => "已上报",
        CaseState.Filed => "已立案",
        CaseState.Rejected => "不予立案",
        CaseState.Dispatched => "已派遣",
        CaseState.InProgress => "处置中",
        CaseState.Resolved => "已处置",
        CaseState.Verifying => "核查中",
        CaseState.Closed => "已结案",
        CaseState.Rework => "返工",
        CaseState.Returned => "已退回",
        CaseState.Suspended => "挂账",
        CaseState.Merged => "已合并",
        _ => state.ToString(),
    };
}
