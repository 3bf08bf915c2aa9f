using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Investigations;

public static class InvestigationServiceCollectionExtensions
{
    /// <summary>
    /// Registers investigations, the follow-up categories and the expiry of trace snapshots. The contact tracer is not registered
    /// here: the tracing engine registers <see cref="IContactTracer"/>, and without it the trace
    /// query answers <c>trace.unavailable</c>.
    /// </summary>
    public static IServiceCollection AddShanzhiInvestigations(this IServiceCollection services)
    {
        services.AddScoped<InvestigationService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, FollowUpCatalogSeeder>());
        services.AddRetentionTarget(RetentionClasses.Movement, TraceSnapshot.Table, TraceSnapshot.RanAtColumn);
        return services;
    }
}
