using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;
using static Shanzhi.Tests.Epidemic.Passages.PassageWorld;

namespace Shanzhi.Tests.Epidemic.Passages;

public sealed class PassageWriterTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Passages_read_back_through_EF(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var clock = new FakeTimeProvider(Now);
        // PostgreSQL keeps microseconds, as with EF, so the times here have no finer digits.
        PassageRecord[] sent =
        [
            Passage(1, 1),
            new(1, 2, 11, 101, null, Now.AddTicks(-12_345_670), PassageDirection.Out, GateDecision.ManualCheck, HubChannel.VisitorArrival, null),
            new(1, 3, 11, 101, 42, new DateTimeOffset(2026, 6, 1, 16, 0, 0, TimeSpan.FromHours(8)), PassageDirection.In, GateDecision.Deny,
                HubChannel.ResidentReturn, HealthStatus.Red),
        ];
        await using (var writer = Writer(store, clock))
        {
            await writer.SubmitAsync(sent, TestContext.Current.CancellationToken);
        }

        await using var db = store.NewContext();
        var read = await db.Passages.AsNoTracking().OrderBy(p => p.DeviceSequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(sent, read.Select(p => new PassageRecord(p.DeviceId, p.DeviceSequence, p.EntranceId, p.PlaceId, p.PersonKey,
            p.OccurredAt, p.Direction, p.Decision, p.Channel, p.StatusAtPassage)));
        Assert.All(read, p => Assert.Equal(Now, p.ReceivedAt));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Writer_stores_occurrence_hour(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var clock = new FakeTimeProvider(Now);
        // 2026-06-01 08:00 UTC is 1,780,300,800 s after the Unix epoch, hour 494,528.
        PassageRecord[] sent =
        [
            Passage(1, 1, at: Now),
            Passage(1, 2, at: Now.AddTicks(-1)),
            Passage(1, 3, at: new DateTimeOffset(2026, 6, 1, 16, 59, 59, TimeSpan.FromHours(8))),
        ];
        await using (var writer = Writer(store, clock))
        {
            await writer.SubmitAsync(sent, TestContext.Current.CancellationToken);
        }

        await using var db = store.NewContext();
        var hours = await db.Passages.AsNoTracking().OrderBy(p => p.DeviceSequence).Select(p => p.OccurredHour)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([494_528L, 494_527L, 494_528L], hours);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_batch_counts_as_duplicates(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var writer = Writer(store, TimeProvider.System);
        var cancellationToken = TestContext.Current.CancellationToken;
        await writer.SubmitAsync(Range(1, 1, 5), cancellationToken);

        var again = await writer.SubmitAsync([.. Range(1, 4, 4)], cancellationToken);

        Assert.Equal(new IngestReceipt(2, 2), again.Value);
        await using var db = store.NewContext();
        Assert.Equal(7, await db.Passages.CountAsync(cancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Sequence_repeated_inside_a_batch_is_a_duplicate(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var writer = Writer(store, TimeProvider.System);

        var receipt = await writer.SubmitAsync([Passage(1, 1), Passage(1, 2), Passage(1, 1), Passage(2, 1)], TestContext.Current.CancellationToken);

        Assert.Equal(new IngestReceipt(3, 1), receipt.Value);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_overlapping_batches_store_once(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var writer = Writer(store, TimeProvider.System);
        var cancellationToken = TestContext.Current.CancellationToken;

        // 8 clients send sequences 0..299 of device 1 in overlapping windows of 100.
        var receipts = await Task.WhenAll(Enumerable.Range(0, 8).Select(c =>
            Task.Run(() => writer.SubmitAsync(Range(1, c * 25 % 200, 100), cancellationToken), cancellationToken)));

        await using var db = store.NewContext();
        var stored = await db.Passages.CountAsync(cancellationToken);
        var distinct = Enumerable.Range(0, 8).SelectMany(c => Range(1, c * 25 % 200, 100)).Select(p => p.DeviceSequence).Distinct().Count();
        Assert.Equal(distinct, stored);
        Assert.Equal(stored, receipts.Sum(r => r.Value!.Accepted));
        Assert.Equal(800 - stored, receipts.Sum(r => r.Value!.Duplicates));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Observers_see_only_new_passages(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var observer = new RecordingObserver();
        await using var writer = Writer(store, TimeProvider.System, observers: observer);
        var cancellationToken = TestContext.Current.CancellationToken;
        await writer.SubmitAsync(Range(1, 1, 3), cancellationToken);

        await writer.SubmitAsync(Range(1, 2, 3), cancellationToken);

        Assert.Equal([1L, 2, 3, 4], observer.Seen.Select(p => p.DeviceSequence));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Receipt_comes_after_observers(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var observer = new RecordingObserver();
        await using var writer = Writer(store, TimeProvider.System, observers: observer);
        var cancellationToken = TestContext.Current.CancellationToken;

        // Each client records how many of its own passages the observer had seen when its receipt arrived.
        var seenAtReceipt = await Task.WhenAll(Enumerable.Range(1, 8).Select(device => Task.Run(async () =>
        {
            var counts = new List<int>();
            for (var batch = 0; batch < 5; batch++)
            {
                await writer.SubmitAsync(Range(device, batch * 50, 50), cancellationToken);
                counts.Add(observer.Seen.Count(p => p.DeviceId == device));
            }

            return counts;
        }, cancellationToken)));

        Assert.All(seenAtReceipt, counts => Assert.Equal([50, 100, 150, 200, 250], counts));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Full_queue_rejects_without_losing_accepted(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var writer = Writer(store, TimeProvider.System, queueCapacity: 1);
        var cancellationToken = TestContext.Current.CancellationToken;
        const int Batches = 6;
        Task<Result<IngestReceipt>>[] submits;
        await using (await StoreLock.TakeAsync(store))
        {
            // The writer holds one batch, blocked on the lock, and the queue one more: the rest are rejected at once.
            submits = [.. Enumerable.Range(0, Batches).Select(i => writer.SubmitAsync(Range(1, i * 10, 10), cancellationToken))];
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (submits.Count(t => t.IsCompleted) < Batches - 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, cancellationToken);
            }
        }

        var results = await Task.WhenAll(submits);
        var accepted = results.Where(r => r.IsSuccess).ToList();
        Assert.Contains(PassageErrors.QueueFull, results.Select(r => r.Error));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(PassageErrors.QueueFull, r.Error));
        Assert.All(accepted, r => Assert.Equal(new IngestReceipt(10, 0), r.Value));
        await using var db = store.NewContext();
        Assert.Equal(accepted.Count * 10, await db.Passages.CountAsync(cancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Failed_commit_fails_submitter_writer_continues(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var writer = Writer(store, TimeProvider.System);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var db = store.NewContext();

        await db.Database.ExecuteSqlRawAsync("ALTER TABLE passages RENAME TO passages_away", cancellationToken);
        var failed = await writer.SubmitAsync(Range(1, 1, 3), cancellationToken);
        await db.Database.ExecuteSqlRawAsync("ALTER TABLE passages_away RENAME TO passages", cancellationToken);
        var resent = await writer.SubmitAsync(Range(1, 1, 3), cancellationToken);

        Assert.Equal(PassageErrors.StoreUnavailable, failed.Error);
        Assert.Equal(new IngestReceipt(3, 0), resent.Value);
    }

    [Fact]
    public async Task Max_times_cover_commit_then_reset()
    {
        await using var store = await TestStore.CreateAsync(StoreKind.Sqlite);
        await using var writer = Writer(store, TimeProvider.System, observers: new SlowObserver(TimeSpan.FromMilliseconds(30)));
        var cancellationToken = TestContext.Current.CancellationToken;

        await writer.SubmitAsync(Range(1, 1, 3), cancellationToken);
        var (queued, inStore, observers) = writer.TakeMaxTimes();
        var again = writer.TakeMaxTimes();

        Assert.True(queued >= TimeSpan.Zero, $"queued {queued}");
        Assert.True(inStore > TimeSpan.Zero, $"store {inStore}");
        Assert.True(observers >= TimeSpan.FromMilliseconds(30), $"observers {observers}");
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), again);
    }

    /// <summary>An observer that takes a fixed time per committed group.</summary>
    private sealed class SlowObserver(TimeSpan delay) : IPassageObserver
    {
        public void OnCommitted(IReadOnlyList<PassageRecord> passages) => Thread.Sleep(delay);
    }
}
