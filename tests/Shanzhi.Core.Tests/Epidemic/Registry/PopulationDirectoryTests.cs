using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>
/// The in-memory population directory behind the gate check: load, readiness, updates from this
/// process, and the poll that carries changes made by another service instance over the same store.
/// </summary>
public sealed class PopulationDirectoryTests
{
    private const string Province = "浙江省健康码";

    private static readonly ILoggerFactory Logs = LogSink.Shared.Factory();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Load_holds_keys_statuses_and_residency(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var green = await world.RegisterAsync(1);
        var red = await world.RegisterAsync(2);
        var none = await world.RegisterAsync(3);
        await using (var db = world.NewContext())
        {
            await world.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, [
                new UpstreamHealthItem(null, green, HealthStatus.Green, "ZJ-1", At(8)),
                new UpstreamHealthItem(null, red, HealthStatus.Red, "ZJ-2", At(8))]), world.CityOfficer, Ct);
        }

        await using var instance = new Instance(world);
        await instance.Loader.LoadAsync(Ct);

        Assert.True(instance.Directory.IsReady);
        Assert.Equal(3, instance.Directory.Count);
        Assert.Equal((DirectoryAnswer.Found, red), Find(instance, SyntheticIds.Id(2)));
        Assert.Equal(DirectoryAnswer.Absent, Find(instance, SyntheticIds.Id(4)).Answer);
        Assert.Equal((DirectoryAnswer.Found, (HealthStatus?)HealthStatus.Green, ResidencyClass.Permanent), Status(instance, green));
        Assert.Equal((DirectoryAnswer.Found, (HealthStatus?)HealthStatus.Red, ResidencyClass.Permanent), Status(instance, red));
        Assert.Equal((DirectoryAnswer.Found, (HealthStatus?)null, ResidencyClass.Permanent), Status(instance, none));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Lookup_reads_store_until_loaded(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var instance = new Instance(world);

        var answer = instance.Directory.FindStatus(key, out _, out _);
        var found = await instance.Lookup.FindByIdNumberAsync(SyntheticIds.Id(1), Ct);
        var status = await instance.Lookup.StatusAsync(key, Ct);

        Assert.False(instance.Directory.IsReady);
        Assert.Equal(DirectoryAnswer.AskStore, answer);
        Assert.Equal(key, found);
        Assert.Equal(new Shanzhi.Epidemic.Gates.PersonStatus(null), status);
        Assert.Equal(0, instance.Directory.Count);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Loaded_directory_answers_from_memory(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var instance = new Instance(world);
        await instance.Loader.LoadAsync(Ct);

        // A write that bypasses the registry (no updated_at) is not seen: the answer comes from memory.
        await using (var db = world.NewContext())
        {
            await db.Persons.Where(p => p.Key == key).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, HealthStatus.Red), Ct);
        }

        Assert.Equal(new Shanzhi.Epidemic.Gates.PersonStatus(null), await instance.Lookup.StatusAsync(key, Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Status_change_in_process_is_seen_at_once(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var instance = new Instance(world);
        await instance.Loader.LoadAsync(Ct);

        await using (var db = world.NewContext())
        {
            await instance.Health(db).ApplyRuleAsync(key, new HealthRuleHit("secondary-contact", "次密接判定"), world.CityOfficer, Ct);
        }

        var after = await instance.Lookup.StatusAsync(key, Ct);
        var refilled = instance.Directory.FindStatus(key, out var held, out _);

        Assert.Equal(HealthStatus.Yellow, after?.Status);
        Assert.Equal((DirectoryAnswer.Found, (HealthStatus?)HealthStatus.Yellow), (refilled, held));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registration_in_process_is_seen_at_once(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var instance = new Instance(world);
        await instance.Loader.LoadAsync(Ct);

        await using var db = world.NewContext();
        var registered = await instance.Registry(db).RegisterAsync(
            new RegisterPersonRequest("测试人员", SyntheticIds.Id(7), "13900000000", ResidencyClass.Visitor, RegistryWorld.GridA), world.CityOfficer, Ct);
        var key = registered.Value!.PersonKey;

        Assert.Equal((DirectoryAnswer.Found, key), Find(instance, SyntheticIds.Id(7)));
        Assert.Equal(ResidencyClass.Visitor, instance.Lookup.KnownResidency(key));
        Assert.Equal(key, await instance.Lookup.FindByIdNumberAsync(SyntheticIds.Id(7), Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Change_by_another_instance_arrives_with_the_next_poll(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var gate = new Instance(world);
        await using var other = new Instance(world);
        await gate.Loader.LoadAsync(Ct);
        await other.Loader.LoadAsync(Ct);
        await using (var db = world.NewContext())
        {
            await other.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, [new UpstreamHealthItem(null, key, HealthStatus.Green, "ZJ-1", At(8))]),
                world.CityOfficer, Ct);
        }

        await gate.Loader.PollAsync(Ct);
        var green = await gate.Lookup.StatusAsync(key, Ct);
        await using (var db = world.NewContext())
        {
            await other.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, [new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-2", At(9))]),
                world.CityOfficer, Ct);
        }

        var beforePoll = await gate.Lookup.StatusAsync(key, Ct);
        await gate.Loader.PollAsync(Ct);
        var afterPoll = await gate.Lookup.StatusAsync(key, Ct);

        Assert.Equal(HealthStatus.Green, green?.Status);
        Assert.Equal(HealthStatus.Green, beforePoll?.Status);
        Assert.Equal(HealthStatus.Red, afterPoll?.Status);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registration_by_another_instance_is_found_before_the_poll(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var gate = new Instance(world);
        await using var other = new Instance(world);
        await gate.Loader.LoadAsync(Ct);
        await using (var db = world.NewContext())
        {
            await other.Registry(db).RegisterAsync(
                new RegisterPersonRequest("测试人员", SyntheticIds.Id(3), "13900000000", ResidencyClass.Permanent, RegistryWorld.GridA), world.CityOfficer, Ct);
        }

        var held = Find(gate, SyntheticIds.Id(3)).Answer;
        var found = await gate.Lookup.FindByIdNumberAsync(SyntheticIds.Id(3), Ct);

        Assert.Equal(DirectoryAnswer.Absent, held);
        Assert.NotNull(found);
        Assert.Equal((DirectoryAnswer.Found, found.Value), Find(gate, SyntheticIds.Id(3)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Running_loader_applies_change_within_one_poll_interval(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        var registeredElsewhere = SyntheticIds.Id(2);
        await using var gate = new Instance(world);
        await using var other = new Instance(world);
        await gate.Loader.StartAsync(Ct);
        await WaitAsync(() => gate.Directory.IsReady);

        // The loader creates its poll timer right after the load; give it a moment before the clock moves.
        await Task.Delay(200, Ct);
        await using (var db = world.NewContext())
        {
            await other.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, [new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-1", At(8))]),
                world.CityOfficer, Ct);
            await other.Registry(db).RegisterAsync(
                new RegisterPersonRequest("测试人员", registeredElsewhere, "13900000000", ResidencyClass.Permanent, RegistryWorld.GridA), world.CityOfficer, Ct);
        }

        var stale = (await gate.Lookup.StatusAsync(key, Ct))?.Status;
        var unknown = Find(gate, registeredElsewhere).Answer;
        world.Cases.Clock.Advance(PopulationDirectoryLoader.PollInterval);
        await WaitAsync(() => gate.Directory.FindStatus(key, out var status, out _) == DirectoryAnswer.Found && status == HealthStatus.Red);
        await gate.Loader.StopAsync(Ct);

        Assert.Null(stale);
        Assert.Equal(DirectoryAnswer.Absent, unknown);
        Assert.Equal(HealthStatus.Red, (await gate.Lookup.StatusAsync(key, Ct))?.Status);
        Assert.Equal(DirectoryAnswer.Found, Find(gate, registeredElsewhere).Answer);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Fresh_change_is_applied_at_next_poll(StoreKind kind)
    {
        // Stamped 5 s after its commit (the writer's clock runs ahead), at the commit, and up to FreshAge before it.
        TimeSpan[] latenesses = [TimeSpan.FromSeconds(-5), TimeSpan.Zero, TimeSpan.FromSeconds(1), PopulationDirectoryLoader.FreshAge];

        var delays = await DelaysUntilAppliedAsync(kind, latenesses);

        for (var i = 0; i < latenesses.Length; i++)
        {
            Assert.True(delays[i] == PopulationDirectoryLoader.PollInterval,
                $"A change stamped {latenesses[i].TotalSeconds} s before its commit was applied {Describe(delays[i])}, not at the next poll.");
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Late_commit_within_overlap_is_applied(StoreKind kind)
    {
        // Each lateness is first covered by a different reread age, and the last is the whole overlap.
        TimeSpan[] latenesses = [.. new[] { 3, 6, 12, 20, 29 }.Select(s => TimeSpan.FromSeconds(s)), PopulationDirectoryLoader.Overlap];

        var delays = await DelaysUntilAppliedAsync(kind, latenesses);

        for (var i = 0; i < latenesses.Length; i++)
        {
            Assert.True(delays[i] <= latenesses[i] + PopulationDirectoryLoader.PollInterval,
                $"A change stamped {latenesses[i].TotalSeconds} s before its commit was applied {Describe(delays[i])}.");
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Bulk_update_is_read_at_most_seven_times(StoreKind kind)
    {
        const int persons = 100;

        // At polls one second apart: 3 reads while the stamp is fresh, then one at each of the 4 reread ages.
        const int maxReads = 7;
        await using var world = await RegistryWorld.CreateAsync(kind);
        var keys = new List<long>();
        for (var n = 1; n <= persons; n++)
        {
            keys.Add(await world.RegisterAsync(n));
        }

        await using var gate = new Instance(world);
        await using var other = new Instance(world);
        await gate.Loader.LoadAsync(Ct);

        // Age the registrations' stamps past the overlap, so the polls counted below read only the bulk update.
        world.Cases.Clock.Advance(PopulationDirectoryLoader.Overlap + PopulationDirectoryLoader.PollInterval);
        await gate.Loader.PollAsync(Ct);
        var readBefore = gate.Loader.PolledRows;
        await using (var db = world.NewContext())
        {
            var items = keys.Select((key, i) => new UpstreamHealthItem(null, key, HealthStatus.Red, $"ZJ-{i}", At(8))).ToList();
            await other.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, items), world.CityOfficer, Ct);
        }

        var bulkStamp = world.Cases.Clock.GetUtcNow();
        while (world.Cases.Clock.GetUtcNow() - bulkStamp <= PopulationDirectoryLoader.Overlap + PopulationDirectoryLoader.PollInterval)
        {
            world.Cases.Clock.Advance(PopulationDirectoryLoader.PollInterval);
            await gate.Loader.PollAsync(Ct);
        }

        var reads = gate.Loader.PolledRows - readBefore;
        var red = keys.Count(key => Status(gate, key) == (DirectoryAnswer.Found, HealthStatus.Red, ResidencyClass.Permanent));

        Assert.Equal(persons, red);
        Assert.InRange(reads, persons, maxReads * persons);
    }

    [Fact]
    public void Read_from_before_a_change_does_not_overwrite_it()
    {
        var directory = new PopulationDirectory();
        directory.MarkReady(true);
        var green = new PopulationRow(5, 0x1234, HealthStatus.Green, ResidencyClass.Permanent);
        directory.Apply([green], directory.ForgetSequence);

        var readBeforeChange = directory.ForgetSequence;
        directory.Forget([5]);
        directory.Apply([green], readBeforeChange);
        var afterStaleRead = directory.FindStatus(5, out _, out _);
        directory.Apply([green with { Status = HealthStatus.Red }], directory.ForgetSequence);
        var afterFreshRead = directory.FindStatus(5, out var status, out _);

        Assert.Equal(DirectoryAnswer.AskStore, afterStaleRead);
        Assert.Equal((DirectoryAnswer.Found, (HealthStatus?)HealthStatus.Red), (afterFreshRead, status));
    }

    [Fact]
    public void Colliding_prefixes_send_both_persons_to_the_store()
    {
        var directory = new PopulationDirectory();
        directory.MarkReady(true);
        var index = new byte[32];
        index[0] = 0x42;
        var prefix = PopulationDirectory.Prefix(index);

        directory.Apply([new PopulationRow(1, prefix, HealthStatus.Green, ResidencyClass.Permanent)], 0);
        var single = directory.FindByIndex(index, out var key);
        directory.Apply([new PopulationRow(2, prefix, HealthStatus.Red, ResidencyClass.Permanent)], 0);
        var collided = directory.FindByIndex(index, out _);

        Assert.Equal((DirectoryAnswer.Found, 1L), (single, key));
        Assert.Equal(DirectoryAnswer.AskStore, collided);
    }

    [Fact]
    public void Directory_grows_past_its_first_tables()
    {
        var directory = new PopulationDirectory();
        directory.MarkReady(true);
        var rows = Enumerable.Range(1, 50_000)
            .Select(i => new PopulationRow(i * 3, (ulong)i * 0x9E3779B97F4A7C15UL, (HealthStatus)(i % 3 + 1), ResidencyClass.Floating))
            .ToArray();

        directory.Apply(rows, 0);
        var index = new byte[32];
        var missing = 0;
        foreach (var row in rows)
        {
            BitConverter.TryWriteBytes(index, row.IndexPrefix);
            if (directory.FindByIndex(index, out var key) != DirectoryAnswer.Found || key != row.PersonKey
                || directory.FindStatus(row.PersonKey, out var status, out _) != DirectoryAnswer.Found || status != row.Status)
            {
                missing++;
            }
        }

        Assert.Equal(50_000, directory.Count);
        Assert.Equal(0, missing);
    }

    private static (DirectoryAnswer Answer, long Key) Find(Instance instance, string idNumber)
    {
        var answer = instance.Directory.FindByIndex(instance.World.Identity.IndexOf(idNumber), out var key);
        return (answer, key);
    }

    private static (DirectoryAnswer, HealthStatus?, ResidencyClass) Status(Instance instance, long key)
    {
        var answer = instance.Directory.FindStatus(key, out var status, out var residency);
        return (answer, status, residency);
    }

    /// <summary>
    /// Registers one person per lateness and loads a directory. Then, as another process, commits a change to red for each
    /// person at once, stamped its lateness before the commit. Polls once per interval until the overlap has passed and
    /// returns, per person, how long after the commit the change was first applied (null when never).
    /// </summary>
    private static async Task<TimeSpan?[]> DelaysUntilAppliedAsync(StoreKind kind, TimeSpan[] latenesses)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var clock = world.Cases.Clock;
        var keys = new long[latenesses.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = await world.RegisterAsync(i + 1);
        }

        await using var gate = new Instance(world);
        await gate.Loader.LoadAsync(Ct);
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(PopulationDirectoryLoader.PollInterval);
            await gate.Loader.PollAsync(Ct);
        }

        var committed = clock.GetUtcNow();
        await using (var db = world.NewContext())
        {
            for (var i = 0; i < keys.Length; i++)
            {
                var stamp = committed - latenesses[i];
                await db.Persons.Where(p => p.Key == keys[i])
                    .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, HealthStatus.Red).SetProperty(p => p.UpdatedAt, stamp), Ct);
            }
        }

        var delays = new TimeSpan?[keys.Length];
        while (clock.GetUtcNow() - committed <= PopulationDirectoryLoader.Overlap + PopulationDirectoryLoader.PollInterval)
        {
            clock.Advance(PopulationDirectoryLoader.PollInterval);
            await gate.Loader.PollAsync(Ct);
            for (var i = 0; i < keys.Length; i++)
            {
                if (delays[i] is null && gate.Directory.FindStatus(keys[i], out var status, out _) == DirectoryAnswer.Found && status == HealthStatus.Red)
                {
                    delays[i] = clock.GetUtcNow() - committed;
                }
            }
        }

        return delays;
    }

    private static string Describe(TimeSpan? delay) => delay is { } applied ? $"{applied.TotalSeconds} s after its commit" : "never";

    /// <summary>Waits up to 10 s of real time for a condition set by a background task.</summary>
    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 10 s.");
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Monday 2026-03-02 at <paramref name="hour"/>:00 Asia/Shanghai (the world clock is at 09:00).</summary>
    private static DateTimeOffset At(int hour) => new(2026, 3, 2, hour, 0, 0, TimeSpan.FromHours(8));

    /// <summary>One service instance over the world's store: its own directory, loader and lookup, as a second server process would have.</summary>
    private sealed class Instance : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        public Instance(RegistryWorld world)
        {
            World = world;
            var services = new ServiceCollection();
            services.AddScoped<ShanzhiDbContext>(_ => world.NewContext());
            _services = services.BuildServiceProvider();
            var scopes = _services.GetRequiredService<IServiceScopeFactory>();
            Loader = new PopulationDirectoryLoader(scopes, Directory, world.Cases.Clock, Logs.CreateLogger<PopulationDirectoryLoader>());
            Lookup = new PersonLookup(scopes, world.Identity, Directory);
        }

        public RegistryWorld World { get; }

        public PopulationDirectory Directory { get; } = new();

        public PopulationDirectoryLoader Loader { get; }

        public PersonLookup Lookup { get; }

        public HealthStatusService Health(ShanzhiDbContext db) =>
            new(db, World.Registry(db), Lookup, World.Cases.Clock, Logs.CreateLogger<HealthStatusService>());

        public UpstreamHealthUpdate Upstream(ShanzhiDbContext db) => new(db, World.Identity, Lookup, World.Cases.Clock, Logs.CreateLogger<UpstreamHealthUpdate>());

        public PersonRegistry Registry(ShanzhiDbContext db) =>
            new(db, World.Identity, new TestAuditLog(World.Cases.Store, World.Cases.Clock), World.Cases.Clock, Logs.CreateLogger<PersonRegistry>(), Lookup);

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
