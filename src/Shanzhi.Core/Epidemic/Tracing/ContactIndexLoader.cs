using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Tracing;

/// <summary>
/// Rebuilds the <see cref="ContactIndex"/> at start by streaming the identified passages in time
/// order with a raw data reader (EF Core would materialise an entity per row). Passages committed
/// while it runs are replayed afterwards by the index itself.
/// </summary>
public sealed class ContactIndexLoader(IServiceScopeFactory scopes, ContactIndex index, ILogger<ContactIndexLoader> logger) : BackgroundService
{
    private const int BatchSize = 65_536;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RebuildAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            index.EndRebuild();
            logger.RebuildFailed(e);
        }
    }

    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        logger.RebuildStarted();
        var clock = Stopwatch.StartNew();
        index.BeginRebuild();

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShanzhiDbContext>();
        await foreach (var place in db.Places.AsNoTracking().Select(p => new { p.Id, p.Kind }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            index.SetPlaceKind(place.Id, place.Kind);
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT person_key, place_id, {Passage.OccurredAtColumn}, direction
                FROM {Passage.Table}
                WHERE person_key IS NOT NULL
                ORDER BY {Passage.OccurredAtColumn}
                """;
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await LoadAsync(reader, db is SqliteShanzhiDbContext, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        index.EndRebuild();
        logger.RebuildFinished(index.PassageCount, index.StayCount, index.PersonCount, index.PlaceCount, clock.ElapsedMilliseconds);
    }

    private async Task LoadAsync(DbDataReader reader, bool ticks, CancellationToken cancellationToken)
    {
        var batch = new IndexedPassage[BatchSize];
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            // SQLite stores instants as UTC ticks, PostgreSQL as timestamptz.
            batch[count++] = new IndexedPassage(
                reader.GetInt64(0),
                reader.GetInt64(1),
                ticks ? new DateTimeOffset(reader.GetInt64(2), TimeSpan.Zero) : reader.GetFieldValue<DateTimeOffset>(2),
                (PassageDirection)reader.GetInt16(3));
            if (count == BatchSize)
            {
                index.Add(batch);
                count = 0;
            }
        }

        index.Add(batch.AsSpan(0, count));
    }
}
