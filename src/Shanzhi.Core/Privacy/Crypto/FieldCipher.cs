using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Shanzhi.Privacy.Crypto;

/// <summary>
/// Encrypts one field value under the ring's active encryption key. Layout of a ciphertext:
/// version (1 byte, 1) | key id (4 bytes, big-endian) | nonce (12) | encrypted UTF-8 | tag (16).
/// The associated data is the 5-byte header plus the context (<c>table.column</c>), so a value
/// copied into another column, or a header edited to name another key, fails to decrypt.
/// </summary>
public sealed class FieldCipher(IKeyStore keys)
{
    public const byte Version = 1;

    private const int HeaderLength = 5;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public byte[] Encrypt(string plaintext, string context)
    {
        var key = keys.Current.Active(KeyPurpose.Encryption);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[HeaderLength + NonceLength + plain.Length + TagLength];
        output[0] = Version;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), key.Id);
        var nonce = output.AsSpan(HeaderLength, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var associated = AssociatedData(output.AsSpan(0, HeaderLength), context);
        var body = output.AsSpan(HeaderLength + NonceLength, plain.Length);
        var tag = output.AsSpan(HeaderLength + NonceLength + plain.Length, TagLength);

        if (key.Algorithm == KeyAlgorithm.Aes256Gcm)
        {
            using var aes = new AesGcm(key.Material, TagLength);
            aes.Encrypt(nonce, plain, body, tag, associated);
        }
        else
        {
            var gcm = Sm4Gcm(key, forEncryption: true, nonce, associated);
            var sealedBytes = new byte[gcm.GetOutputSize(plain.Length)];
            var written = gcm.ProcessBytes(plain, 0, plain.Length, sealedBytes, 0);
            gcm.DoFinal(sealedBytes, written);
            sealedBytes.CopyTo(output.AsSpan(HeaderLength + NonceLength));
        }

        return output;
    }

    /// <exception cref="CryptographicException">The value was altered, belongs to another context, or its key is not in the ring.</exception>
    public string Decrypt(byte[] ciphertext, string context)
    {
        var keyId = KeyIdOf(ciphertext);
        var key = keys.Current.Find(keyId) is { Purpose: KeyPurpose.Encryption } found
            ? found
            : throw new CryptographicException($"Encryption key {keyId} is not in the key ring; restore the key ring that encrypted this value.");
        var nonce = ciphertext.AsSpan(HeaderLength, NonceLength);
        var associated = AssociatedData(ciphertext.AsSpan(0, HeaderLength), context);
        var bodyLength = ciphertext.Length - HeaderLength - NonceLength - TagLength;
        var plain = new byte[bodyLength];

        if (key.Algorithm == KeyAlgorithm.Aes256Gcm)
        {
            using var aes = new AesGcm(key.Material, TagLength);
            aes.Decrypt(nonce, ciphertext.AsSpan(HeaderLength + NonceLength, bodyLength), ciphertext.AsSpan(ciphertext.Length - TagLength), plain, associated);
        }
        else
        {
            var gcm = Sm4Gcm(key, forEncryption: false, nonce, associated);
            var written = gcm.ProcessBytes(ciphertext, HeaderLength + NonceLength, bodyLength + TagLength, plain, 0);
            try
            {
                gcm.DoFinal(plain, written);
            }
            catch (Org.BouncyCastle.Crypto.InvalidCipherTextException e)
            {
                throw new CryptographicException("The SM4-GCM tag does not match: the value was altered or belongs to another field.", e);
            }
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>Id of the key a ciphertext was made with, read from its header.</summary>
    public static int KeyIdOf(byte[] ciphertext)
    {
        if (ciphertext.Length < HeaderLength + NonceLength + TagLength || ciphertext[0] != Version)
        {
            throw new CryptographicException($"Not a version {Version} field ciphertext ({ciphertext.Length} bytes).");
        }

        return BinaryPrimitives.ReadInt32BigEndian(ciphertext.AsSpan(1, 4));
    }

    /// <summary>True when the value is under the active encryption key, so rotation can leave it alone.</summary>
    public bool IsCurrent(byte[] ciphertext) => KeyIdOf(ciphertext) == keys.Current.Active(KeyPurpose.Encryption).Id;

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string context)
    {
        var data = new byte[header.Length + Encoding.UTF8.GetByteCount(context)];
        header.CopyTo(data);
        Encoding.UTF8.GetBytes(context, data.AsSpan(header.Length));
        return data;
    }

    private static GcmBlockCipher Sm4Gcm(KeyRecord key, bool forEncryption, ReadOnlySpan<byte> nonce, byte[] associated)
    {
        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(forEncryption, new AeadParameters(new KeyParameter(key.Material), TagLength * 8, nonce.ToArray(), associated));
        return gcm;
    }
}
