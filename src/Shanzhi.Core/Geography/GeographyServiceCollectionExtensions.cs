using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

public static class GeographyServiceCollectionExtensions
{
    /// <summary>Registers the grid locator (singleton), the region seeder and the region importer.</summary>
    public static IServiceCollection AddShanzhiGeography(this IServiceCollection services)
    {
        services.AddSingleton<GridLocator>();
        services.AddScoped<IStoreSeeder, GeographySeeder>();
        services.AddScoped<RegionImporter>();
        return services;
    }
}
