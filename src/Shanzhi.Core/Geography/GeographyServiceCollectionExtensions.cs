using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

public static class GeographyServiceCollectionExtensions
{
    /// <summary>Registers the grid locator (singleton), the region seeder and the region importer; calling it twice adds nothing.</summary>
    public static IServiceCollection AddShanzhiGeography(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GridLocator>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, GeographySeeder>());
        services.TryAddScoped<RegionImporter>();
        return services;
    }
}
