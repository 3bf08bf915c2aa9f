using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Epidemic;

public static class EpidemicServiceCollectionExtensions
{
    /// <summary>Registers the epidemic-control services. Each part of the module adds its own line here.</summary>
    public static IServiceCollection AddShanzhiEpidemic(this IServiceCollection services)
    {
        services.AddSingleton<DeviceResolver>();
        services.AddSingleton<IDeviceResolver>(sp => sp.GetRequiredService<DeviceResolver>());
        services.AddPassageIngest();

        // The registry first: its cached PersonLookup serves the gate check's IPersonDirectory.
        services.AddEpidemicRegistry();
        services.AddSingleton<IPersonDirectory>(sp => sp.GetRequiredService<PersonLookup>());
        services.AddShanzhiGates();
        services.AddShanzhiInvestigations();
        services.AddShanzhiTracing();
        return services;
    }
}
