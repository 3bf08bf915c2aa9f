using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Gates;

/// <summary>Log messages of places, gate checks and rosters, event ids 6100–6199. Ids and counts only: never ID numbers or names.</summary>
internal static partial class GatesLog
{
    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Place {PlaceId} ({Kind}) registered in grid {GridCode}")]
    public static partial void PlaceRegistered(this ILogger logger, long placeId, PlaceKind kind, string gridCode);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Device {DeviceId} issued a new API key; earlier keys no longer work")]
    public static partial void DeviceKeyIssued(this ILogger logger, long deviceId);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Information, Message = "Device {DeviceId} disabled; its key no longer works")]
    public static partial void DeviceDisabled(this ILogger logger, long deviceId);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Information,
        Message = "Gate check {DeviceId}/{Sequence} found no match; unidentified-person case {CaseNo} opened")]
    public static partial void FollowUpOpened(this ILogger logger, long deviceId, long sequence, string caseNo);

    [LoggerMessage(EventId = 6105, Level = LogLevel.Error,
        Message = "Gate check {DeviceId}/{Sequence} found no match but its case could not be opened ({Code}); the follow-up has no case")]
    public static partial void FollowUpCaseFailed(this ILogger logger, long deviceId, long sequence, string code);

    [LoggerMessage(EventId = 6106, Level = LogLevel.Information, Message = "Unidentified-person case {CaseId} closed as {Outcome}")]
    public static partial void FollowUpResolved(this ILogger logger, Guid caseId, FollowUpOutcome outcome);

    [LoggerMessage(EventId = 6107, Level = LogLevel.Warning,
        Message = "Unidentified-person case {CaseId} resolved, but the case engine refused {Action} ({Code}); close the case by hand")]
    public static partial void FollowUpCaseNotClosed(this ILogger logger, Guid caseId, Cases.CaseAction action, string code);

    [LoggerMessage(EventId = 6108, Level = LogLevel.Debug, Message = "Gate check {DeviceId}/{Sequence} was resent; answered from the stored passage")]
    public static partial void CheckReplayed(this ILogger logger, long deviceId, long sequence);

    [LoggerMessage(EventId = 6114, Level = LogLevel.Warning,
        Message = "Device {DeviceId} sent sequence {Sequence} again with another check; rejected it, because sequence numbers must keep increasing per device")]
    public static partial void SequenceReused(this ILogger logger, long deviceId, long sequence);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "Site rosters loaded: {Entries} entries")]
    public static partial void RostersLoaded(this ILogger logger, int entries);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Warning,
        Message = "Site roster poll failed; past 10 s without a successful poll, site gate checks read the store until one succeeds")]
    public static partial void RosterPollFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6115, Level = LogLevel.Warning,
        Message = "Roster entry for site {SiteId} not added: PostgreSQL aborted it for concurrent changes {Attempts} times in a row")]
    public static partial void RosterEntryConflict(this ILogger logger, Exception exception, long siteId, int attempts);

    [LoggerMessage(EventId = 6109, Level = LogLevel.Information,
        Message = "Gate check {DeviceId}/{Sequence} was resent after a claim without a stored passage; storing the passage now")]
    public static partial void ClaimRetaken(this ILogger logger, long deviceId, long sequence);
}
