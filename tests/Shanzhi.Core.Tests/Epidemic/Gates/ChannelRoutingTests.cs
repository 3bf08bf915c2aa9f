using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;

namespace Shanzhi.Tests.Epidemic.Gates;

public sealed class ChannelRoutingTests
{
    public static TheoryData<PlaceKind, PassageDirection, ResidencyClass?, HubChannel> Table => new()
    {
        { PlaceKind.Airport, PassageDirection.In, ResidencyClass.Permanent, HubChannel.ResidentReturn },
        { PlaceKind.Airport, PassageDirection.In, ResidencyClass.RegisteredTemporary, HubChannel.ResidentReturn },
        { PlaceKind.Airport, PassageDirection.In, ResidencyClass.Visitor, HubChannel.VisitorArrival },
        { PlaceKind.Airport, PassageDirection.In, ResidencyClass.Floating, HubChannel.VisitorArrival },
        { PlaceKind.Airport, PassageDirection.In, null, HubChannel.VisitorArrival },
        { PlaceKind.RailStation, PassageDirection.In, ResidencyClass.Permanent, HubChannel.ResidentReturn },
        { PlaceKind.RailStation, PassageDirection.In, ResidencyClass.Floating, HubChannel.VisitorArrival },
        { PlaceKind.HighwayExit, PassageDirection.In, ResidencyClass.RegisteredTemporary, HubChannel.ResidentReturn },
        { PlaceKind.HighwayExit, PassageDirection.In, null, HubChannel.VisitorArrival },
        { PlaceKind.Airport, PassageDirection.Out, ResidencyClass.Permanent, HubChannel.None },
        { PlaceKind.RailStation, PassageDirection.Out, ResidencyClass.Visitor, HubChannel.None },
        { PlaceKind.HighwayExit, PassageDirection.Out, null, HubChannel.None },
        { PlaceKind.Mall, PassageDirection.In, ResidencyClass.Visitor, HubChannel.None },
        { PlaceKind.School, PassageDirection.In, ResidencyClass.Permanent, HubChannel.None },
        { PlaceKind.ConstructionSite, PassageDirection.In, null, HubChannel.None },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Route_picks_the_channel_from_place_direction_and_residency(PlaceKind place, PassageDirection direction, ResidencyClass? residency,
        HubChannel expected) =>
        Assert.Equal(expected, ChannelRouting.Route(place, direction, residency));
}
