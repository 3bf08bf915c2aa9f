using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Tests.Infrastructure;

/// <summary>The store-backed audit chain over a test store, each append in its own context as in the platform.</summary>
internal sealed class TestAuditLog(TestStore store, TimeProvider clock) : IAuditLog
{
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var db = store.NewContext();
        await AuditChain.AppendAsync(db, entry, clock.GetUtcNow(), cancellationToken);
    }

    public Task AppendInTransactionAsync(ShanzhiDbContext db, AuditEntry entry, CancellationToken cancellationToken) =>
        AuditChain.AppendInTransactionAsync(db, entry, clock.GetUtcNow(), cancellationToken);
}
