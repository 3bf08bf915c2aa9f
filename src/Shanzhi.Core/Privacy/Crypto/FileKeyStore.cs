using System.Text.Json;

namespace Shanzhi.Privacy.Crypto;

/// <summary>
/// The key ring as a JSON file (default <c>&lt;DataDirectory&gt;/keys/keyring.json</c>, mode 0600 on
/// Unix). The file is re-read when its write time changes, so a server picks up a rotation made by
/// <c>shanzhi keys rotate</c> in another process and never meets a key id it does not know.
/// </summary>
public sealed class FileKeyStore(PrivacyOptions options, TimeProvider time) : IKeyStore
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Lock _gate = new();
    private KeyRing? _ring;
    private DateTime _loadedWriteTime;

    public string Path => options.KeyRingPath;

    public KeyRing Current
    {
        get
        {
            lock (_gate)
            {
                if (_ring is not null && File.GetLastWriteTimeUtc(Path) == _loadedWriteTime)
                {
                    return _ring;
                }

                if (!File.Exists(Path))
                {
                    // A ring that vanished under a running process is an operator error, not a
                    // first start: a new ring would make every stored ciphertext unreadable.
                    if (_ring is not null)
                    {
                        throw new InvalidOperationException($"Key ring {Path} was removed while in use; restore it from backup.");
                    }

                    Write(KeyRing.CreateNew(options.EncryptionAlgorithm, time.GetUtcNow()), createOnly: true);
                }

                return Load();
            }
        }
    }

    public KeyRecord Rotate(KeyAlgorithm algorithm)
    {
        lock (_gate)
        {
            // Two processes rotating at once would each write a ring without the other's new key,
            // and data encrypted under the lost key could never be read: hold a lock file meanwhile.
            using var rotationLock = AcquireRotationLock();
            _loadedWriteTime = default;
            var ring = Current.WithNewKey(algorithm, time.GetUtcNow());
            Write(ring, createOnly: false);
            return Load().Active(KeyRecord.PurposeOf(algorithm));
        }
    }

    /// <summary>Locks <c>keyring.json.lock</c> (kept, not deleted, so every process locks the same file), waiting up to about 5 s.</summary>
    private FileStream AcquireRotationLock()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new FileStream(Path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private KeyRing Load()
    {
        var writeTime = File.GetLastWriteTimeUtc(Path);
        var file = JsonSerializer.Deserialize<KeyRingFile>(File.ReadAllBytes(Path), Json)
            ?? throw new InvalidOperationException($"Key ring {Path} is empty.");
        _ring = new KeyRing(file.Keys);
        _loadedWriteTime = writeTime;
        return _ring;
    }

    /// <summary>
    /// Writes to a temporary file created with mode 0600 and renames it over the ring, so readers
    /// see the old or the new ring, never half of one. With <paramref name="createOnly"/> a ring
    /// created meanwhile by another process wins.
    /// </summary>
    private void Write(KeyRing ring, bool createOnly)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var temp = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, streamOptions))
        {
            JsonSerializer.Serialize(stream, new KeyRingFile(1, [.. ring.Keys]), Json);
            stream.Flush(flushToDisk: true);
        }

        if (createOnly)
        {
            try
            {
                File.Move(temp, Path, overwrite: false);
            }
            catch (IOException) when (File.Exists(Path))
            {
                File.Delete(temp);
            }

            return;
        }

        File.Move(temp, Path, overwrite: true);
    }

    private sealed record KeyRingFile(int Version, List<KeyRecord> Keys);
}
