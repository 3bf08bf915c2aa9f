using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Tracing;

public static class TracingServiceCollectionExtensions
{
    // Single instances, so that WithoutContactIndexFeed removes exactly what AddShanzhiTracing added.
    private static readonly ServiceDescriptor IndexObservesPassages =
        ServiceDescriptor.Singleton<IPassageObserver, ContactIndex>(sp => sp.GetRequiredService<ContactIndex>());

    private static readonly ServiceDescriptor IndexObservesPlaces =
        ServiceDescriptor.Singleton<IPlaceObserver, ContactIndex>(sp => sp.GetRequiredService<ContactIndex>());

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
        services.TryAddEnumerable(IndexObservesPassages);
        services.TryAddEnumerable(IndexObservesPlaces);
        services.TryAddSingleton<RuleSetCatalog>();
        services.TryAddSingleton<ContactIndexLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<ContactIndexLoader>());
        services.AddHostedService<ContactIndexCompactor>();
        services.TryAddSingleton<PassageCatchUp>();
        services.AddHostedService(sp => sp.GetRequiredService<PassageCatchUp>());
        return services;
    }

    /// <summary>
    /// Keeps the contact index from being fed, for a process that traces nothing (the CLI). Without
    /// this, every passage the CLI imports would also be held in an index that nothing reads and that
    /// no compaction or retention job trims, until the process ends. The web process's index catches
    /// up with those passages from the commit log.
    /// </summary>
    public static IServiceCollection WithoutContactIndexFeed(this IServiceCollection services)
    {
        services.Remove(IndexObservesPassages);
        services.Remove(IndexObservesPlaces);
        return services;
    }
}
