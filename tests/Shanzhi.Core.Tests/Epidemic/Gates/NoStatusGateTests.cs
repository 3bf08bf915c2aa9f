using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>A registered person without a health code yet: the gate requires a manual check and still records who passed.</summary>
public sealed class NoStatusGateTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Person_without_status_needs_manual_check(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var id = GateCheckParserTests.Id();
        var key = await world.PersonAsync(id, status: null);

        var first = await world.MustCheckAsync(mall, GateCheckTests.ById(1, id));
        var resent = await world.MustCheckAsync(mall, GateCheckTests.ById(1, id));

        await using var db = world.Cases.NewContext();
        var passage = await db.Passages.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((GateDecision.ManualCheck, "no_status"), (first.Decision, first.ReasonCode));
        Assert.Equal(first with { Replayed = true }, resent);
        Assert.Equal((key, (HealthStatus?)null), (passage.PersonKey, passage.StatusAtPassage));
    }
}
