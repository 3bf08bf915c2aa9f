using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Tracing;

public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the contact index as the tracer and as a passage observer, the rule-set catalogue
    /// (options from the <c>Tracing</c> section when the host has a configuration), the rebuild at start,
    /// the periodic compaction and the catch-up with passages committed by other processes.
    /// </summary>
    public static IServiceCollection AddShanzhiTracing(this IServiceCollection services)
    {
        services.AddOptions<TracingOptions>();
        services.AddSingleton<IConfigureOptions<TracingOptions>>(sp => new ConfigureOptions<TracingOptions>(
            o => sp.GetService<IConfiguration>()?.GetSection(TracingOptions.Section).Bind(o)));
        services.AddOptions<RetentionOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ContactIndex(
            sp.GetRequiredService<IOptions<TracingOptions>>(), sp.GetRequiredService<IOptions<RetentionOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IContactTracer>(sp => sp.GetRequiredService<ContactIndex>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPassageObserver, ContactIndex>(sp => sp.GetRequiredService<ContactIndex>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPlaceObserver, ContactIndex>(sp => sp.GetRequiredService<ContactIndex>()));
        services.TryAddSingleton<RuleSetCatalog>();
        services.TryAddSingleton<ContactIndexLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<ContactIndexLoader>());
        services.AddHostedService<ContactIndexCompactor>();
        services.TryAddSingleton<PassageCatchUp>();
        services.AddHostedService(sp => sp.GetRequiredService<PassageCatchUp>());
        return services;
    }
}
