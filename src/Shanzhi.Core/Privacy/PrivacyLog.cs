using Microsoft.Extensions.Logging;

namespace Shanzhi.Privacy;

/// <summary>Log messages of the audit log and retention, event ids 5100–5199. Ids, classes and counts only.</summary>
internal static partial class PrivacyLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Retention job started; it runs every {Interval}")]
    public static partial void RetentionJobStarted(this ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Retention job stopped")]
    public static partial void RetentionJobStopped(this ILogger logger);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Error, Message = "Retention run failed, so expired data stays until the next interval")]
    public static partial void RetentionRunFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information,
        Message = "Retention purged {Count} rows of data class {DataClass} from {Table} dated before {Cutoff}; receipt written to the audit log")]
    public static partial void RetentionPurged(this ILogger logger, int count, string dataClass, string table, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning,
        Message = "Data class {DataClass} ({Table}) has no retention policy, so nothing of it is purged; set Retention:Policies:{DataClass}")]
    public static partial void RetentionPolicyMissing(this ILogger logger, string dataClass, string table);
}
