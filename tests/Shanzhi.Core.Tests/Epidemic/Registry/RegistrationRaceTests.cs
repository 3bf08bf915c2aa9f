using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>
/// Two registrations of one ID number that both pass the duplicate check: the unique index rejects
/// the second, which gets <c>person.duplicate</c>, and EF Core's failure entries for it are logged
/// at Debug, not Error. The store context comes from <see cref="StorageServiceCollectionExtensions.AddShanzhiStorage"/>,
/// as in the hosts.
/// </summary>
public sealed class RegistrationRaceTests
{
    private const string CommandCategory = "Microsoft.EntityFrameworkCore.Database.Command";
    private const string UpdateCategory = "Microsoft.EntityFrameworkCore.Update";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Lost_registration_race_logs_no_error(StoreKind kind)
    {
        var race = await LoseRaceAsync(kind, async (world, db) =>
        {
            var result = await world.Registry(db).RegisterAsync(PersonRegistryTests.Request(), world.CityOfficer, Ct);
            return (result.Error?.Code, result.Error?.Detail);
        });

        Assert.Equal("person.duplicate", race.Code);
        Assert.Contains($"人员编号为 {race.RivalKey}", race.Detail, StringComparison.Ordinal);
        AssertLoggedAtDebugOnly(race.Logs);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Lost_import_race_logs_no_error(StoreKind kind)
    {
        var race = await LoseRaceAsync(kind, async (world, db) =>
        {
            var csv = "姓名,身份证号,手机号,人口类别,居住网格\r\n" + $"测试甲,{PersonRegistryTests.Request().IdNumber},,Visitor,{RegistryWorld.GridA}\r\n";
            await using var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
            var report = (await world.Importer(db).ImportAsync(file, atomic: false, world.CityOfficer, Ct)).Value!;
            Assert.Equal(0, report.Imported);
            var error = Assert.Single(report.Errors);
            return (error.Code, error.Message);
        });

        Assert.Equal("person.duplicate", race.Code);
        Assert.Contains($"人员编号为 {race.RivalKey}", race.Detail, StringComparison.Ordinal);
        AssertLoggedAtDebugOnly(race.Logs);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Failed_command_outside_a_race_logs_error(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var logs = new LogSink();
        await using var services = HostServices(world, logs, interceptor: null);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();

        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("SELECT * FROM no_such_table", Ct));

        Assert.Contains($"{CommandCategory} Error Failed executing DbCommand", logs.Text(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs <paramref name="register"/> on a host-configured context while a rival registers the
    /// same person just before its save. Returns the error it reported, the rival's key and the log.
    /// </summary>
    private static async Task<(string? Code, string? Detail, long? RivalKey, string Logs)> LoseRaceAsync(StoreKind kind,
        Func<RegistryWorld, ShanzhiDbContext, Task<(string? Code, string? Detail)>> register)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var logs = new LogSink();
        var rival = new RegisterFirst(world);
        await using var services = HostServices(world, logs, rival);
        await using var scope = services.CreateAsyncScope();
        var (code, detail) = await register(world, scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>());
        return (code, detail, rival.PersonKey, logs.Text());
    }

    private static void AssertLoggedAtDebugOnly(string logs)
    {
        Assert.Contains($"{CommandCategory} Debug Failed executing DbCommand", logs, StringComparison.Ordinal);
        Assert.DoesNotContain($"{CommandCategory} Error", logs, StringComparison.Ordinal);
        Assert.DoesNotContain($"{UpdateCategory} Error", logs, StringComparison.Ordinal);
    }

    /// <summary>The storage services as the hosts register them, logging into <paramref name="logs"/> at every level.</summary>
    private static ServiceProvider HostServices(RegistryWorld world, LogSink logs, IInterceptor? interceptor)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs.Provider()))
            .AddShanzhiStorage(world.Cases.Store.Options);
        if (interceptor is not null)
        {
            services.ConfigureDbContext<SqliteShanzhiDbContext>(options => options.AddInterceptors(interceptor));
            services.ConfigureDbContext<PostgresShanzhiDbContext>(options => options.AddInterceptors(interceptor));
        }

        return services.BuildServiceProvider();
    }

    /// <summary>Registers the same person through another context just before the first save, after the duplicate check.</summary>
    private sealed class RegisterFirst(RegistryWorld world) : SaveChangesInterceptor
    {
        public long? PersonKey { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
            CancellationToken cancellationToken = default)
        {
            if (PersonKey is null)
            {
                await using var other = world.NewContext();
                var registered = await world.Registry(other).RegisterAsync(PersonRegistryTests.Request(), world.SecondCityOfficer, cancellationToken);
                PersonKey = registered.Value?.PersonKey ?? throw new InvalidOperationException($"The rival registration failed: {registered.Error}");
            }

            return result;
        }
    }
}
