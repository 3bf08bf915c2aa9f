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
        await using var world = await RegistryWorld.CreateAsync(kind);
        var logs = new LogSink();
        var rival = new RegisterFirst(world);
        await using var services = HostServices(world, logs, rival);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();

        var result = await world.Registry(db).RegisterAsync(PersonRegistryTests.Request(), world.CityOfficer, Ct);

        Assert.Equal("person.duplicate", result.Error?.Code);
        Assert.Contains($"人员编号为 {rival.PersonKey}", result.Error!.Detail, StringComparison.Ordinal);
        var text = logs.Text();
        Assert.Contains($"{CommandCategory} Debug Failed executing DbCommand", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{CommandCategory} Error", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{UpdateCategory} Error", text, StringComparison.Ordinal);
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
