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

    [LoggerMessage(EventId = 6310, Level = LogLevel.Information,
        Message = "Contact index compacted: {StaysDropped} stays and {PersonsDropped} persons dropped, {Stays} stays and {Persons} persons left, in {ElapsedMs} ms")]
    public static partial void Compacted(this ILogger logger, int staysDropped, int personsDropped, int stays, int persons, long elapsedMs);
}
