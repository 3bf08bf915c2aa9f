using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using static Shanzhi.Tests.Epidemic.Passages.PassageWorld;

namespace Shanzhi.Tests.Epidemic.Passages;

public sealed class PassageBatchTests
{
    private static readonly DeviceContext Device = new(7, 70, 700, PlaceKind.Mall, "330203001001001", "/330200/330203/");

    private static PassageInput Valid(long sequence) => new(sequence, Now.AddMinutes(-1), "In", 42, "Pass");

    [Fact]
    public void Batch_takes_entrance_and_place_from_device()
    {
        var (records, _) = PassageBatch.Validate(Device, [Valid(1) with { Channel = "visitorArrival", Status = "yellow" }], Now);

        Assert.Equal(new PassageRecord(7, 1, 70, 700, 42, Now.AddMinutes(-1), PassageDirection.In, GateDecision.Pass,
            HubChannel.VisitorArrival, HealthStatus.Yellow), records.Single());
    }

    [Fact]
    public void Bad_item_rejects_whole_batch()
    {
        var (records, errors) = PassageBatch.Validate(Device, [Valid(1), Valid(2) with { Direction = "sideways" }], Now);

        Assert.Empty(records);
        Assert.Equal((1, "direction"), (errors.Single().Index, errors.Single().Field));
    }

    [Fact]
    public void Every_item_error_is_listed()
    {
        var (_, errors) = PassageBatch.Validate(Device,
            [new PassageInput(null, null, null, 0, "2"), null, Valid(3) with { OccurredAt = Now.AddMinutes(6) }], Now);

        Assert.Equal(
            [(0, "sequence"), (0, "occurredAt"), (0, "personKey"), (0, "direction"), (0, "decision"), (1, "item"), (2, "occurredAt")],
            errors.Select(e => (e.Index, e.Field)));
    }

    [Fact]
    public void Repeated_sequence_is_not_an_error()
    {
        var (records, errors) = PassageBatch.Validate(Device, [Valid(1), Valid(1)], Now);

        Assert.Equal((2, 0), (records.Count, errors.Count));
    }

    [Fact]
    public void Clock_tolerance_edge_is_accepted()
    {
        var (_, errors) = PassageBatch.Validate(Device, [Valid(1) with { OccurredAt = Now + PassageBatch.ClockTolerance }], Now);

        Assert.Empty(errors);
    }
}
