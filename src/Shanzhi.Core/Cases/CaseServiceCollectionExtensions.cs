using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Geography;
using Shanzhi.Privacy.Requests;
using Shanzhi.Storage;

namespace Shanzhi.Cases;

public static class CaseServiceCollectionExtensions
{
    /// <summary>
    /// Registers the case engine: services per scope, the calendar cache as a singleton, and the
    /// calendar, unit, catalogue and personal-information case seeders. Options come from the <c>Cases</c> section when
    /// <paramref name="configuration"/> is given. The overdue job is added separately by
    /// <see cref="AddShanzhiCaseJobs"/>, so the CLI does not run it.
    /// </summary>
    public static IServiceCollection AddShanzhiCases(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var caseOptions = services.AddOptions<CaseOptions>();
        if (configuration is not null)
        {
            caseOptions.Bind(configuration.GetSection(CaseOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GridLocator>();
        services.TryAddSingleton<WorkingCalendarCache>();
        services.TryAddScoped<CalendarService>();
        services.TryAddScoped<CaseRouter>();
        services.TryAddScoped<CaseService>();
        services.TryAddScoped<RegisterPrivacyRequest>();
        services.TryAddScoped<AttachmentService>();
        services.TryAddScoped<CaseEscalation>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, CalendarSeeder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, UnitSeeder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, CaseCatalogSeeder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, PrivacyCaseSeeder>());
        return services;
    }

    /// <summary>Adds the overdue escalation job. The web host calls this, the CLI does not.</summary>
    public static IServiceCollection AddShanzhiCaseJobs(this IServiceCollection services)
    {
        services.AddHostedService<OverdueEscalationJob>();
        return services;
    }
}
