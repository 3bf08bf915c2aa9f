using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

public sealed class RuleSetCatalogTests
{
    [Fact]
    public void Catalog_offers_three_built_ins()
    {
        var catalog = new RuleSetCatalog(Options.Create(new TracingOptions()));

        Assert.Equal(["who", "china-8", "china-9"], catalog.All.Select(r => r.Id));
    }

    [Fact]
    public void Changing_the_China_minimum_changes_the_China_versions()
    {
        var catalog = new RuleSetCatalog(Options.Create(new TracingOptions { ChinaMinimumOverlap = TimeSpan.FromMinutes(10) }));

        Assert.Equal("cn9-2022.2+min10", catalog.Find("china-9")!.Version);
    }

    [Fact]
    public void China_minimum_leaves_Who_alone()
    {
        var catalog = new RuleSetCatalog(Options.Create(new TracingOptions { ChinaMinimumOverlap = TimeSpan.FromMinutes(10) }));

        Assert.Equal(RuleSets.Who, catalog.Find("who"));
    }

    [Fact]
    public void Custom_rule_set_has_own_version()
    {
        var options = new TracingOptions();
        options.Custom["school-outbreak"] = new CustomRuleSet { Version = "3", DaysBeforeOnset = 7, MinimumOverlap = TimeSpan.FromMinutes(30), SecondDegree = true };

        var found = new RuleSetCatalog(Options.Create(options)).Find("SCHOOL-OUTBREAK");

        Assert.Equal(("custom-school-outbreak-3", 7, TimeSpan.FromMinutes(30), true),
            (found!.Version, found.DaysBeforeOnset, found.MinimumOverlap, found.SecondDegree));
    }

    [Fact]
    public void Custom_second_degree_kinds_bind()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tracing:Custom:homes:SecondDegree"] = "true",
            ["Tracing:Custom:homes:SecondDegreePlaceKinds:0"] = "ResidentialCompound",
            ["Tracing:Custom:homes:SecondDegreePlaceKinds:1"] = "School",
            ["Tracing:Custom:everywhere:SecondDegree"] = "true",
        }).Build();
        var options = new TracingOptions();
        configuration.GetSection(TracingOptions.Section).Bind(options);
        var catalog = new RuleSetCatalog(Options.Create(options));

        var homes = catalog.Find("homes")!;
        var everywhere = catalog.Find("everywhere")!;

        Assert.Equal([PlaceKind.School, PlaceKind.ResidentialCompound], homes.SecondDegreePlaceKinds!.Order());
        Assert.True(homes.CountsForSecondDegree(PlaceKind.School));
        Assert.False(homes.CountsForSecondDegree(PlaceKind.Mall));
        Assert.False(homes.CountsForSecondDegree(null));
        Assert.Null(everywhere.SecondDegreePlaceKinds);
        Assert.True(everywhere.CountsForSecondDegree(null));
    }

    [Fact]
    public void China9_second_degree_kinds()
    {
        var china9 = new RuleSetCatalog(Options.Create(new TracingOptions())).Find("china-9")!;

        Assert.Equal([PlaceKind.School, PlaceKind.ResidentialCompound, PlaceKind.ConstructionSite], china9.SecondDegreePlaceKinds!.Order());
    }

    [Fact]
    public void Retired_version_found_for_recorded_investigations()
    {
        var catalog = new RuleSetCatalog(Options.Create(new TracingOptions { ChinaMinimumOverlap = TimeSpan.FromMinutes(10) }));

        Assert.Null(catalog.Find("china-9", "cn9-2022.1+min10"));
        Assert.Equal(TimeSpan.FromMinutes(10), catalog.FindRecorded("china-9", "cn9-2022.1+min10")?.MinimumOverlap);
        Assert.Null(catalog.FindRecorded("china-9", "cn9-2022.1+min10")?.SecondDegreePlaceKinds);
        Assert.Null(catalog.FindRecorded("china-9", "cn9-2022.1"));
    }
}
