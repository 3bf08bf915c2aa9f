namespace Shanzhi.Privacy.Crypto;

/// <summary>Where the key ring lives and which cipher new encryption keys use. Bound from the <c>Privacy</c> section.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Path of the key ring file; empty means <c>&lt;DataDirectory&gt;/keys/keyring.json</c>.</summary>
    public string KeyRingPath { get; set; } = "";

    /// <summary>Cipher for new encryption keys: Aes256Gcm (default) or Sm4Gcm.</summary>
    public KeyAlgorithm EncryptionAlgorithm { get; set; } = KeyAlgorithm.Aes256Gcm;
}
