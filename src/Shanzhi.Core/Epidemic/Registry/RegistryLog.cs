using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Registry;

/// <summary>Log messages of the population registry and health status, event ids 6120–6139 (the gate part has 6101–6119). Person keys and counts only.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 6121, Level = LogLevel.Information, Message = "Person {PersonKey} registered")]
    public static partial void PersonRegistered(this ILogger logger, long personKey);

    [LoggerMessage(EventId = 6122, Level = LogLevel.Information, Message = "Identity of person {PersonKey} revealed; see the audit log for actor and reason")]
    public static partial void IdentityRevealed(this ILogger logger, long personKey);

    [LoggerMessage(EventId = 6123, Level = LogLevel.Information,
        Message = "Person import read {Rows} rows: {Imported} imported, {Failed} rows with errors")]
    public static partial void PersonsImported(this ILogger logger, int rows, int imported, int failed);

    [LoggerMessage(EventId = 6124, Level = LogLevel.Warning,
        Message = "Atomic person import rolled back: {Failed} of {Rows} rows had errors; nothing was written")]
    public static partial void PersonImportRolledBack(this ILogger logger, int rows, int failed);

    [LoggerMessage(EventId = 6125, Level = LogLevel.Information,
        Message = "Health status of person {PersonKey} changed from {From} to {To} ({Source})")]
    public static partial void StatusChanged(this ILogger logger, long personKey, HealthStatus? from, HealthStatus to, HealthChangeSource source);

    [LoggerMessage(EventId = 6126, Level = LogLevel.Information,
        Message = "Upstream health batch from {SourceSystem}: {Applied} applied, {Unchanged} unchanged, {Duplicates} duplicates, {Stale} stale, {Rejected} rejected")]
    public static partial void UpstreamBatch(this ILogger logger, string sourceSystem, int applied, int unchanged, int duplicates, int stale, int rejected);

    [LoggerMessage(EventId = 6127, Level = LogLevel.Information, Message = "Override {RequestId} of person {PersonKey} requested")]
    public static partial void OverrideRequested(this ILogger logger, Guid requestId, long personKey);

    [LoggerMessage(EventId = 6128, Level = LogLevel.Information, Message = "Override {RequestId} of person {PersonKey} rejected")]
    public static partial void OverrideRejected(this ILogger logger, Guid requestId, long personKey);

    [LoggerMessage(EventId = 6129, Level = LogLevel.Information, Message = "Population directory load started; gate checks read the store until it finishes")]
    public static partial void DirectoryLoadStarted(this ILogger logger);

    [LoggerMessage(EventId = 6130, Level = LogLevel.Information, Message = "Population directory loaded: {Persons} persons, {MegaBytes} MiB, in {Milliseconds} ms")]
    public static partial void DirectoryLoaded(this ILogger logger, long persons, long megaBytes, long milliseconds);

    [LoggerMessage(EventId = 6131, Level = LogLevel.Error, Message = "Population directory load failed; gate checks read the store, and the load is retried")]
    public static partial void DirectoryLoadFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6132, Level = LogLevel.Warning,
        Message = "Population directory poll failed, {Seconds} s since the last successful poll; past 10 s gate checks read the store until a poll succeeds")]
    public static partial void DirectoryPollFailed(this ILogger logger, Exception exception, long seconds);

    [LoggerMessage(EventId = 6133, Level = LogLevel.Warning,
        Message = "Rule hit for person {PersonKey} not applied: concurrent changes aborted it {Attempts} times in a row")]
    public static partial void RuleHitConflict(this ILogger logger, Exception exception, long personKey, int attempts);

    [LoggerMessage(EventId = 6134, Level = LogLevel.Debug, Message = "Rule hit for person {PersonKey} was resent; returned the stored change {ChangeId}")]
    public static partial void RuleHitResent(this ILogger logger, long personKey, long changeId);
}
