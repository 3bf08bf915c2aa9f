using Microsoft.EntityFrameworkCore;
using Shanzhi.Storage;

namespace Shanzhi.Privacy;

/// <summary>Why a record fails verification.</summary>
public enum AuditFault
{
    /// <summary>The record's fields no longer give its stored hash: a field was changed.</summary>
    HashMismatch,

    /// <summary>A sequence number is missing: a record was deleted.</summary>
    Gap,

    /// <summary>The record's previous hash is not the hash of the record before it.</summary>
    BrokenLink,

    /// <summary>The chain head names a later record than the last one stored: records were deleted from the end.</summary>
    Truncated,
}

/// <summary>Outcome of a verification: how many records were checked and the first bad one, if any.</summary>
public sealed record AuditVerification(long Checked, long? FirstBadSequence, AuditFault? Fault)
{
    public bool IsIntact => Fault is null;

    /// <summary>What an operator reads: the fault in Chinese.</summary>
    public string? Reason => Fault switch
    {
        AuditFault.HashMismatch => "记录内容与其哈希值不符（记录被修改）",
        AuditFault.Gap => "序号缺失（记录被删除）",
        AuditFault.BrokenLink => "前序哈希与上一条记录不符（链条断裂）",
        AuditFault.Truncated => "链头记录的序号大于最后一条记录（末尾记录被删除）",
        _ => null,
    };
}

/// <summary>Walks the audit chain from the first record and reports the first one that fails.</summary>
public sealed class AuditVerifier(ShanzhiDbContext db)
{
    private const int BatchSize = 1000;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        long expected = 1;
        var previousHash = AuditRecord.GenesisHash;
        while (true)
        {
            var from = expected;
            var batch = await db.AuditRecords.AsNoTracking()
                .Where(r => r.Sequence >= from)
                .OrderBy(r => r.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var record in batch)
            {
                var fault =
                    record.Sequence != expected ? AuditFault.Gap
                    : record.PreviousHash != previousHash ? AuditFault.BrokenLink
                    : record.ComputeHash() != record.Hash ? AuditFault.HashMismatch
                    : (AuditFault?)null;
                if (fault is not null)
                {
                    return new AuditVerification(expected - 1, expected, fault);
                }

                previousHash = record.Hash;
                expected++;
            }

            if (batch.Count < BatchSize)
            {
                break;
            }
        }

        var last = expected - 1;
        var head = await db.AuditChainHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == AuditChainHead.SingletonId, cancellationToken);
        var headSequence = head?.Sequence ?? 0;
        if (headSequence > last)
        {
            return new AuditVerification(last, last + 1, AuditFault.Truncated);
        }

        if (headSequence < last)
        {
            // Records past the head were not written by an append.
            return new AuditVerification(headSequence, headSequence + 1, AuditFault.BrokenLink);
        }

        if (head is not null && head.Hash != previousHash)
        {
            return new AuditVerification(last, last, AuditFault.BrokenLink);
        }

        return new AuditVerification(last, null, null);
    }
}
