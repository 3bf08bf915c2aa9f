using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Investigations;

internal static partial class InvestigationLog
{
    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Investigation {Number} opened for scope {ScopeRegionCode}")]
    public static partial void InvestigationOpened(this ILogger logger, string number, string scopeRegionCode);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Investigation {Number} closed")]
    public static partial void InvestigationClosed(this ILogger logger, string number);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Information,
        Message = "Trace of investigation {Number} found {CloseContacts} close and {SecondaryContacts} secondary contacts; snapshot {TraceId}")]
    public static partial void Traced(this ILogger logger, string number, int closeContacts, int secondaryContacts, Guid traceId);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Warning, Message = "Query {Kind} on investigation {InvestigationId} refused: {Reason}")]
    public static partial void QueryRefused(this ILogger logger, string kind, Guid investigationId, string reason);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Warning, Message = "Trace of investigation {Number} asked for, but no contact tracer is registered")]
    public static partial void TracerMissing(this ILogger logger, string number);

    [LoggerMessage(EventId = 6408, Level = LogLevel.Warning,
        Message = "Trace of investigation {Number} refused: its rule set {RuleSetId} {RuleSetVersion} is neither offered nor a retired built-in version")]
    public static partial void RuleSetRetired(this ILogger logger, string number, string ruleSetId, string ruleSetVersion);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Information,
        Message = "Investigation {Number}: {Created} follow-up cases opened, {Updated} cases got new contacts added, {Existing} grids had a case with all their contacts")]
    public static partial void FollowUpsCreated(this ILogger logger, string number, int created, int updated, int existing);

    [LoggerMessage(EventId = 6407, Level = LogLevel.Warning,
        Message = "Investigation {Number}: follow-up case for grid {GridCode} failed with {Code}; grids after it were not processed, repeat the request after fixing")]
    public static partial void FollowUpFailed(this ILogger logger, string number, string gridCode, string code);
}
