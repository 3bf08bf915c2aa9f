using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Storage;

namespace Shanzhi.Privacy;

/// <summary>
/// Retention periods per data class (<c>Retention:Policies:Movement = 28</c> days) and how often
/// the purge runs. A data class without a policy is never purged.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Passages and trajectories: 28 days unless a policy says otherwise.</summary>
    public const int MovementDays = 28;

    /// <summary>
    /// Health-status history: 180 days after a change was recorded, so a person can still contest
    /// a colour: 60 days for administrative reconsideration (行政复议法 art. 20) and 6 months for a
    /// lawsuit (行政诉讼法 art. 46) from learning of the decision. Each
    /// person's latest change is kept while it explains the current status.
    /// </summary>
    public const int HealthStatusHistoryDays = 180;

    /// <summary>The health-status history's retention as the record of processing activities states it, <c>{0}</c> being the days.</summary>
    public const string HealthStatusHistoryRule = "每条变更记录自入库起保存 {0} 天，到期删除；每人最新的一条变更一直保存，作为其现行健康码的依据。";

    /// <summary>Passages' and trace results' retention as the record of processing activities states it, <c>{0}</c> being the days.</summary>
    public const string MovementRule = "自发生之日起保存 {0} 天，到期删除。";

    /// <summary>Unidentified-person follow-ups' retention as the record of processing activities states it, <c>{0}</c> being the days.</summary>
    public const string UnidentifiedFollowUpRule = "核查办结后保存 {0} 天，到期删除；未办结的核查一直保存。";

    /// <summary>
    /// Unidentified-person follow-ups: 28 days after resolution, like the passage they refer to.
    /// An open follow-up is never purged, and the case itself stays in the case engine.
    /// </summary>
    public const int UnidentifiedFollowUpDays = 28;

    public Dictionary<string, int> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [RetentionClasses.Movement] = MovementDays,
        [RetentionClasses.HealthStatusHistory] = HealthStatusHistoryDays,
        [RetentionClasses.UnidentifiedFollowUp] = UnidentifiedFollowUpDays,
    };

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement, so a large purge never holds a long lock.</summary>
    public int BatchSize { get; set; } = 5000;

    /// <summary>
    /// The retention period of <paramref name="dataClass"/> in days, or null when its rows are
    /// never purged because it has no policy or a policy of 0 days or less.
    /// </summary>
    public int? DaysOf(string dataClass) => Policies.TryGetValue(dataClass, out var days) && days > 0 ? days : null;
}

/// <summary>
/// Names of the data classes that retention policies refer to (keys of <c>Retention:Policies</c>).
/// Not to be confused with <see cref="Classification.DataClass"/>, the PIPL classification of a
/// stored value.
/// </summary>
public static class RetentionClasses
{
    public const string Movement = "Movement";

    public const string HealthStatusHistory = "HealthStatusHistory";

    public const string UnidentifiedFollowUp = "UnidentifiedFollowUp";
}

/// <summary>Rows of one data class that expire: a table and the column that dates each row.</summary>
public interface IRetentionTarget
{
    string DataClass { get; }

    string Table { get; }

    /// <summary>Deletes up to <paramref name="batchSize"/> rows dated before <paramref name="cutoff"/> and returns their dates.</summary>
    Task<IReadOnlyList<DateTimeOffset>> DeleteBatchAsync(ShanzhiDbContext db, DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}

/// <summary>
/// A table whose rows expire by a timestamp column, stored as the platform stores instants: UTC
/// ticks on SQLite, <c>timestamptz</c> on PostgreSQL. A row whose timestamp is null never expires.
/// With <paramref name="keepNewestPer"/>, the newest row of each value of that column is kept
/// whatever its age. Table and column names come from code only.
/// </summary>
public sealed class TableRetentionTarget(string dataClass, string table, string timestampColumn, string? keepNewestPer = null) : IRetentionTarget
{
    public string DataClass => dataClass;

    public string Table => table;

    public async Task<IReadOnlyList<DateTimeOffset>> DeleteBatchAsync(ShanzhiDbContext db, DateTimeOffset cutoff, int batchSize,
        CancellationToken cancellationToken)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var name = sql.DelimitIdentifier(table);
        var column = sql.DelimitIdentifier(timestampColumn);
        var sqlite = db.Database.IsSqlite();

