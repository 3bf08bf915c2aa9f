using System.Buffers;
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
/// form, and encodes them as variable-length differences (see <see cref="Encode"/>).
/// A device that sends its passages in sequence order gives one run per transaction.
/// </summary>
public static class PassageKeyRanges
{
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

    /// <summary>
    /// Encodes each range as three zigzag variable-length integers of 7 bits a byte. The first is the
    /// device minus the previous range's device. The second is the first sequence minus the previous
    /// range's last sequence on the same device, or the first sequence itself on a new device. The
    /// third is the last minus the first sequence. A transaction of interleaved devices has one range
    /// per passage, so fixed 24-byte ranges made the commit row about a quarter of the passages' own
    /// size. Any input round-trips, because the differences wrap around in 64-bit arithmetic.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<PassageKeyRange> ranges)
    {
        var buffer = new ArrayBufferWriter<byte>(ranges.Count * 4 + 16);
        long previousDevice = 0, previousLast = 0;
        foreach (var range in ranges)
        {
            var sequenceBase = range.DeviceId == previousDevice ? previousLast : 0;
            WriteVarint(buffer, unchecked(range.DeviceId - previousDevice));
            WriteVarint(buffer, unchecked(range.FirstSequence - sequenceBase));
            WriteVarint(buffer, unchecked(range.LastSequence - range.FirstSequence));
            (previousDevice, previousLast) = (range.DeviceId, range.LastSequence);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote, or throws <see cref="FormatException"/> on a value that ends inside a range.</summary>
    public static PassageKeyRange[] Decode(ReadOnlySpan<byte> bytes)
    {
        var ranges = new List<PassageKeyRange>();
        long previousDevice = 0, previousLast = 0;
        var position = 0;
        while (position < bytes.Length)
        {
            var device = unchecked(previousDevice + ReadVarint(bytes, ref position));
            var sequenceBase = device == previousDevice ? previousLast : 0;
            var first = unchecked(sequenceBase + ReadVarint(bytes, ref position));
            var last = unchecked(first + ReadVarint(bytes, ref position));
            ranges.Add(new PassageKeyRange(device, first, last));
            (previousDevice, previousLast) = (device, last);
        }

        return [.. ranges];
    }

    private static void WriteVarint(ArrayBufferWriter<byte> buffer, long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var span = buffer.GetSpan(10);
        var length = 0;
        while (zigzag >= 0x80)
        {
            span[length++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }

        span[length++] = (byte)zigzag;
        buffer.Advance(length);
    }

    private static long ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong zigzag = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= bytes.Length)
            {
                throw new FormatException($"Passage key ranges end inside a range at byte {position}.");
            }

            var next = bytes[position++];
            zigzag |= (ulong)(next & 0x7f) << shift;
            if (next < 0x80)
            {
                return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            }
        }

        throw new FormatException($"Passage key ranges hold an integer longer than 10 bytes before byte {position}.");
    }
}
