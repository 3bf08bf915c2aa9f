using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;
using static Shanzhi.Tests.Epidemic.Passages.PassageWorld;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary>Passages are movement data: the platform's retention engine purges them after 28 days.</summary>
public sealed class PassageRetentionTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Retention_purges_passages_after_28_days(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var clock = new FakeTimeProvider(Now);
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddLogging()
            .AddShanzhiStorage(store.Options)
            .AddShanzhiAudit()
            .AddShanzhiEpidemic()
            .BuildServiceProvider();
        await services.GetRequiredService<IPassageIngest>().SubmitAsync(
        [
            Passage(1, 1, Now.AddDays(-40)),
            Passage(1, 2, Now.AddDays(-28).AddMinutes(-1)),
            Passage(1, 3, Now.AddDays(-28).AddMinutes(1)),
            Passage(1, 4, Now.AddHours(-1)),
        ], cancellationToken);

        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<RetentionEngine>().PurgeAsync(clock.GetUtcNow(), cancellationToken);
        }

        await using var db = store.NewContext();
        Assert.Equal([3L, 4], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync(cancellationToken));
    }
}
