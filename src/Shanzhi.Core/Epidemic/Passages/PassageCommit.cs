using System.Buffers.Binary;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shanzhi.Privacy.Classification;

namespace Shanzhi.Epidemic.Passages;

/// <summary>
/// One passage writer transaction that stored new passages, written in the same transaction as
/// them, so that the contact index of every other process can load those passages
/// (<see cref="Tracing.PassageCatchUp"/>). The passages table has no row id, so the row names its
/// passages by their keys: runs of consecutive device sequences per device
/// (<see cref="PassageKeyRanges"/>), which the primary key finds. Rows are deleted after
/// <see cref="Tracing.TracingOptions.CommitRetention"/>.
/// </summary>
[Classify(DataClass.Internal, "在多个进程之间同步新入库的通行记录", Activity = "疫情防控场所与通行")]
public sealed class PassageCommit
{
    public const string Table = "passage_commits";

    /// <summary>
    /// Increasing id, in the order the transactions inserted their rows. On PostgreSQL that order
    /// can differ from the order in which they commit, which <see cref="Tracing.PassageCatchUp"/> handles.
    /// </summary>
    public long Id { get; init; }

    /// <summary>Random id of the <see cref="PassageWriter"/> instance, so that a process skips its own transactions.</summary>
    public long WriterId { get; init; }

    /// <summary>
    /// When the transaction wrote this row, on the database server's clock for PostgreSQL and on the
    /// system clock for SQLite (a SQLite store is on the machine of every process that writes it).
    /// Not the platform's <see cref="TimeProvider"/>, so that processes with different clocks agree.
    /// </summary>
    public DateTimeOffset CommittedAt { get; init; }

    /// <summary>The stored passages' keys, encoded by <see cref="PassageKeyRanges.Encode"/>.</summary>
    public byte[] Ranges { get; init; } = [];
}

internal sealed class PassageCommitConfiguration : IEntityTypeConfiguration<PassageCommit>
{
    public void Configure(EntityTypeBuilder<PassageCommit> e)
    {
        e.ToTable(PassageCommit.Table);
        e.HasKey(c => c.Id);
        e.HasIndex(c => c.CommittedAt);
    }
}

/// <summary>A run of consecutive sequences of one device: the passage keys (device, first) to (device, last).</summary>
public readonly record struct PassageKeyRange(long DeviceId, long FirstSequence, long LastSequence);

/// <summary>
/// Turns the keys a transaction stored into as few runs of consecutive sequences per device as they
/// form, and encodes them as 24 bytes per run (device, first, last as little-endian 64-bit integers).
/// A device that sends its passages in sequence order gives one run per transaction.
/// </summary>
public static class PassageKeyRanges
{
    private const int RangeBytes = 24;

    public static IReadOnlyList<PassageKeyRange> From(IEnumerable<(long DeviceId, long Sequence)> keys)
    {
        // Runs in arrival order first, which is usually in sequence order per device, so that the
        // sort below handles a few runs rather than every key.
        var runs = new List<PassageKeyRange>();
        foreach (var (device, sequence) in keys)
        {
            if (runs.Count > 0 && runs[^1] is var last && last.DeviceId == device && last.LastSequence + 1 == sequence)
            {
                runs[^1] = last with { LastSequence = sequence };
            }
            else
            {
                runs.Add(new PassageKeyRange(device, sequence, sequence));
            }
        }

        runs.Sort(static (a, b) => a.DeviceId != b.DeviceId ? a.DeviceId.CompareTo(b.DeviceId) : a.FirstSequence.CompareTo(b.FirstSequence));
        var merged = new List<PassageKeyRange>(runs.Count);
        foreach (var run in runs)
        {
            if (merged.Count > 0 && merged[^1] is var last && last.DeviceId == run.DeviceId && last.LastSequence + 1 >= run.FirstSequence)
            {
                merged[^1] = last with { LastSequence = Math.Max(last.LastSequence, run.LastSequence) };
            }
            else
            {
                merged.Add(run);
            }
        }

        return merged;
    }

    public static byte[] Encode(IReadOnlyList<PassageKeyRange> ranges)
    {
        var bytes = new byte[ranges.Count * RangeBytes];
        for (var i = 0; i < ranges.Count; i++)
        {
            var span = bytes.AsSpan(i * RangeBytes, RangeBytes);
            BinaryPrimitives.WriteInt64LittleEndian(span, ranges[i].DeviceId);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], ranges[i].FirstSequence);
            BinaryPrimitives.WriteInt64LittleEndian(span[16..], ranges[i].LastSequence);
        }

        return bytes;
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote, or throws <see cref="FormatException"/> on a length that is not a whole number of ranges.</summary>
    public static PassageKeyRange[] Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % RangeBytes != 0)
        {
            throw new FormatException($"Passage key ranges take {RangeBytes} bytes each, but the value has {bytes.Length} bytes.");
        }

        var ranges = new PassageKeyRange[bytes.Length / RangeBytes];
        for (var i = 0; i < ranges.Length; i++)
        {
            var span = bytes.Slice(i * RangeBytes, RangeBytes);
            ranges[i] = new PassageKeyRange(
                BinaryPrimitives.ReadInt64LittleEndian(span),
                BinaryPrimitives.ReadInt64LittleEndian(span[8..]),
                BinaryPrimitives.ReadInt64LittleEndian(span[16..]));
        }

        return ranges;
    }
}
