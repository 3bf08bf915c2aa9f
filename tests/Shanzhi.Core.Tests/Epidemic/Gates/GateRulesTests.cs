using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;

namespace Shanzhi.Tests.Epidemic.Gates;

public sealed class GateRulesTests
{
    public static TheoryData<GateIdentity, HealthStatus?, bool?, GateDecision, string> Table => new()
    {
        { GateIdentity.Registered, HealthStatus.Green, null, GateDecision.Pass, "green" },
        { GateIdentity.Registered, HealthStatus.Yellow, null, GateDecision.ManualCheck, "yellow" },
        { GateIdentity.Registered, HealthStatus.Red, null, GateDecision.Deny, "red" },
        { GateIdentity.Registered, null, null, GateDecision.ManualCheck, "no_status" },
        { GateIdentity.Unregistered, null, null, GateDecision.ManualCheck, "unregistered" },
        { GateIdentity.NoMatch, null, null, GateDecision.ManualCheck, "no_match" },
        { GateIdentity.Registered, HealthStatus.Green, true, GateDecision.Pass, "green" },
        { GateIdentity.Registered, HealthStatus.Green, false, GateDecision.Deny, "not_on_roster" },
        { GateIdentity.Registered, HealthStatus.Yellow, true, GateDecision.ManualCheck, "yellow" },
        { GateIdentity.Registered, HealthStatus.Red, true, GateDecision.Deny, "red" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_follows_the_table(GateIdentity identity, HealthStatus? status, bool? onRoster, GateDecision decision, string reason)
    {
        var verdict = GateRules.Decide(identity, status, onRoster);

        Assert.Equal((decision, reason), (verdict.Decision, verdict.ReasonCode));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Replay_of_the_stored_passage_gives_the_same_verdict(GateIdentity identity, HealthStatus? status, bool? onRoster, GateDecision decision, string reason)
    {
        long? personKey = identity == GateIdentity.Registered ? 42 : null;

        var replayed = GateRules.Replay(personKey, status, decision, followedUp: identity == GateIdentity.NoMatch);

        Assert.Equal(GateRules.Decide(identity, status, onRoster), replayed);
        Assert.Equal(reason, replayed.ReasonCode);
    }

    [Theory]
    [InlineData(PlaceKind.ConstructionSite, PassageDirection.In, true)]
    [InlineData(PlaceKind.ConstructionSite, PassageDirection.Out, false)]
    [InlineData(PlaceKind.Mall, PassageDirection.In, false)]
    public void Roster_applies_to_entries_at_construction_sites(PlaceKind place, PassageDirection direction, bool expected) =>
        Assert.Equal(expected, GateRules.NeedsRoster(place, direction));
}
