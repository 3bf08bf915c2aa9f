using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Passages;

/// <summary>Log messages of passage ingest, event ids 6200–6299. Ids and counts only.</summary>
internal static partial class PassagesLog
{
    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Passage writer started on the {Provider} store; queue capacity {Capacity} batches")]
    public static partial void WriterStarted(this ILogger logger, string provider, int capacity);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Error,
        Message = "Passage transaction of {Batches} batches ({Rows} rows) failed, so none of it is acknowledged and the submitters get store_unavailable")]
    public static partial void CommitFailed(this ILogger logger, int batches, int rows, Exception exception);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Error, Message = "Passage observer {Observer} failed on {Rows} committed rows; the rows stay stored")]
    public static partial void ObserverFailed(this ILogger logger, string observer, int rows, Exception exception);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Passage queue full ({Capacity} batches); a batch of {Rows} rows was rejected with 429")]
    public static partial void QueueFull(this ILogger logger, int capacity, int rows);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Information, Message = "Passage writer stopped after draining its queue")]
    public static partial void WriterStopped(this ILogger logger);

    [LoggerMessage(EventId = 6207, Level = LogLevel.Warning, Message = "Passage batch from device {DeviceId}: {Rejected} of {Items} items rejected ({Codes})")]
    public static partial void ItemsRejected(this ILogger logger, long deviceId, int rejected, int items, string codes);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Critical,
        Message = "Passage writer failed and stopped; batches still queued get passage.stopping, and the host needs a restart to take passages again")]
    public static partial void WriterFailed(this ILogger logger, Exception exception);
}
