using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Privacy;
using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Epidemic.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>Registers the population registry, health status, the in-memory population directory with its lookup and the encrypted identity columns for key rotation.</summary>
    public static IServiceCollection AddEpidemicRegistry(this IServiceCollection services)
    {
        services.AddSingleton<PersonIdentity>();
        services.AddSingleton<PopulationDirectory>();
        services.AddHostedService<PopulationDirectoryLoader>();
        services.AddSingleton<PersonLookup>();
        services.AddScoped<PersonRegistry>();
        services.AddScoped<ImportPersons>();
        services.AddScoped<HealthStatusService>();
        services.AddScoped<UpstreamHealthUpdate>();
        services.AddEncryptedField(PersonIdentity.NameField);
        services.AddEncryptedField(PersonIdentity.IdNumberField);
        services.AddEncryptedField(PersonIdentity.PhoneField);
        services.AddRetentionTarget(RetentionClasses.HealthStatusHistory, HealthStatusChange.Table, HealthStatusChange.RecordedAtColumn,
            keepNewestPer: HealthStatusChange.PersonKeyColumn);
        return services;
    }
}
