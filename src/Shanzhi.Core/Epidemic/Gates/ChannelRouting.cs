namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Which channel a person takes at a transport hub (airport, rail station, highway exit). Arrivals
/// who live here — permanent residents and registered temporary residents — take 外出返甬; every
/// other arrival, including a person the gate could not identify or the registry does not know,
/// takes 来甬访客, the channel with the stricter checks. Departures and places that are not hubs
/// have no channel.
/// </summary>
public static class ChannelRouting
{
    /// <param name="residency">Residency class of the identified person; null when the person is unidentified or unregistered.</param>
    public static HubChannel Route(PlaceKind place, PassageDirection direction, ResidencyClass? residency)
    {
        if (!EpidemicNames.IsHub(place) || direction != PassageDirection.In)
        {
            return HubChannel.None;
        }

        return residency is ResidencyClass.Permanent or ResidencyClass.RegisteredTemporary
            ? HubChannel.ResidentReturn
            : HubChannel.VisitorArrival;
    }
}
