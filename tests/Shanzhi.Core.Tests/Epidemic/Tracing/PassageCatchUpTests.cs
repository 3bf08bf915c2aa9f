using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;
using Shanzhi.Tests.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// The catch-up on real stores: a process with its own writer and contact index (as the web host
/// has) picks up the passages a second writer (as the CLI has) commits, once, and skips its own.
/// </summary>
public sealed class PassageCatchUpTests
{
    private const long Index = 21, Contact = 22, Mall = 300;

    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// The index person at the mall 10:00–11:00, the contact 10:20–10:50: one edge of 30 minutes, on
    /// the day <paramref name="day"/> days after <see cref="Day"/>. Four identified passages.
    /// </summary>
    private static PassageRecord[] Visit(long device, int day = 0) =>
    [
        Pass(device, 1, Index, Day.AddDays(day).AddHours(10), PassageDirection.In),
        Pass(device, 2, Contact, Day.AddDays(day).AddHours(10).AddMinutes(20), PassageDirection.In),
        Pass(device, 3, Contact, Day.AddDays(day).AddHours(10).AddMinutes(50), PassageDirection.Out),
        Pass(device, 4, Index, Day.AddDays(day).AddHours(11), PassageDirection.Out),
        Pass(device, 5, null, Day.AddDays(day).AddHours(11), PassageDirection.In),
    ];

    private static PassageRecord Pass(long device, long sequence, long? person, DateTimeOffset at, PassageDirection direction) =>
        new(device, sequence, 1, Mall, person, at.ToUniversalTime(), direction, GateDecision.Pass, HubChannel.None, HealthStatus.Green);

