using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
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

    /// <summary>The index person at the mall 10:00–11:00, the contact 10:20–10:50: one edge of 30 minutes.</summary>
    private static PassageRecord[] Visit(long device) =>
    [
        Pass(device, 1, Index, Day.AddHours(10), PassageDirection.In),
        Pass(device, 2, Contact, Day.AddHours(10).AddMinutes(20), PassageDirection.In),
        Pass(device, 3, Contact, Day.AddHours(10).AddMinutes(50), PassageDirection.Out),
        Pass(device, 4, Index, Day.AddHours(11), PassageDirection.Out),
        Pass(device, 5, null, Day.AddHours(11), PassageDirection.In),
    ];

    private static PassageRecord Pass(long device, long sequence, long? person, DateTimeOffset at, PassageDirection direction) =>
        new(device, sequence, 1, Mall, person, at.ToUniversalTime(), direction, GateDecision.Pass, HubChannel.None, HealthStatus.Green);

    private static ServiceProvider Process(TestStore store)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddShanzhiStorage(store.Options);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Day.AddDays(5)));
        services.AddShanzhiTracing();
        services.AddPassageIngest();
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
        await using (var db = store.NewContext())
        {
            db.PassageCommits.AddRange(
                new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow - PassageCommit.Retention - TimeSpan.FromHours(1), Ranges = [] },
                new PassageCommit { WriterId = 1, CommittedAt = DateTimeOffset.UtcNow.AddMinutes(-1), Ranges = [] });
            await db.SaveChangesAsync(cancellationToken);
        }

        await using var web = Process(store);
        await web.GetRequiredService<PassageCatchUp>().PollAsync(cancellationToken);

        await using var check = store.NewContext();
        var left = Assert.Single(await check.PassageCommits.ToListAsync(cancellationToken));
        Assert.True(left.CommittedAt > DateTimeOffset.UtcNow.AddHours(-1), $"The recent row was kept, not the one committed at {left.CommittedAt:O}.");
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
