using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Tests.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Investigations;

/// <summary>The trajectory query reads the (hour, person, time) index rather than scanning passages.</summary>
public sealed class TrajectoryQueryTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trajectory_query_seeks_hour_index(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var start = new DateTimeOffset(2026, 2, 19, 16, 0, 0, TimeSpan.Zero);
        // Two weeks of passages, one a minute, of 5,000 persons, so that the planner's statistics
        // show how selective the person is against the time range.
        await using (var writer = PassageWorld.Writer(store, new FakeTimeProvider(start.AddDays(15))))
        {
            var rows = Enumerable.Range(0, 20_160)
                .Select(i => PassageWorld.Passage(device: 1, sequence: i, at: start.AddMinutes(i), person: 1 + i % 5_000))
                .ToArray();
            Assert.True((await writer.SubmitAsync(rows, TestContext.Current.CancellationToken)).IsSuccess);
        }

        await using var db = store.NewContext();
        await db.Database.ExecuteSqlRawAsync("ANALYZE", TestContext.Current.CancellationToken);
        var query = InvestigationService.Trajectory(db, personKey: 5, Passage.HoursBetween(start, start.AddDays(14)), "/330200/");

        var plan = await ExplainAsync(db, query.CreateDbCommand(), kind);

        Assert.Contains("IX_passages_occurred_hour_person_key_occurred_at", plan);
        // SQLite names the seek keys; PostgreSQL lists them as the index condition.
        Assert.Contains(kind == StoreKind.Sqlite ? "occurred_hour=? AND person_key=?" : "occurred_hour = ANY", plan);
    }

    /// <summary>Returns the store's plan for the command, with its parameters bound.</summary>
    private static async Task<string> ExplainAsync(DbContext db, DbCommand command, StoreKind kind)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await db.Database.OpenConnectionAsync(cancellationToken);
        command.CommandText = (kind == StoreKind.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // SQLite puts the plan text in its fourth column, PostgreSQL in its only one.
            lines.Add(reader.GetString(reader.FieldCount - 1));
        }

        return string.Join("\n", lines);
    }
}
