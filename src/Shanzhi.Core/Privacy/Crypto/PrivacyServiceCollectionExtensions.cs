using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shanzhi.Storage;

namespace Shanzhi.Privacy.Crypto;

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>Registers the key ring (file store unless an <see cref="IKeyStore"/> is already registered), field encryption, blind indexes and rotation.</summary>
    public static IServiceCollection AddShanzhiPrivacy(this IServiceCollection services, StorageOptions storage, IConfiguration? configuration = null)
    {
        var options = new PrivacyOptions();
        configuration?.GetSection(PrivacyOptions.Section).Bind(options);
        if (string.IsNullOrWhiteSpace(options.KeyRingPath))
        {
            options.KeyRingPath = Path.Combine(storage.FullDataDirectory, "keys", "keyring.json");
        }

        services.AddSingleton(options);
        services.TryAddSingleton<IKeyStore, FileKeyStore>();
        services.AddSingleton<FieldCipher>();
        services.AddSingleton<BlindIndex>();
        services.AddSingleton<ReencryptFields>();
        return services;
    }

    /// <summary>Registers a column of ciphertexts so that <c>shanzhi keys rotate</c> re-encrypts it.</summary>
    public static IServiceCollection AddEncryptedField(this IServiceCollection services, EncryptedField field) =>
        services.AddSingleton(field);
}
