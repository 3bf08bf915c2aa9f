using Microsoft.Extensions.Time.Testing;
using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Tests.Privacy;

/// <summary>A file key store in a fresh temporary folder.</summary>
internal sealed class TestKeys : IDisposable
{
    public TestKeys(KeyAlgorithm algorithm = KeyAlgorithm.Aes256Gcm)
    {
        Folder = Path.Combine(Path.GetTempPath(), "shanzhi-tests", Guid.NewGuid().ToString("N"));
        Options = new PrivacyOptions { KeyRingPath = Path.Combine(Folder, "keys", "keyring.json"), EncryptionAlgorithm = algorithm };
        Store = new FileKeyStore(Options, Time);
        Cipher = new FieldCipher(Store);
    }

    public string Folder { get; }

    public PrivacyOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

    public FileKeyStore Store { get; }

    public FieldCipher Cipher { get; }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
