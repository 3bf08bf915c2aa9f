using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Geography;
using Shanzhi.Storage;

namespace Shanzhi;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>Registers the store and every module's services; shared by the web host and the CLI.</summary>
    public static IServiceCollection AddShanzhiPlatform(this IServiceCollection services, StorageOptions storage)
    {
        services.AddShanzhiStorage(storage);
        services.AddSingleton<StoreInitializer>();
        services.AddShanzhiGeography();
        return services;
    }
}
