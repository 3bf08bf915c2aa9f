using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Cases;
using Shanzhi.Cases.Import;
using Shanzhi.Cases.Kpi;
using Shanzhi.Epidemic;
using Shanzhi.Geography;
using Shanzhi.Grids;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Privacy.Handlers;
using Shanzhi.Storage;

namespace Shanzhi;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>Registers the store and every module's services; shared by the web host and the CLI.</summary>
    public static IServiceCollection AddShanzhiPlatform(this IServiceCollection services, StorageOptions storage,
        IConfiguration? configuration = null)
    {
        services.AddShanzhiStorage(storage);
        services.AddSingleton<StoreInitializer>();
        services.AddShanzhiGeography();
        services.AddShanzhiCases(configuration);
        services.AddShanzhiKpi();
        services.AddShanzhiCaseImport();
        services.AddShanzhiAudit(configuration);
        services.AddShanzhiPrivacy(storage, configuration);
        services.AddShanzhiPiHandlers();
        services.AddShanzhiEpidemic();
        services.AddGrids(configuration);
        return services;
    }
}
