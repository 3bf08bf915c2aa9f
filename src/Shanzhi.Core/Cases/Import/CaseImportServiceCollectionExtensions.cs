using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Geography;

namespace Shanzhi.Cases.Import;

public static class CaseImportServiceCollectionExtensions
{
    /// <summary>Registers the case importers. The grid locator is added only if geography has not registered it.</summary>
    public static IServiceCollection AddShanzhiCaseImport(this IServiceCollection services)
    {
        services.TryAddSingleton<GridLocator>();
        services.AddScoped<La311Importer>();
        return services;
    }
}
