using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;
using Shanzhi.Web.Tests.Http;

namespace Shanzhi.Web.Tests.Epidemic.Passages;

/// <summary>
/// Passages committed by another process (the CLI run as a child process, a second web instance
/// on the same store) reach a running web server's contact index without a restart, once.
/// </summary>
public sealed class PassageCatchUpTests
{
    /// <summary>Far above the one-second poll interval, for a loaded test machine.</summary>
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cli_import_reaches_the_running_server(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var world = await ImportWorld.RegisterAsync(platform);
        var (officer, id) = (world.Officer, world.InvestigationId);
        var before = await TraceAsync(officer, id);

        var import = await CliProcess.RunAsync(platform.Store, "import", "passages", world.File);
        var traced = await WaitForTraceAsync(officer, id, (2, 1));

        Assert.Equal((0, 0), before);
        Assert.True(import.ExitCode == 0, $"The import failed with {import.ExitCode}:\n{import.Output}\n{import.Error}");
        Assert.Contains($"新入库 {world.Passages.Count} 条", import.Output);
        Assert.Equal((2, 1), traced);
        Assert.True(platform.Services.GetRequiredService<PassageCatchUp>().AppliedCommits >= 1, "The catch-up applied no commit of the CLI.");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cli_import_twice_counts_once(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var world = await ImportWorld.RegisterAsync(platform);
        var (officer, id) = (world.Officer, world.InvestigationId);
        var catchUp = platform.Services.GetRequiredService<PassageCatchUp>();

        await CliProcess.RunAsync(platform.Store, "import", "passages", world.File);
        var first = await WaitForTraceAsync(officer, id, (2, 1));
        var again = await CliProcess.RunAsync(platform.Store, "import", "passages", world.File);
        await catchUp.PollAsync(Ct);

        Assert.Equal((2, 1), first);
        Assert.Contains($"新入库 0 条，重复 {world.Passages.Count} 条", again.Output);

        // The short visitor's 10 minutes would reach the 15-minute minimum if a stay counted twice.
        Assert.Equal((2, 1), await TraceAsync(officer, id));
        Assert.Equal(world.Passages.Count, platform.Services.GetRequiredService<ContactIndex>().PassageCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Second_instance_counts_rebuilt_and_caught_up_passages_once(StoreKind kind)
    {
        await using var first = await PlatformFactory.StartAsync(kind);
        var world = await ImportWorld.RegisterAsync(first);
        var id = world.InvestigationId;
        var import = await CliProcess.RunAsync(first.Store, "import", "passages", world.File);
        Assert.True(import.ExitCode == 0, $"The import failed with {import.ExitCode}:\n{import.Output}\n{import.Error}");

        // The second instance's rebuild reads the imported passages, and its first poll, whose
        // window reaches back before its start, applies the CLI's commit again.
        await using var second = new PlatformFactory(first.Store, ownsStore: false);
        _ = second.Server;
        var secondIndex = second.Services.GetRequiredService<ContactIndex>();
        await WaitUntilAsync(() => secondIndex.IsReady, "the second instance's index rebuild");
        await second.Services.GetRequiredService<PassageCatchUp>().PollAsync(Ct);
        var secondOfficer = await second.SignInAsync("officer-epi", InvestigationTests.Password);

        Assert.True(second.Services.GetRequiredService<PassageCatchUp>().AppliedCommits >= 1, "The second instance applied no commit of the CLI.");
        Assert.Equal(world.Passages.Count, secondIndex.PassageCount);
        Assert.Equal((2, 1), await TraceAsync(secondOfficer, id));

        // A passage pair ingested by the first instance reaches the second: a third close contact.
        var late = await world.AddContactAsync(first);
        var receipt = await first.Services.GetRequiredService<IPassageIngest>().SubmitAsync(late, Ct);
        Assert.Equal(new IngestReceipt(2, 0), receipt.Value);
        Assert.Equal((3, 1), await WaitForTraceAsync(secondOfficer, id, (3, 1)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Own_passages_are_not_caught_up(StoreKind kind)
    {
        await using var platform = await PlatformFactory.StartAsync(kind);
        var world = await ImportWorld.RegisterAsync(platform);
        var (officer, id) = (world.Officer, world.InvestigationId);
        var writer = platform.Services.GetRequiredService<PassageWriter>();
        var catchUp = platform.Services.GetRequiredService<PassageCatchUp>();

        var receipt = await writer.SubmitAsync(world.Passages, Ct);
        await catchUp.PollAsync(Ct);

        Assert.Equal(new IngestReceipt(world.Passages.Count, 0), receipt.Value);
        await using var db = platform.Store.NewContext();
        Assert.Equal(writer.WriterId, (await db.PassageCommits.SingleAsync(Ct)).WriterId);
        Assert.Equal(0, catchUp.AppliedCommits);
        Assert.Equal((2, 1), await TraceAsync(officer, id));
    }

    private static async Task<(int Close, int Secondary)> TraceAsync(HttpClient officer, string investigationId)
    {
        var response = await officer.PostAsync($"/api/v1/epidemic/investigations/{investigationId}/trace", null, Ct);
        Assert.True(response.IsSuccessStatusCode, $"The trace failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
        var trace = await response.ReadJsonAsync();
        return (trace.GetProperty("closeContacts").GetInt32(), trace.GetProperty("secondaryContacts").GetInt32());
    }

    /// <summary>Traces until the counts are <paramref name="expected"/> or <see cref="CatchUpTimeout"/> passes, and returns the last counts.</summary>
    private static async Task<(int Close, int Secondary)> WaitForTraceAsync(HttpClient officer, string investigationId, (int, int) expected)
    {
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        var counts = await TraceAsync(officer, investigationId);
        while (counts != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), Ct);
            counts = await TraceAsync(officer, investigationId);
        }

        return counts;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string description)
    {
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {CatchUpTimeout.TotalSeconds} s waiting for {description}.");
            await Task.Delay(TimeSpan.FromMilliseconds(100), Ct);
        }
    }

    /// <summary>
    /// The epidemic scene with a registered device at each place, plus a short visitor who overlaps
    /// the index person for 10 minutes at the mall (under the 15-minute minimum), as a CSV file for
    /// <c>shanzhi import passages</c> in the store's folder, and an investigation of the index person
    /// opened by a signed-in epidemic officer.
    /// </summary>
    private sealed record ImportWorld(EpidemicScene Scene, IReadOnlyList<PassageRecord> Passages, string File, HttpClient Officer, string InvestigationId)
    {
        public static async Task<ImportWorld> RegisterAsync(PlatformFactory platform)
        {
            var (scene, sceneRecords) = await EpidemicScene.RegisterAsync(platform.Services, device: 0);
            await using var scope = platform.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            var devices = new Dictionary<long, (long Device, long Entrance)>();
            foreach (var placeId in sceneRecords.Select(r => r.PlaceId).Distinct())
            {
                devices[placeId] = await AddDeviceAsync(db, placeId);
            }

            var records = sceneRecords.Select(r => r with { DeviceId = devices[r.PlaceId].Device, EntranceId = devices[r.PlaceId].Entrance }).ToList();
            var mall = records[0];
            var visitor = EpidemicScene.Person(scene.MallGrid);
            db.Persons.Add(visitor);
            await db.SaveChangesAsync(Ct);
            var start = mall.OccurredAt.AddMinutes(30);
            records.Add(mall with { DeviceSequence = records.Count + 1, PersonKey = visitor.Key, OccurredAt = start, Direction = PassageDirection.In });
            records.Add(mall with { DeviceSequence = records.Count + 1, PersonKey = visitor.Key, OccurredAt = start.AddMinutes(10), Direction = PassageDirection.Out });

            var file = Path.Combine(platform.Store.Options.FullDataDirectory, "passages.csv");
            await System.IO.File.WriteAllLinesAsync(file,
            [
                "device_id,sequence,occurred_at,direction,person_key,decision,channel,status",
                .. records.Select(r => string.Join(',', r.DeviceId, r.DeviceSequence, r.OccurredAt.ToString("O", CultureInfo.InvariantCulture), r.Direction,
                    r.PersonKey, r.Decision, "", r.StatusAtPassage)),
            ], Ct);
            var officer = await InvestigationTests.SignInOfficerAsync(platform);
            var investigationId = await InvestigationTests.OpenAsync(officer, scene.IndexKey);
            return new ImportWorld(scene, records, file, officer, investigationId);
        }

        /// <summary>Registers a new person who stays at the mall for 30 minutes while the index person is there, and returns the two passages.</summary>
        public async Task<PassageRecord[]> AddContactAsync(PlatformFactory platform)
        {
            await using var scope = platform.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
            var contact = EpidemicScene.Person(Scene.MallGrid);
            db.Persons.Add(contact);
            await db.SaveChangesAsync(Ct);
            var indexEntry = Passages[0];
            return
            [
                indexEntry with { DeviceSequence = 1000, PersonKey = contact.Key, OccurredAt = indexEntry.OccurredAt.AddMinutes(5) },
                indexEntry with { DeviceSequence = 1001, PersonKey = contact.Key, OccurredAt = indexEntry.OccurredAt.AddMinutes(35), Direction = PassageDirection.Out },
            ];
        }

        private static async Task<(long Device, long Entrance)> AddDeviceAsync(ShanzhiDbContext db, long placeId)
        {
            var entrance = new Entrance { PlaceId = placeId, Name = "测试入口" };
            db.Entrances.Add(entrance);
            await db.SaveChangesAsync(Ct);
            var device = new Device { EntranceId = entrance.Id, Label = "测试闸机", ApiKeyHash = Device.HashApiKey(Guid.NewGuid().ToString("N")) };
            db.Devices.Add(device);
            await db.SaveChangesAsync(Ct);
            return (device.Id, entrance.Id);
        }
    }
}
