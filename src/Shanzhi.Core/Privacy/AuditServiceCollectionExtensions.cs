using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shanzhi.Privacy;

public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store-backed audit log, its verifier and reader, and the retention engine with
    /// options from the <c>Retention</c> section when <paramref name="configuration"/> is given.
    /// The retention job is added separately by <see cref="AddShanzhiRetentionJob"/>, so the CLI
    /// does not run it.
    /// </summary>
    public static IServiceCollection AddShanzhiAudit(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var retention = services.AddOptions<RetentionOptions>();
        if (configuration is not null)
        {
            retention.Bind(configuration.GetSection(RetentionOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAuditLog, StoreAuditLog>();
        services.TryAddScoped<AuditVerifier>();
        services.TryAddScoped<AuditLogReader>();
        services.TryAddScoped<RetentionEngine>();
        return services;
    }

    /// <summary>Registers a table whose rows expire under <paramref name="dataClass"/>'s retention policy (see <see cref="TableRetentionTarget"/>).</summary>
    public static IServiceCollection AddRetentionTarget(this IServiceCollection services, string dataClass, string table, string timestampColumn,
        string? keepNewestPer = null) =>
        services.AddSingleton<IRetentionTarget>(new TableRetentionTarget(dataClass, table, timestampColumn, keepNewestPer));

    /// <summary>Adds the retention job. The web host calls this, the CLI does not.</summary>
    public static IServiceCollection AddShanzhiRetentionJob(this IServiceCollection services)
    {
        services.AddHostedService<RetentionJob>();
        return services;
    }
}
