using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Epidemic;

public static class EpidemicServiceCollectionExtensions
{
    /// <summary>Registers the epidemic-control services. Each part of the module adds its own line here.</summary>
    public static IServiceCollection AddShanzhiEpidemic(this IServiceCollection services)
    {
        services.AddSingleton<DeviceResolver>();
        services.AddSingleton<IDeviceResolver>(sp => sp.GetRequiredService<DeviceResolver>());
        services.AddShanzhiTracing();
        return services;
    }
}
