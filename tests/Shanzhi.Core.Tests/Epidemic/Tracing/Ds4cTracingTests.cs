using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// Figures reported in docs/epidemic-data.md: tracing every DS4C patient with a known infector
/// and counting how often that infector is among the candidates. A change to the index, the rule
/// sets or the loading rules shows up here first.
/// </summary>
public sealed class Ds4cTracingTests
{
    private static readonly Lazy<Ds4cEvaluation> Data = new(() => Ds4cEvaluation.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "epidemic")));

    [Fact]
    public void Ds4c_routes_load_as_whole_day_stays_at_distinct_venues()
    {
        Assert.Equal((2852, 6228), (Data.Value.PlaceCount, Data.Value.StayCount));
    }

    [Fact]
    public void Who_rule_set_finds_the_infector_of_43_of_341_traced_patients()
    {
        Assert.Equal(new Ds4cRecall("who-2021.1", 341, 320, 43, 43, 929, 27), Data.Value.Measure(RuleSets.Who));
    }

    [Fact]
    public void China_9th_rule_set_finds_the_infector_of_53_of_341_traced_patients()
    {
        Assert.Equal(new Ds4cRecall("cn9-2022.1", 341, 320, 53, 68, 1010, 27), Data.Value.Measure(RuleSets.China9));
    }
}
