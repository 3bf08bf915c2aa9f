using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// Figures reported in docs/epidemic-data.md: tracing every DS4C patient with a known infector
/// and counting how often that infector is among the candidates. A change to the index, the rule
/// sets or the loading rules shows up here first.
/// </summary>
public sealed class Ds4cTracingTests
{
    private static readonly Lazy<Ds4cEvaluation> Data = new(() => Ds4cEvaluation.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Epidemic")));

    [Fact]
    public void Ds4c_routes_load_as_day_stays()
    {
        Assert.Equal((2852, 6228), (Data.Value.PlaceCount, Data.Value.StayCount));
    }

    [Fact]
    public void Who_finds_43_of_341_infectors()
    {
        Assert.Equal(new Ds4cRecall("who-2021.1", 341, 320, 43, 43, 929, 27), Data.Value.Measure(RuleSets.Who));
    }

    [Fact]
    public void China9_finds_53_of_341_infectors()
    {
        Assert.Equal(new Ds4cRecall("cn9-2022.2", 341, 320, 53, 53, 1010, 27), Data.Value.Measure(RuleSets.China9));
    }

    /// <summary>The 9th edition's windows with contacts of contacts counted at places of every kind, as version 2022.1 did.</summary>
    [Fact]
    public void China9_every_kind_finds_68()
    {
        var everyKind = RuleSets.China9 with { Version = "cn9-2022.1", SecondDegreePlaceKinds = null };

        Assert.Equal(new Ds4cRecall("cn9-2022.1", 341, 320, 53, 68, 1010, 27), Data.Value.Measure(everyKind));
    }
}
