using Microsoft.Extensions.Time.Testing;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;

namespace Shanzhi.Tests.Epidemic.Gates;

public sealed class ResidencyCacheTests
{
    [Fact]
    public void Remembered_residency_expires_after_lifetime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));
        var cache = new ResidencyCache(clock);

        cache.Remember(42, ResidencyClass.Visitor);
        var fresh = cache.Find(42);
        clock.Advance(ResidencyCache.Lifetime);

        Assert.Equal(ResidencyClass.Visitor, fresh);
        Assert.Null(cache.Find(42));
    }
}
