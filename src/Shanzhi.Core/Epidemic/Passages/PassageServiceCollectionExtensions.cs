using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Privacy;

namespace Shanzhi.Epidemic.Passages;

public static class PassageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PassageWriter"/> as the <see cref="IPassageIngest"/> and as a hosted
    /// service, the CSV importer, its options from <c>Epidemic:Ingest</c> when the container has a configuration, and
    /// passages as movement data under the retention job.
    /// </summary>
    public static IServiceCollection AddPassageIngest(this IServiceCollection services)
    {
        services.AddOptions<PassageIngestOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(PassageIngestOptions.Section).Bind(options));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PassageWriter>();
        services.AddSingleton<IPassageIngest>(sp => sp.GetRequiredService<PassageWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<PassageWriter>());
        services.AddScoped<PassageImporter>();
        services.AddRetentionTarget(RetentionClasses.Movement, Passage.Table, Passage.OccurredAtColumn);
        return services;
    }
}
