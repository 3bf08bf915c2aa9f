using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>A plain EF stand-in for the durable passage writer: one row at a time, duplicates counted, every submission kept.</summary>
internal sealed class StorePassageIngest(TestStore store, TimeProvider clock) : IPassageIngest
{
    public List<PassageRecord> Submitted { get; } = [];

    public async Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken)
    {
        await using var db = store.NewContext();
        var accepted = 0;
        foreach (var p in passages)
        {
            Submitted.Add(p);
            if (await db.Passages.AnyAsync(x => x.DeviceId == p.DeviceId && x.DeviceSequence == p.DeviceSequence, cancellationToken))
            {
                continue;
            }

            db.Passages.Add(new Passage
            {
                DeviceId = p.DeviceId, DeviceSequence = p.DeviceSequence, EntranceId = p.EntranceId, PlaceId = p.PlaceId, PersonKey = p.PersonKey,
                OccurredAt = p.OccurredAt, Direction = p.Direction, Decision = p.Decision, Channel = p.Channel, StatusAtPassage = p.StatusAtPassage,
                ReceivedAt = clock.GetUtcNow(),
            });
            accepted++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return new IngestReceipt(accepted, passages.Count - accepted);
    }
}
