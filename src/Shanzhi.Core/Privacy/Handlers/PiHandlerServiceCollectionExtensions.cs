using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Privacy.Crypto;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Handlers;

public static class PiHandlerServiceCollectionExtensions
{
    /// <summary>Registers the directory of PI handlers, its rectification category and its encrypted columns for key rotation.</summary>
    public static IServiceCollection AddShanzhiPiHandlers(this IServiceCollection services)
    {
        services.AddScoped<PiHandlerService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreSeeder, PiCatalogSeeder>());
        services.AddEncryptedField(EncryptedField.For(PiHandler.Table, PiHandler.OfficerNameColumn));
        services.AddEncryptedField(EncryptedField.For(PiHandler.Table, PiHandler.OfficerPhoneColumn));
        return services;
    }
}
