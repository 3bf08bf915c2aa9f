using System.Security.Cryptography;
using System.Text.Json;
using Shanzhi.Privacy.Crypto;

namespace Shanzhi.Tests.Privacy;

public sealed class FieldCipherTests
{
    private const string Context = "pi_officer_contact.phone";

    [Theory]
    [InlineData(KeyAlgorithm.Aes256Gcm)]
    [InlineData(KeyAlgorithm.Sm4Gcm)]
    public void Encrypted_value_decrypts_to_the_plaintext(KeyAlgorithm algorithm)
    {
        using var keys = new TestKeys(algorithm);

        var ciphertext = keys.Cipher.Encrypt("浙江省宁波市海曙区中山西路138号", Context);

        Assert.Equal("浙江省宁波市海曙区中山西路138号", keys.Cipher.Decrypt(ciphertext, Context));
    }

    [Fact]
    public void Ciphertext_carries_version_and_key_id()
    {
        using var keys = new TestKeys();

        var ciphertext = keys.Cipher.Encrypt("13812345678", Context);

        Assert.Equal(FieldCipher.Version, ciphertext[0]);
        Assert.Equal(keys.Store.Current.Active(KeyPurpose.Encryption).Id, FieldCipher.KeyIdOf(ciphertext));
    }

    [Fact]
    public void Same_plaintext_encrypts_differently_each_time()
    {
        using var keys = new TestKeys();

        Assert.NotEqual(keys.Cipher.Encrypt("13812345678", Context), keys.Cipher.Encrypt("13812345678", Context));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Aes256Gcm)]
    [InlineData(KeyAlgorithm.Sm4Gcm)]
    public void Value_moved_to_another_column_does_not_decrypt(KeyAlgorithm algorithm)
    {
        using var keys = new TestKeys(algorithm);
        var ciphertext = keys.Cipher.Encrypt("13812345678", Context);

        Assert.ThrowsAny<CryptographicException>(() => keys.Cipher.Decrypt(ciphertext, "pi_officer_contact.email"));
    }

    [Theory]
    [InlineData(KeyAlgorithm.Aes256Gcm)]
    [InlineData(KeyAlgorithm.Sm4Gcm)]
    public void Altered_ciphertext_does_not_decrypt(KeyAlgorithm algorithm)
    {
        using var keys = new TestKeys(algorithm);
        var ciphertext = keys.Cipher.Encrypt("13812345678", Context);
        ciphertext[^20] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => keys.Cipher.Decrypt(ciphertext, Context));
    }

    [Fact]
    public void Value_under_an_old_key_decrypts_after_rotation()
    {
        using var keys = new TestKeys();
        var old = keys.Cipher.Encrypt("13812345678", Context);

        var rotated = keys.Store.Rotate(KeyAlgorithm.Sm4Gcm);

        Assert.NotEqual(FieldCipher.KeyIdOf(old), rotated.Id);
        Assert.Equal("13812345678", keys.Cipher.Decrypt(old, Context));
        Assert.Equal(rotated.Id, FieldCipher.KeyIdOf(keys.Cipher.Encrypt("13812345678", Context)));
    }

    [Fact]
    public void Running_store_sees_rotation_by_another_process()
    {
        using var keys = new TestKeys();
        _ = keys.Cipher.Encrypt("13812345678", Context);
        var other = new FileKeyStore(keys.Options, keys.Time);

        var rotated = other.Rotate(KeyAlgorithm.Aes256Gcm);

        Assert.Equal(rotated.Id, FieldCipher.KeyIdOf(keys.Cipher.Encrypt("13812345678", Context)));
    }

    [Fact]
    public void Key_ring_is_created_on_first_use()
    {
        using var keys = new TestKeys();

        var ring = keys.Store.Current;

        Assert.True(File.Exists(keys.Options.KeyRingPath));
        Assert.Equal(KeyAlgorithm.Aes256Gcm, ring.Active(KeyPurpose.Encryption).Algorithm);
        Assert.Equal(KeyAlgorithm.HmacSha256, ring.Active(KeyPurpose.BlindIndex).Algorithm);
        Assert.NotEqual(ring.Active(KeyPurpose.Encryption).Id, ring.Active(KeyPurpose.BlindIndex).Id);
    }

    [Fact]
    public void Key_ring_file_lists_key_metadata()
    {
        using var keys = new TestKeys();
        _ = keys.Store.Current;

        using var json = JsonDocument.Parse(File.ReadAllText(keys.Options.KeyRingPath));
        var first = json.RootElement.GetProperty("keys")[0];

        Assert.Equal(1, first.GetProperty("id").GetInt32());
        Assert.Equal("Aes256Gcm", first.GetProperty("algorithm").GetString());
        Assert.Equal(keys.Time.GetUtcNow(), first.GetProperty("createdAt").GetDateTimeOffset());
        Assert.True(first.GetProperty("active").GetBoolean());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Key_ring_file_is_readable_by_its_owner_only()
    {
        using var keys = new TestKeys();
        _ = keys.Store.Current;
        keys.Store.Rotate(KeyAlgorithm.Aes256Gcm);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys.Options.KeyRingPath));
    }

    [Fact]
    public void Removed_key_ring_is_not_silently_recreated()
    {
        using var keys = new TestKeys();
        _ = keys.Store.Current;

        File.Delete(keys.Options.KeyRingPath);

        Assert.Throws<InvalidOperationException>(() => keys.Store.Current);
    }

    [Fact]
    public void Rotation_waits_for_another_rotation_and_then_gives_up()
    {
        using var keys = new TestKeys();
        var before = keys.Store.Current.Keys.Count;

        using (new FileStream(keys.Options.KeyRingPath + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            Assert.Throws<IOException>(() => keys.Store.Rotate(KeyAlgorithm.Aes256Gcm));
        }

        Assert.Equal(before, keys.Store.Current.Keys.Count);
    }
}
