namespace Shanzhi.Epidemic;

/// <summary>A passage as the gate check and the bulk ingest hand it to the passage store.</summary>
public readonly record struct PassageRecord(
    long DeviceId,
    long DeviceSequence,
    long EntranceId,
    long PlaceId,
    long? PersonKey,
    DateTimeOffset OccurredAt,
    PassageDirection Direction,
    GateDecision Decision,
    HubChannel Channel,
    HealthStatus? StatusAtPassage);

/// <summary>How many passages of a batch were stored and how many were already there.</summary>
public sealed record IngestReceipt(int Accepted, int Duplicates);

/// <summary>
/// The durable passage store. <see cref="SubmitAsync"/> completes only after the batch is committed;
/// when the writer's queue is full it fails with <c>passage.queue_full</c> (HTTP 429) at once
/// rather than waiting or dropping.
/// </summary>
public interface IPassageIngest
{
    Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken);
}

/// <summary>Told about passages after they are committed (the contact index keeps itself current this way).</summary>
public interface IPassageObserver
{
    void OnCommitted(IReadOnlyList<PassageRecord> passages);
}

/// <summary>Receives each place registered while the platform runs, so the contact index has its kind at once.</summary>
public interface IPlaceObserver
{
    void OnRegistered(long placeId, PlaceKind kind);
}

/// <summary>A device authenticated by its API key, with where it stands.</summary>
public sealed record DeviceContext(long DeviceId, long EntranceId, long PlaceId, PlaceKind PlaceKind, string GridCode, string RegionPath);

public interface IDeviceResolver
{
    /// <summary>The active device whose key this is, or null.</summary>
    Task<DeviceContext?> ResolveAsync(string apiKey, CancellationToken cancellationToken);
}
