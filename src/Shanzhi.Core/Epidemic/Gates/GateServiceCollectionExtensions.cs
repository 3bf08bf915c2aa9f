using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

public static class GateServiceCollectionExtensions
{
    /// <summary>Places, devices, gate checks, unidentified-person follow-ups and site rosters. The passage store (<see cref="IPassageIngest"/>) is registered by the passage module.</summary>
    public static IServiceCollection AddShanzhiGates(this IServiceCollection services)
    {
        services.TryAddScoped<IPersonDirectory, StorePersonDirectory>();
        services.AddScoped<PlaceRegistry>();
        services.AddScoped<CheckGate>();
        services.AddSingleton<ResidencyCache>();
        services.AddScoped<OpenUnidentifiedCase>();
        services.AddHostedService<UnidentifiedCaseRepairJob>();
        services.AddScoped<ResolveUnidentified>();
        services.AddScoped<SiteRosters>();
        services.AddSingleton<SiteRosterDirectory>();
        services.AddHostedService<SiteRosterLoader>();
        services.AddRetentionTarget(RetentionClasses.UnidentifiedFollowUp, UnidentifiedFollowUp.Table, UnidentifiedFollowUp.ResolvedAtColumn);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, UnidentifiedCaseSeeder>());
        return services;
    }
}
