using Microsoft.Extensions.DependencyInjection;

namespace Shanzhi.Cases.Kpi;

public static class KpiServiceCollectionExtensions
{
    /// <summary>Registers <see cref="KpiCalculator"/>, scoped like the store context it reads.</summary>
    public static IServiceCollection AddShanzhiKpi(this IServiceCollection services) =>
        services.AddScoped<KpiCalculator>();
}
