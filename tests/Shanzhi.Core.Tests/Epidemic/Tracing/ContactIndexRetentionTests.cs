using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Privacy;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>The index drops passages past the movement retention while running, as the store does.</summary>
public sealed class ContactIndexRetentionTests
{
    private const long Index = 1, Contact = 2, Visitor = 3;
    private const long Mall = 100, Home = 200;

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    /// <summary>Start of the clock: 28 days after 28 February 09:00, so every stay below is inside the retention.</summary>
    private static readonly DateTimeOffset Now = At(28, 9);

    /// <summary>Time to move the clock by, so that the retention starts on 3 March 09:00, after every stay of 1 and 2 March has ended.</summary>
    private static readonly TimeSpan ThreeDays = TimeSpan.FromDays(3);

    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, Beijing);

    private static ContactIndex NewIndex(TimeProvider time)
    {
        var index = new ContactIndex(Options.Create(new TracingOptions()), Options.Create(new RetentionOptions()), time);
        index.SetPlaceKind(Mall, PlaceKind.Mall);
        index.SetPlaceKind(Home, PlaceKind.ResidentialCompound);
        return index;
    }

    private static IndexedPassage In(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.In);

    private static IndexedPassage Out(long person, long place, DateTimeOffset at) => new(person, place, at, PassageDirection.Out);

    private static readonly IndexedPassage[] Month =
    [
        In(Visitor, Mall, At(1, 10)), Out(Visitor, Mall, At(1, 11)),
        In(Index, Mall, At(2, 10)), Out(Index, Mall, At(2, 12)),
        In(Contact, Mall, At(2, 11)), Out(Contact, Mall, At(2, 13)),
        In(Index, Home, At(2, 20)), Out(Index, Home, At(3, 8)),
        In(Index, Mall, At(20, 10)), Out(Index, Mall, At(20, 11)),
        In(Contact, Mall, At(20, 10, 30)), Out(Contact, Mall, At(20, 12)),
    ];

    [Fact]
    public void Compaction_forgets_expired_stays()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.Add(Month);

        time.Advance(ThreeDays);
        index.Compact();

        Assert.Equal([Seconds(At(20, 10)), Seconds(At(20, 10, 30))], index.ExportStays().Select(s => s.Start).Order());
    }

    [Fact]
    public void Zero_day_policy_keeps_every_stay()
    {
        var time = new FakeTimeProvider(Now);
        var retention = new RetentionOptions();
        retention.Policies[RetentionClasses.Movement] = 0;
        using var index = new ContactIndex(Options.Create(new TracingOptions()), Options.Create(retention), time);
        index.Add(Month);

        time.Advance(ThreeDays);
        index.Compact();

        Assert.Equal(Month.Length / 2, index.ExportStays().Count);
    }

    [Fact]
    public void Compaction_forgets_persons_without_stays()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.Add(Month);

        time.Advance(ThreeDays);
        var result = index.Compact();

        Assert.Equal((1, 2), (result.PersonsDropped, index.PersonCount));
    }

    [Fact]
    public void Early_compaction_keeps_every_stay()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.Add(Month);

        index.Compact();

        Assert.Equal(6, index.StayCount);
    }

    [Fact]
    public void Compaction_equals_rebuild_from_store()
    {
        // 28 days before 31 March 07:00 is 3 March 07:00: the home entry of 2 March is purged, its exit kept.
        var time = new FakeTimeProvider(At(31, 7));
        using var compacted = NewIndex(time);
        compacted.Add(Month);
        compacted.Compact();

        using var rebuilt = NewIndex(time);
        rebuilt.BeginRebuild();
        rebuilt.SetPlaceKind(Mall, PlaceKind.Mall);
        rebuilt.SetPlaceKind(Home, PlaceKind.ResidentialCompound);
        rebuilt.Add([.. Month.Where(p => p.At >= time.GetUtcNow().AddDays(-RetentionOptions.MovementDays)).OrderBy(p => p.At)]);
        rebuilt.EndRebuild();

        Assert.Equal(rebuilt.ExportStays().Order(), compacted.ExportStays().Order());
    }

    [Fact]
    public void Trace_after_compaction_finds_retained_contacts()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.Add(Month);
        time.Advance(ThreeDays);
        index.Compact();

        var edges = index.Trace(new TraceRequest(Index, At(19, 9), RuleSets.Who)).Edges;

        Assert.Equal([(Contact, At(20, 10, 30))], edges.Select(e => (e.To, e.OverlapStart)));
    }

    [Fact]
    public void Passages_after_compaction_are_traced()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.Add(Month);
        index.Compact();
        index.Add([In(Visitor, Mall, At(20, 10, 45)), Out(Visitor, Mall, At(20, 11, 30))]);

        var edges = index.Trace(new TraceRequest(Index, At(19, 9), RuleSets.Who)).Edges;

        Assert.Equal([Contact, Visitor], edges.Select(e => e.To).Order());
    }

    [Fact]
    public void Compaction_keeps_stay_before_expired_one()
    {
        var time = new FakeTimeProvider(Now);
        using var index = NewIndex(time);
        index.AddStay(Index, Mall, At(20, 10), At(20, 11));
        index.AddStay(Index, Mall, At(1, 10), At(1, 11));
        index.AddStay(Contact, Mall, At(20, 10), At(20, 11));
        time.Advance(ThreeDays);

        index.Compact();

        var edges = index.Trace(new TraceRequest(Index, At(19, 9), RuleSets.Who)).Edges;
        Assert.Equal([Contact], edges.Select(e => e.To));
    }

    [Fact]
    public void Index_without_movement_policy_keeps_all()
    {
        var time = new FakeTimeProvider(Now);
        var retention = new RetentionOptions();
        retention.Policies.Remove(RetentionClasses.Movement);
        using var index = new ContactIndex(Options.Create(new TracingOptions()), Options.Create(retention), time);
        index.Add(Month);

        time.Advance(ThreeDays);
        index.Compact();

        Assert.Equal(6, index.StayCount);
    }

    [Fact]
    public async Task Compactor_drops_expired_stays_on_its_interval()
    {
        var time = new FakeTimeProvider(Now);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddShanzhiTracing();
        await using var provider = services.BuildServiceProvider();
        var index = provider.GetRequiredService<ContactIndex>();
        index.BeginRebuild();
        index.Add(Month);
        index.EndRebuild();
        var compactor = provider.GetServices<IHostedService>().OfType<ContactIndexCompactor>().Single();
        await compactor.StartAsync(TestContext.Current.CancellationToken);

        time.Advance(ThreeDays);

        // The compactor creates its timer on its own thread, so the clock moves on until it has ticked.
        for (var i = 0; i < 200 && index.StayCount == 6; i++)
        {
            time.Advance(new TracingOptions().CompactionInterval);
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        await compactor.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, index.StayCount);
    }

    private static int Seconds(DateTimeOffset at) => (int)(at - IndexClock.Epoch).TotalSeconds;
}
