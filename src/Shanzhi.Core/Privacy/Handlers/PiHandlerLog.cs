using Microsoft.Extensions.Logging;

namespace Shanzhi.Privacy.Handlers;

/// <summary>Log messages of the directory of PI handlers, event ids 5300–5399. Ids and counts only, never officer contacts.</summary>
internal static partial class PiHandlerLog
{
    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "PI handler {HandlerId} saved (new: {IsNew})")]
    public static partial void HandlerSaved(this ILogger logger, Guid handlerId, bool isNew);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "PI officer contact of handler {HandlerId} revealed; see the audit log for actor and reason")]
    public static partial void ContactRevealed(this ILogger logger, Guid handlerId);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Information, Message = "PI handler directory exported: {Count} rows")]
    public static partial void HandlersExported(this ILogger logger, int count);

    [LoggerMessage(EventId = 5304, Level = LogLevel.Information,
        Message = "Inspection {InspectionId} of PI handler {HandlerId} recorded")]
    public static partial void InspectionRecorded(this ILogger logger, Guid inspectionId, Guid handlerId);

    [LoggerMessage(EventId = 5305, Level = LogLevel.Information,
        Message = "Finding {FindingId} of PI handler {HandlerId} opened rectification case {CaseNo}")]
    public static partial void FindingOpenedCase(this ILogger logger, Guid findingId, Guid handlerId, string caseNo);
}
