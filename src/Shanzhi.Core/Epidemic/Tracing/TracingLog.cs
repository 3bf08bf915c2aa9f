using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Tracing;

internal static partial class TracingLog
{
    [LoggerMessage(EventId = 6301, Level = LogLevel.Information, Message = "Rebuilding the contact index from the passages table")]
    public static partial void RebuildStarted(this ILogger logger);

    [LoggerMessage(EventId = 6302, Level = LogLevel.Information,
        Message = "Contact index rebuilt: {Passages} passages, {Stays} stays, {Persons} persons, {Places} places in {ElapsedMs} ms; tracing is ready")]
    public static partial void RebuildFinished(this ILogger logger, long passages, int stays, int persons, int places, long elapsedMs);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Error, Message = "Contact index rebuild failed; traces see only passages committed since start until the host restarts")]
    public static partial void RebuildFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6320, Level = LogLevel.Information,
        Message = "Passage catch-up started: every {IntervalMs} ms, first reading the commit rows of other writers from the last {WindowSeconds} s")]
    public static partial void CatchUpStarted(this ILogger logger, long intervalMs, long windowSeconds);

    [LoggerMessage(EventId = 6321, Level = LogLevel.Information, Message = "Passage catch-up stopped")]
    public static partial void CatchUpStopped(this ILogger logger);

    [LoggerMessage(EventId = 6322, Level = LogLevel.Error,
        Message = "Passage catch-up poll failed ({Failures} failures in a row; logged at 1, 2, 4, 8 … failures); the next poll retries the same commits")]
    public static partial void CatchUpFailed(this ILogger logger, int failures, Exception exception);

    [LoggerMessage(EventId = 6323, Level = LogLevel.Debug, Message = "Passage catch-up applied {Commits} commits of other writers ({Passages} identified passages)")]
    public static partial void CaughtUp(this ILogger logger, int commits, int passages);

    [LoggerMessage(EventId = 6324, Level = LogLevel.Information, Message = "Deleted {Rows} passage commit rows older than {RetentionMinutes} min")]
    public static partial void CommitRowsPruned(this ILogger logger, int rows, double retentionMinutes);

    [LoggerMessage(EventId = 6325, Level = LogLevel.Information,
        Message = "Passage commit ids {FirstId} to {LastId} did not appear within {TimeoutSeconds} s and are given up (rolled back, or committed so late that only the next restart's rebuild loads their passages)")]
    public static partial void CommitGapGivenUp(this ILogger logger, long firstId, long lastId, long timeoutSeconds);

    [LoggerMessage(EventId = 6326, Level = LogLevel.Error, Message = "Deleting expired passage commit rows failed. The next prune, a minute later, retries")]
    public static partial void CommitPruneFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6310, Level = LogLevel.Information,
        Message = "Contact index compacted: {StaysDropped} stays and {PersonsDropped} persons dropped, {Stays} stays and {Persons} persons left, in {ElapsedMs} ms")]
    public static partial void Compacted(this ILogger logger, int staysDropped, int personsDropped, int stays, int persons, long elapsedMs);
}