        // Row ids pick the batch, so the statement works on tables of any key.
        var rowId = sqlite ? "rowid" : "ctid";
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            var keep = keepNewestPer is null
                ? ""
                : $" AND EXISTS (SELECT 1 FROM {name} AS newer WHERE newer.{sql.DelimitIdentifier(keepNewestPer)} = old.{sql.DelimitIdentifier(keepNewestPer)} AND newer.{column} > old.{column})";
            command.CommandText =
                $"DELETE FROM {name} WHERE {rowId} IN (SELECT old.{rowId} FROM {name} AS old WHERE old.{column} < @cutoff{keep} LIMIT @batch) RETURNING {column}";
            Add(command, "@cutoff", sqlite ? cutoff.UtcTicks : cutoff.ToUniversalTime());
            Add(command, "@batch", batchSize);
            var dates = new List<DateTimeOffset>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                dates.Add(sqlite
                    ? new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero)
                    : reader.GetFieldValue<DateTimeOffset>(0));
            }

            return dates;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>What one purge removed from one data class; also written to the audit log as a receipt.</summary>
public sealed record RetentionReceipt(string DataClass, string Table, DateTimeOffset Cutoff, int Count, DateTimeOffset? Oldest, DateTimeOffset? Newest)
{
    public string Detail => string.Create(CultureInfo.InvariantCulture,
        $"table={Table}; count={Count}; oldest={Oldest:O}; newest={Newest:O}; cutoff={Cutoff:O}");
}

/// <summary>
/// Deletes what has outlived its data class's retention period and leaves a receipt per class in
/// the audit log. The audit log itself is never a target: MLPS level 3 wants audit records kept
/// at least 6 months and protected from change, so this engine refuses any target on its tables.
/// </summary>
public sealed class RetentionEngine(
    ShanzhiDbContext db,
    IEnumerable<IRetentionTarget> targets,
    IAuditLog audit,
    IOptions<RetentionOptions> options,
    ILogger<RetentionEngine> logger)
{
    public async Task<IReadOnlyList<RetentionReceipt>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var receipts = new List<RetentionReceipt>();
        foreach (var target in targets)
        {
            if (IsAuditTable(target.Table))
            {
                throw new InvalidOperationException($"Retention target {target.DataClass} names the audit table {target.Table}; the audit log is never purged.");
            }

            if (options.Value.DaysOf(target.DataClass) is not { } days)
            {
                logger.RetentionPolicyMissing(target.DataClass, target.Table);
                continue;
            }

            var receipt = await PurgeTargetAsync(target, now - TimeSpan.FromDays(days), cancellationToken);
            if (receipt.Count > 0)
            {
                await audit.AppendAsync(new AuditEntry(AuditAction.RetentionPurged, null, "系统",
                    "data-class", target.DataClass, "保存期限届满，依策略删除", receipt.Detail), cancellationToken);
                logger.RetentionPurged(receipt.Count, target.DataClass, target.Table, receipt.Cutoff);
            }

            receipts.Add(receipt);
        }

        return receipts;
    }

    private async Task<RetentionReceipt> PurgeTargetAsync(IRetentionTarget target, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var batchSize = Math.Max(1, options.Value.BatchSize);
        var count = 0;
        DateTimeOffset? oldest = null;
        DateTimeOffset? newest = null;
        IReadOnlyList<DateTimeOffset> batch;
        do
        {
            batch = await target.DeleteBatchAsync(db, cutoff, batchSize, cancellationToken);
            foreach (var at in batch)
            {
                oldest = oldest is null || at < oldest ? at : oldest;
                newest = newest is null || at > newest ? at : newest;
            }

            count += batch.Count;
        }
        while (batch.Count == batchSize);

        return new RetentionReceipt(target.DataClass, target.Table, cutoff, count, oldest, newest);
    }

    private bool IsAuditTable(string table) =>
        new[] { typeof(AuditRecord), typeof(AuditChainHead) }
            .Select(t => db.Model.FindEntityType(t)?.GetTableName())
            .Any(name => string.Equals(name, table, StringComparison.OrdinalIgnoreCase));
}