    private static ServiceProvider Process(TestStore store, Action<TracingOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiStorage(store.Options);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Day.AddDays(5)));
        services.AddShanzhiTracing();
        services.AddPassageIngest();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services.BuildServiceProvider();
    }

    private static IReadOnlyList<ContactEdge> Edges(IServiceProvider process) =>
        process.GetRequiredService<IContactTracer>().Trace(new TraceRequest(Index, Day.AddHours(9), RuleSets.Who)).Edges;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Other_writers_passages_reach_the_index_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 7), cancellationToken);
        }

        Assert.Empty(Edges(web));
        var first = await catchUp.PollAsync(cancellationToken);
        var second = await catchUp.PollAsync(cancellationToken);

        Assert.Equal(new CatchUpResult(1, 4), first);
        Assert.Equal(new CatchUpResult(0, 0), second);
        var edge = Assert.Single(Edges(web));
        Assert.Equal((Contact, TimeSpan.FromMinutes(30)), (edge.To, edge.Overlap));
        Assert.Equal(4, web.GetRequiredService<ContactIndex>().PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Place_of_another_instance_gets_its_kind(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);

        // Registered after the rebuild by another instance, whose place observer this index never hears.
        long placeId;
        await using (var db = store.NewContext())
        {
            var place = new Place { Name = "月湖小区", Kind = PlaceKind.ResidentialCompound, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
            db.Places.Add(place);
            await db.SaveChangesAsync(cancellationToken);
            placeId = place.Id;
        }

        await using (var other = PassageWorld.Writer(store, TimeProvider.System))
        {
            await other.SubmitAsync([Pass(device: 9, 1, Index, Day.AddHours(8), PassageDirection.In) with { PlaceId = placeId }], cancellationToken);
        }

        var index = web.GetRequiredService<ContactIndex>();
        Assert.Null(index.PlaceKindOf(placeId));
        await web.GetRequiredService<PassageCatchUp>().PollAsync(cancellationToken);

        Assert.Equal(PlaceKind.ResidentialCompound, index.PlaceKindOf(placeId));
        Assert.Equal(1, index.PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Poll_gives_new_places_their_kind(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        await catchUp.PollAsync(cancellationToken);

        // Registered by another instance; its gate checks may still be sent to this one, whose own writer indexes them.
        var ids = new List<long>();
        await using (var db = store.NewContext())
        {
            foreach (var placeKind in new[] { PlaceKind.School, PlaceKind.RailStation })
            {
                var place = new Place { Name = "新场所", Kind = placeKind, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
                db.Places.Add(place);
                await db.SaveChangesAsync(cancellationToken);
                ids.Add(place.Id);
            }
        }

        var index = web.GetRequiredService<ContactIndex>();
        Assert.Null(index.PlaceKindOf(ids[0]));
        await catchUp.PollAsync(cancellationToken);

        Assert.Equal(PlaceKind.School, index.PlaceKindOf(ids[0]));
        Assert.Equal(PlaceKind.RailStation, index.PlaceKindOf(ids[1]));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Commit_seen_by_rebuild_and_catch_up_counts_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 7), cancellationToken);
        }

        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var applied = await web.GetRequiredService<PassageCatchUp>().PollAsync(cancellationToken);

        // The rebuild read the commit and the first poll, whose window covers the rebuild, applied it again.
        Assert.Equal(new CatchUpResult(1, 4), applied);
        var edge = Assert.Single(Edges(web));
        Assert.Equal(TimeSpan.FromMinutes(30), edge.Overlap);
        Assert.Equal(4, web.GetRequiredService<ContactIndex>().PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Own_commits_are_skipped(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var own = web.GetRequiredService<PassageWriter>();

        await own.SubmitAsync(Visit(device: 8), cancellationToken);
        var applied = await web.GetRequiredService<PassageCatchUp>().PollAsync(cancellationToken);

        await using var db = store.NewContext();
        Assert.Equal(own.WriterId, (await db.PassageCommits.SingleAsync(cancellationToken)).WriterId);
        Assert.Equal(new CatchUpResult(0, 0), applied);
        Assert.Single(Edges(web));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Expired_commit_rows_are_deleted(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        var retention = new TracingOptions().CommitRetention;
        await using (var db = store.NewContext())
        {
            db.PassageCommits.AddRange(
                new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow - retention - TimeSpan.FromHours(1), Ranges = [] },
                new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow.AddMinutes(-1), Ranges = [] });
            await db.SaveChangesAsync(cancellationToken);
        }

        await using var web = Process(store);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        await catchUp.PollAsync(cancellationToken);
        var deleted = await catchUp.PruneAsync(cancellationToken);

        await using var check = store.NewContext();
        var left = Assert.Single(await check.PassageCommits.ToListAsync(cancellationToken));
        Assert.Equal(1, deleted);
        Assert.True(left.CommittedAt > DateTimeOffset.UtcNow.AddHours(-1), $"The recent row was kept, not the one committed at {left.CommittedAt:O}.");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Prune_deletes_in_batches(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        var expiredAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(3);
        await using (var db = store.NewContext())
        {
            for (var i = 0; i < 7; i++)
            {
                db.PassageCommits.Add(new PassageCommit { WriterId = 1, CommittedAt = expiredAt.AddSeconds(i), Ranges = [] });
            }

            db.PassageCommits.Add(new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow.AddMinutes(-30), Ranges = [] });
            db.PassageCommits.Add(new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow.AddMinutes(-1), Ranges = [] });
            await db.SaveChangesAsync(cancellationToken);
        }

        await using var web = Process(store, o => o.CommitPruneBatchSize = 3);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        var beforeFirstPoll = await catchUp.PruneAsync(cancellationToken);
        await catchUp.PollAsync(cancellationToken);
        var deleted = await catchUp.PruneAsync(cancellationToken);

        await using var check = store.NewContext();
        var left = await check.PassageCommits.OrderBy(c => c.Id).ToListAsync(cancellationToken);
        Assert.Equal(0, beforeFirstPoll);
        Assert.Equal(7, deleted);

        // 3 + 3 + 1 rows.
        Assert.Equal(3, catchUp.PruneStatements);
        Assert.Equal(2, left.Count);
        Assert.All(left, c => Assert.True(c.CommittedAt > DateTimeOffset.UtcNow.AddHours(-1), $"Row {c.Id} committed at {c.CommittedAt:O} was kept."));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Poll_reads_only_rows_above_watermark(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        var own = web.GetRequiredService<PassageWriter>();
        for (var device = 100; device < 140; device++)
        {
            await own.SubmitAsync(Visit(device), cancellationToken);
        }

        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 7, day: 1), cancellationToken);
        }

        var first = await catchUp.PollAsync(cancellationToken);
        var readByFirst = catchUp.CommitRowsRead;
        var second = await catchUp.PollAsync(cancellationToken);

        await using var db = store.NewContext();
        var highest = await db.PassageCommits.MaxAsync(c => c.Id, cancellationToken);
        Assert.Equal(new CatchUpResult(1, 4), first);
        Assert.Equal(41, readByFirst);
        Assert.Equal(new CatchUpResult(0, 0), second);
        Assert.Equal(readByFirst, catchUp.CommitRowsRead);
        Assert.Equal(highest, catchUp.Watermark);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task First_poll_starts_at_window(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        var window = new TracingOptions().CatchUpWindow;
        long beforeWindow;
        await using (var db = store.NewContext())
        {
            var old = new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow - window - TimeSpan.FromMinutes(5), Ranges = [] };
            db.PassageCommits.Add(old);
            await db.SaveChangesAsync(cancellationToken);
            beforeWindow = old.Id;
            db.PassageCommits.Add(new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow - window + TimeSpan.FromMinutes(5), Ranges = [] });
            await db.SaveChangesAsync(cancellationToken);
        }

        await using var web = Process(store);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        var watermarkBeforePoll = catchUp.Watermark;
        var first = await catchUp.PollAsync(cancellationToken);

        Assert.Equal(-1, watermarkBeforePoll);
        Assert.Equal(new CatchUpResult(1, 0), first);
        Assert.Equal(1, catchUp.CommitRowsRead);
        Assert.Equal(beforeWindow + 1, catchUp.Watermark);
    }

    [Fact]
    public async Task Postgres_gap_waits_for_open_transaction()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Postgres);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        var index = web.GetRequiredService<ContactIndex>();
        await catchUp.PollAsync(cancellationToken);

        await using var open = await OpenTransaction.BeginAsync(store, Visit(device: 7), cancellationToken);
        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 8, day: 1), cancellationToken);
        }

        var whileOpen = await catchUp.PollAsync(cancellationToken);
        var watermarkWhileOpen = catchUp.Watermark;
        var countWhileOpen = index.PassageCount;
        await open.CommitAsync(cancellationToken);
        var afterCommit = await catchUp.PollAsync(cancellationToken);

        Assert.Equal(new CatchUpResult(1, 4), whileOpen);
        Assert.Equal(4, countWhileOpen);
        Assert.True(watermarkWhileOpen < open.CommitId, $"The watermark {watermarkWhileOpen} passed the open transaction's commit id {open.CommitId}.");
        Assert.Equal(new CatchUpResult(1, 4), afterCommit);
        Assert.Equal(8, index.PassageCount);
        Assert.True(catchUp.Watermark > open.CommitId, $"The watermark {catchUp.Watermark} stayed below the committed id {open.CommitId}.");
    }

    [Fact]
    public async Task Postgres_rolled_back_gap_is_given_up()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Postgres);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var web = Process(store, o => o.CatchUpGapTimeout = TimeSpan.FromMilliseconds(300));
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var catchUp = web.GetRequiredService<PassageCatchUp>();
        var index = web.GetRequiredService<ContactIndex>();
        await catchUp.PollAsync(cancellationToken);

        long gap;
        await using (var open = await OpenTransaction.BeginAsync(store, Visit(device: 7), cancellationToken))
        {
            gap = open.CommitId;
            await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
            {
                await cli.SubmitAsync(Visit(device: 8, day: 1), cancellationToken);
            }

            await catchUp.PollAsync(cancellationToken);
            Assert.Equal(gap - 1, catchUp.Watermark);
            await open.RollbackAsync(cancellationToken);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (catchUp.Watermark <= gap)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The watermark {catchUp.Watermark} did not pass the rolled-back id {gap} within 30 s.");
            await Task.Delay(50, cancellationToken);
            await catchUp.PollAsync(cancellationToken);
        }

        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 9, day: 2), cancellationToken);
        }

        var later = await catchUp.PollAsync(cancellationToken);
        Assert.Equal(new CatchUpResult(1, 4), later);
        Assert.Equal(8, index.PassageCount);
    }

    /// <summary>
    /// A passage transaction held open on a connection of its own, as a PostgreSQL writer is between
    /// inserting its commit row and committing: the same two inserts as the passage store's.
    /// </summary>
    private sealed class OpenTransaction : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlTransaction _transaction;

        private OpenTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, long commitId) =>
            (_connection, _transaction, CommitId) = (connection, transaction, commitId);

        public long CommitId { get; }

        public static async Task<OpenTransaction> BeginAsync(TestStore store, PassageRecord[] rows, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(store.Options.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var row in rows)
            {
                await using var insert = new NpgsqlCommand(
                    $"INSERT INTO {Passage.Table} ({PassageColumns.List}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now(), $11)", connection, transaction)
                {
                    Parameters =
                    {
                        new() { Value = row.DeviceId },
                        new() { Value = row.DeviceSequence },
                        new() { Value = row.EntranceId },
                        new() { Value = row.PlaceId },
                        new() { Value = row.PersonKey is { } person ? person : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                        new() { Value = row.OccurredAt.UtcDateTime },
                        new() { Value = (short)row.Direction },
                        new() { Value = (short)row.Decision },
                        new() { Value = (short)row.Channel },
                        new() { Value = row.StatusAtPassage is { } status ? (short)status : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Smallint },
                        new() { Value = Passage.HourOf(row.OccurredAt) },
                    },
                };
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            var ranges = PassageKeyRanges.Encode(PassageKeyRanges.From(rows.Select(r => (r.DeviceId, r.DeviceSequence))));
            await using var commit = new NpgsqlCommand(
                $"INSERT INTO {PassageCommit.Table} (writer_id, committed_at, ranges) VALUES ($1, clock_timestamp(), $2) RETURNING id", connection, transaction)
            {
                Parameters = { new() { Value = 42L }, new() { Value = ranges } },
            };
            var id = (long)(await commit.ExecuteScalarAsync(cancellationToken))!;
            return new OpenTransaction(connection, transaction, id);
        }

        public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

        public Task RollbackAsync(CancellationToken cancellationToken) => _transaction.RollbackAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _transaction.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Commit_of_deleted_passages_applies_nothing(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using (var cli = PassageWorld.Writer(store, TimeProvider.System))
        {
            await cli.SubmitAsync(Visit(device: 7), cancellationToken);
        }

        // As the retention job deletes expired passages: the commit row stays until it expires itself.
        await using (var db = store.NewContext())
        {
            await db.Passages.ExecuteDeleteAsync(cancellationToken);
        }

        await using var web = Process(store);
        await web.GetRequiredService<ContactIndexLoader>().RebuildAsync(cancellationToken);
        var applied = await web.GetRequiredService<PassageCatchUp>().PollAsync(cancellationToken);

        Assert.Equal(new CatchUpResult(1, 0), applied);
        Assert.Empty(Edges(web));
    }
}
