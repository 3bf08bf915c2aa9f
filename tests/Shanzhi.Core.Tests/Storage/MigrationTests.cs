using Microsoft.EntityFrameworkCore;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Storage;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Migrations_leave_no_pending_model_changes(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await using var db = store.NewContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changed since the last migration: run scripts/migrations.sh.");
    }
}
