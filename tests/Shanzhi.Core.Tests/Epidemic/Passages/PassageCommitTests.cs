using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;
using static Shanzhi.Tests.Epidemic.Passages.PassageWorld;

namespace Shanzhi.Tests.Epidemic.Passages;

/// <summary>The commit row each writer transaction adds, and the key ranges it names its passages by.</summary>
public sealed class PassageCommitTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Writer_records_new_keys_per_transaction(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var cancellationToken = TestContext.Current.CancellationToken;
        long writerId;
        await using (var writer = Writer(store, TimeProvider.System))
        {
            writerId = writer.WriterId;
            await writer.SubmitAsync([.. Range(1, 1, 5), .. Range(2, 10, 2)], cancellationToken);

            // Sequences 4 and 5 are stored already, 6 and 7 are new.
            await writer.SubmitAsync(Range(1, 4, 4), cancellationToken);

            // Nothing new: no commit row.
            await writer.SubmitAsync(Range(1, 1, 3), cancellationToken);
        }

        await using var db = store.NewContext();
        var commits = await db.PassageCommits.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken);
        Assert.Equal(2, commits.Count);
        Assert.All(commits, c => Assert.Equal(writerId, c.WriterId));
        Assert.All(commits, c => Assert.InRange(c.CommittedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Equal([new PassageKeyRange(1, 1, 5), new PassageKeyRange(2, 10, 11)], PassageKeyRanges.Decode(commits[0].Ranges));
        Assert.Equal([new PassageKeyRange(1, 6, 7)], PassageKeyRanges.Decode(commits[1].Ranges));
    }

    [Fact]
    public void Key_ranges_merge_runs_per_device()
    {
        var ranges = PassageKeyRanges.From([(2, 5), (1, 1), (1, 2), (2, 6), (1, 4), (1, 3), (3, 9), (1, 8)]);

        Assert.Equal(
            [new PassageKeyRange(1, 1, 4), new PassageKeyRange(1, 8, 8), new PassageKeyRange(2, 5, 6), new PassageKeyRange(3, 9, 9)],
            ranges);
    }

    [Fact]
    public void Key_ranges_survive_encoding()
    {
        PassageKeyRange[] ranges = [new(1, 0, long.MaxValue), new(long.MaxValue, 7, 7)];

        Assert.Equal(ranges, PassageKeyRanges.Decode(PassageKeyRanges.Encode(ranges)));
    }

    [Fact]
    public void Key_ranges_survive_any_order_and_extremes()
    {
        PassageKeyRange[] ranges = [new(5, 10, 12), new(2, -3, 7), new(long.MinValue, long.MaxValue, long.MinValue), new(long.MinValue, 0, 0)];

        Assert.Equal(ranges, PassageKeyRanges.Decode(PassageKeyRanges.Encode(ranges)));
    }

    [Fact]
    public void Key_ranges_of_interleaved_devices_are_compact()
    {
        // One passage each from 2,000 devices, as a busy transaction of interleaved gates stores them.
        var ranges = PassageKeyRanges.From(Enumerable.Range(1, 2_000).Select(d => ((long)d, 1_000_000L + d)));

        var bytes = PassageKeyRanges.Encode(ranges);

        Assert.Equal(2_000, ranges.Count);
        Assert.True(bytes.Length <= 2_000 * 6, $"{bytes.Length} bytes for 2,000 ranges");
        Assert.Equal(ranges, PassageKeyRanges.Decode(bytes));
    }

    [Fact]
    public void Key_ranges_reject_partial_value()
    {
        Assert.Throws<FormatException>(() => PassageKeyRanges.Decode(new byte[25]));
    }
}
