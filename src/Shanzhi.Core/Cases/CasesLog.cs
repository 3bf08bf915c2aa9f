using Microsoft.Extensions.Logging;

namespace Shanzhi.Cases;

/// <summary>Log messages of the case engine, event ids 2000–2099. Ids and codes only, never personal data.</summary>
internal static partial class CasesLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Case {CaseNo} reported through {Channel} in region {RegionCode}")]
    public static partial void CaseReported(this ILogger logger, string caseNo, CaseChannel channel, string regionCode);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Case {CaseNo}: {Action} moved it from {From} to {To}")]
    public static partial void CaseActed(this ILogger logger, string caseNo, CaseAction action, CaseState from, CaseState to);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Case {CaseNo} changed while {Action} was being saved; the action was rejected and the user asked to reload")]
    public static partial void CaseChangedConcurrently(this ILogger logger, string caseNo, CaseAction action);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error,
        Message = "Observer {Observer} failed after {Action} on case {CaseNo}; the action stays committed and the observer's work is missing")]
    public static partial void ObserverFailed(this ILogger logger, Exception exception, string caseNo, CaseAction action, string observer);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Overdue escalation job started; it runs every {Interval}")]
    public static partial void EscalationJobStarted(this ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Information, Message = "Overdue escalation job stopped")]
    public static partial void EscalationJobStopped(this ILogger logger);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Overdue escalation run failed, so the job retries at the next interval")]
    public static partial void EscalationRunFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Overdue escalation run escalated {Count} cases")]
    public static partial void EscalationRunFinished(this ILogger logger, int count);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "Case {CaseNo} is {Overdue} working time overdue; escalated to unit {UnitId}")]
    public static partial void CaseEscalated(this ILogger logger, string caseNo, TimeSpan overdue, Guid? unitId);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning,
        Message = "No active command centre unit exists; overdue cases are escalated without a supervising unit")]
    public static partial void NoCommandCentre(this ILogger logger);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Information, Message = "Attachment {AttachmentId} ({Size} bytes) added to case {CaseNo}")]
    public static partial void AttachmentAdded(this ILogger logger, Guid attachmentId, long size, string caseNo);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Error,
        Message = "Attachment {AttachmentId} is recorded but its file {StoragePath} is missing from the attachment folder; restore it from backup")]
    public static partial void AttachmentFileMissing(this ILogger logger, Guid attachmentId, string storagePath);

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Working calendar of {Year} replaced with {Count} exception days")]
    public static partial void CalendarYearLoaded(this ILogger logger, int year, int count);
}
