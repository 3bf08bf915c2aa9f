namespace Shanzhi.Epidemic.Passages;

/// <summary>Settings of the passage writer, bound from <c>Epidemic:Ingest</c>.</summary>
public sealed class PassageIngestOptions
{
    public const string Section = "Epidemic:Ingest";

    /// <summary>Batches waiting for the writer; a submission beyond this is rejected with 429 at once.</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Rows the writer gathers from waiting batches into one transaction.</summary>
    public int MaxRowsPerTransaction { get; set; } = 50_000;

    /// <summary>Passages one HTTP or CLI batch may hold.</summary>
    public int MaxBatchSize { get; set; } = 10_000;

    /// <summary>Seconds a rejected client waits before resending (the Retry-After header).</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
