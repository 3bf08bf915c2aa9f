using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;
using Shanzhi.Tests.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// The loader's read path on real stores: time order whatever the write order, batches beyond the
/// first, passages committed through the writer while the rebuild runs, and a failed read.
/// </summary>
public sealed class ContactIndexLoaderTests
{
    private const long Index = 11, Contact = 12;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Day = new(2026, 3, 10, 0, 0, 0, Beijing);

    private static async Task<long> AddMallAsync(ShanzhiDbContext db)
    {
        var place = new Place { Name = "测试商场", Kind = PlaceKind.Mall, GridCode = "330203001001001", RegionPath = "/330200/330203/" };
        db.Places.Add(place);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return place.Id;
    }

    private static Passage Stored(long device, long sequence, long place, long person, DateTimeOffset at, PassageDirection direction) => new()
    {
        DeviceId = device,
        DeviceSequence = sequence,
        EntranceId = 1,
        PlaceId = place,
        PersonKey = person,
        OccurredAt = at.ToUniversalTime(),
        Direction = direction,
        Decision = GateDecision.Pass,
        Channel = HubChannel.None,
        ReceivedAt = at.ToUniversalTime(),
    };

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_pairs_an_Out_stored_before_its_In(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            var mall = await AddMallAsync(db);
            // Written out of time order: the Out row comes first in the table.
            await BulkInsert.InsertAsync(db, [
                Stored(1, 1, mall, Index, Day.AddHours(11), PassageDirection.Out),
                Stored(1, 2, mall, Index, Day.AddHours(10), PassageDirection.In),
                Stored(1, 3, mall, Contact, Day.AddHours(10).AddMinutes(40), PassageDirection.In),
                Stored(1, 4, mall, Contact, Day.AddHours(12), PassageDirection.Out),
            ], TestContext.Current.CancellationToken);
        }

        await using var services = ContactIndexStoreTests.Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);

        var edge = Assert.Single(services.GetRequiredService<IContactTracer>().Trace(new TraceRequest(Index, Day.AddHours(9), RuleSets.Who)).Edges);
        Assert.Equal((Day.AddHours(10).AddMinutes(40), Day.AddHours(11)), (edge.OverlapStart, edge.OverlapEnd));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_reads_every_batch_of_a_large_table(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        const int Rows = 150_000;
        await using (var db = store.NewContext())
        {
            var mall = await AddMallAsync(db);
            await BulkInsert.InsertAsync(db, Crowd(mall, Rows), TestContext.Current.CancellationToken);
        }

        await using var services = ContactIndexStoreTests.Services(store);
        await services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Rows, services.GetRequiredService<ContactIndex>().PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_during_ingest_counts_each_passage_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        const int Stored = 100_000, Batches = 100;
        long mall;
        await using (var db = store.NewContext())
        {
            mall = await AddMallAsync(db);
            await BulkInsert.InsertAsync(db, Crowd(mall, Stored), TestContext.Current.CancellationToken);
        }

        await using var services = ContactIndexStoreTests.Services(store);
        var index = services.GetRequiredService<ContactIndex>();
        await using var writer = PassageWorld.Writer(store, TimeProvider.System, observers: index);

        // Each batch is one new person entering the mall at noon and leaving half an hour later.
        // A batch may commit before, during or after the read, and the index must count it once.
        var rebuild = Task.Run(() => services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        for (var b = 0; b < Batches; b++)
        {
            var person = 900_000 + b;
            var receipt = await writer.SubmitAsync([
                new PassageRecord(2, 2 * b, 1, mall, person, Day.AddHours(12).ToUniversalTime(), PassageDirection.In, GateDecision.Pass, HubChannel.None, HealthStatus.Green),
                new PassageRecord(2, (2 * b) + 1, 1, mall, person, Day.AddHours(12.5).ToUniversalTime(), PassageDirection.Out, GateDecision.Pass, HubChannel.None, HealthStatus.Green),
            ], TestContext.Current.CancellationToken);
            Assert.True(receipt.IsSuccess);
        }

        await rebuild;

        Assert.Equal(Stored + (2 * Batches), index.PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rebuild_raises_a_failed_read(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using (var db = store.NewContext())
        {
            await db.Database.ExecuteSqlRawAsync($"DROP TABLE {Passage.Table}", TestContext.Current.CancellationToken);
        }

        await using var services = ContactIndexStoreTests.Services(store);

        await Assert.ThrowsAnyAsync<DbException>(() => services.GetRequiredService<ContactIndexLoader>().RebuildAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Many people entering one mall through the day, a second apart, each leaving a minute after entering.</summary>
    private static Passage[] Crowd(long mall, int rows) =>
        [.. Enumerable.Range(0, rows).Select(i => i % 2 == 0
            ? Stored(1, i, mall, 100 + (i / 2), Day.AddSeconds(i / 2), PassageDirection.In)
            : Stored(1, i, mall, 100 + (i / 2), Day.AddSeconds((i / 2) + 60), PassageDirection.Out))];
}
