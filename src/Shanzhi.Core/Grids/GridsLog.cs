using Microsoft.Extensions.Logging;

namespace Shanzhi.Grids;

/// <summary>Log messages of the grid module, event ids 7000–7089 (the phone pages use 7090–7099). Ids, codes and counts only, never personal data or positions.</summary>
internal static partial class GridsLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Grid {GridCode}: user {UserId} assigned (responsible: {Responsible}); {Ended} previous responsible assignment ended")]
    public static partial void WorkerAssigned(this ILogger logger, string gridCode, Guid userId, bool responsible, int ended);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Duty change {ChangeId} ({Kind} {DutyCode}) {Status}; {HandedOver} open tasks handed over as cases")]
    public static partial void DutyChangeDecided(this ILogger logger, Guid changeId, DutyChangeKind kind, string dutyCode, DutyChangeStatus status, int handedOver);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Patrol tasks for {Day}: {Created} created from {Plans} due plans")]
    public static partial void TasksGenerated(this ILogger logger, DateOnly day, int created, int plans);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Information, Message = "{Count} patrol tasks past due without a visit; missed-visit alerts raised")]
    public static partial void VisitsMissed(this ILogger logger, int count);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Information, Message = "Visit recorded for task {TaskId} by user {UserId}, {MetersOutside:0} m outside the grid")]
    public static partial void VisitRecorded(this ILogger logger, Guid taskId, Guid userId, double metersOutside);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "Visit for task {TaskId} rejected: {MetersOutside:0} m outside the grid, beyond the tolerance")]
    public static partial void VisitOutsideGrid(this ILogger logger, Guid taskId, double metersOutside);

    [LoggerMessage(EventId = 7030, Level = LogLevel.Information, Message = "Patrol job started; it runs every {Interval}")]
    public static partial void PatrolJobStarted(this ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 7031, Level = LogLevel.Information, Message = "Patrol job stopped")]
    public static partial void PatrolJobStopped(this ILogger logger);

    [LoggerMessage(EventId = 7032, Level = LogLevel.Error, Message = "Patrol job run failed, so the job retries at the next interval")]
    public static partial void PatrolJobFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7040, Level = LogLevel.Information, Message = "Key person {KeyPersonId} revealed to user {UserId}")]
    public static partial void KeyPersonRevealed(this ILogger logger, Guid keyPersonId, Guid? userId);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Information, Message = "User {UserId} credited {Points} points ({Reason}, source {SourceKey})")]
    public static partial void PointsCredited(this ILogger logger, Guid userId, int points, IncentiveReason reason, string sourceKey);

    [LoggerMessage(EventId = 7052, Level = LogLevel.Warning, Message = "Redemption for user {UserId} collided with another one and was rejected; the user may retry")]
    public static partial void RedemptionConflict(this ILogger logger, Guid userId);

    [LoggerMessage(EventId = 7051, Level = LogLevel.Information, Message = "No {Reason} points for case {CaseNo}: {Rule}")]
    public static partial void PointsWithheld(this ILogger logger, IncentiveReason reason, string caseNo, string rule);
}
