using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Shanzhi.Tests.Privacy;

/// <summary>
/// The retention engine over a movement table the test creates (the platform has no movement
/// records yet): expired rows are deleted from the store and a receipt lands in the audit log.
/// </summary>
public sealed class RetentionTests
{
    private const string Table = "test_movements";

    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Purge_deletes_rows_older_than_the_policy(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await CreateMovementsAsync(store, Now.AddDays(-40), Now.AddDays(-29), Now.AddDays(-27), Now.AddHours(-1));

        await PurgeAsync(store, new FakeTimeProvider(Now), batchSize: 1);

        Assert.Equal([Now.AddDays(-27), Now.AddHours(-1)], await MovementsAsync(store));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Purge_writes_a_receipt_with_class_range_and_count(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await CreateMovementsAsync(store, Now.AddDays(-40), Now.AddDays(-29), Now.AddDays(-1));

        var receipts = await PurgeAsync(store, new FakeTimeProvider(Now), batchSize: 1000);

        await using var db = store.NewContext();
        var record = await db.AuditRecords.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((AuditAction.RetentionPurged, RetentionClasses.Movement), (record.Action, record.SubjectId));
        Assert.Equal(receipts.Single().Detail, record.Detail);
        Assert.Equal((2, Now.AddDays(-40), Now.AddDays(-29)), (receipts.Single().Count, receipts.Single().Oldest, receipts.Single().Newest));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Purge_with_nothing_expired_writes_no_receipt(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await CreateMovementsAsync(store, Now.AddDays(-1));

        await PurgeAsync(store, new FakeTimeProvider(Now), batchSize: 1000);

        await using var db = store.NewContext();
        Assert.False(await db.AuditRecords.AnyAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Audit_table_is_refused_as_a_target()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var db = store.NewContext();
        var engine = Engine(db, store, new FakeTimeProvider(Now), 100, new TableRetentionTarget(RetentionClasses.Movement, "audit_records", "at"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.PurgeAsync(Now, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Job_purges_at_start_and_again_after_each_interval(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await CreateMovementsAsync(store, Now.AddDays(-30), Now.AddDays(-20));
        var clock = new FakeTimeProvider(Now);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddLogging()
            .AddShanzhiStorage(store.Options)
            .AddShanzhiAudit()
            .AddRetentionTarget(RetentionClasses.Movement, Table, "at")
            .AddShanzhiRetentionJob()
            .BuildServiceProvider();
        await using var _ = services;
        var job = services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<RetentionJob>().Single();
        var cancellationToken = TestContext.Current.CancellationToken;

        await job.StartAsync(cancellationToken);
        await WaitForReceiptsAsync(store, 1);
        var afterStart = await MovementsAsync(store);
        clock.Advance(TimeSpan.FromDays(9));
        await WaitForReceiptsAsync(store, 2);
        await job.StopAsync(cancellationToken);

        Assert.Equal([Now.AddDays(-20)], afterStart);
        Assert.Empty(await MovementsAsync(store));
    }

    private static RetentionEngine Engine(ShanzhiDbContext db, TestStore store, TimeProvider clock, int batchSize, IRetentionTarget target) =>
        new(db, [target], new TestAuditLog(store, clock),
            MsOptions.Create(new RetentionOptions { BatchSize = batchSize }), NullLogger<RetentionEngine>.Instance);

    private static async Task<IReadOnlyList<RetentionReceipt>> PurgeAsync(TestStore store, TimeProvider clock, int batchSize)
    {
        await using var db = store.NewContext();
        var engine = Engine(db, store, clock, batchSize, new TableRetentionTarget(RetentionClasses.Movement, Table, "at"));
        return await engine.PurgeAsync(clock.GetUtcNow(), TestContext.Current.CancellationToken);
    }

    /// <summary>A movement table stored as the platform stores instants: UTC ticks on SQLite, timestamptz on PostgreSQL.</summary>
    private static async Task CreateMovementsAsync(TestStore store, params DateTimeOffset[] times)
    {
        await using var db = store.NewContext();
        var sqlite = store.Kind == StoreKind.Sqlite;
        var cancellationToken = TestContext.Current.CancellationToken;
        var create = sqlite
            ? "CREATE TABLE test_movements (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)"
            : "CREATE TABLE test_movements (id bigserial PRIMARY KEY, at timestamptz NOT NULL)";
        await db.Database.ExecuteSqlRawAsync(create, cancellationToken);
        foreach (var at in times)
        {
            await db.Database.ExecuteSqlRawAsync("INSERT INTO test_movements (at) VALUES ({0})", [sqlite ? at.UtcTicks : at], cancellationToken);
        }
    }

    private static async Task<List<DateTimeOffset>> MovementsAsync(TestStore store)
    {
        await using var db = store.NewContext();
        var cancellationToken = TestContext.Current.CancellationToken;
        return store.Kind == StoreKind.Sqlite
            ? [.. (await db.Database.SqlQueryRaw<long>($"SELECT at AS \"Value\" FROM {Table} ORDER BY at").ToListAsync(cancellationToken))
                .Select(t => new DateTimeOffset(t, TimeSpan.Zero))]
            : await db.Database.SqlQueryRaw<DateTimeOffset>($"SELECT at AS \"Value\" FROM {Table} ORDER BY at").ToListAsync(cancellationToken);
    }

    /// <summary>Waits for the job's background runs to leave receipts; the bound only stops a hung test.</summary>
    private static async Task WaitForReceiptsAsync(TestStore store, int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            await using var db = store.NewContext();
            if (await db.AuditRecords.CountAsync(r => r.Action == AuditAction.RetentionPurged, TestContext.Current.CancellationToken) >= count)
            {
                return;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"The retention job did not write {count} receipts.");
    }
}
