using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shanzhi.Cases.Kpi;

public static class KpiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KpiCalculator"/>, scoped like the store context it reads. The system
    /// clock is added only when the host has not registered a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddShanzhiKpi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<KpiCalculator>();
        return services;
    }
}
