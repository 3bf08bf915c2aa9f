namespace Shanzhi.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the platform keeps its data. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Folder for the SQLite file and attachments, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string; required when <see cref="Provider"/> is Postgres.</summary>
    public string? ConnectionString { get; set; }

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);

    public string SqlitePath => Path.Combine(FullDataDirectory, "shanzhi.db");

    public string AttachmentDirectory => Path.Combine(FullDataDirectory, "attachments");
}
