using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Cases;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Grids;

public static class GridServiceCollectionExtensions
{
    /// <summary>
    /// Registers the grid module: its services per scope, the points observer of the case engine,
    /// the catalogue seeder and the key-person columns for key rotation. Options come from the
    /// <c>Grids</c> section. The patrol job is added by <see cref="AddGridJobs"/>, so the CLI does not run it.
    /// </summary>
    public static IServiceCollection AddGrids(this IServiceCollection services, IConfiguration? configuration = null)
    {
        var options = services.AddOptions<GridOptions>();
        if (configuration is not null)
        {
            options.Bind(configuration.GetSection(GridOptions.Section));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<GridPeople>();
        services.TryAddScoped<DutyService>();
        services.TryAddScoped<PatrolService>();
        services.TryAddScoped<PatrolTaskGenerator>();
        services.TryAddScoped<KeyPersonService>();
        services.TryAddScoped<IncentiveLedger>();
        services.TryAddScoped<WorkloadService>();
        services.TryAddScoped<FieldCases>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<ICaseObserver, IncentiveCaseObserver>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, GridCatalogSeeder>());
        services.AddEncryptedField(EncryptedField.For(KeyPerson.Table, KeyPerson.NameColumn));
        services.AddEncryptedField(EncryptedField.For(KeyPerson.Table, KeyPerson.PhoneColumn));
        services.AddEncryptedField(EncryptedField.For(KeyPerson.Table, KeyPerson.AddressColumn));
        return services;
    }

    /// <summary>Adds the patrol job (task generation and missed-visit alerts). The web host calls this, the CLI does not.</summary>
    public static IServiceCollection AddGridJobs(this IServiceCollection services)
    {
        services.AddHostedService<PatrolJob>();
        return services;
    }
}
