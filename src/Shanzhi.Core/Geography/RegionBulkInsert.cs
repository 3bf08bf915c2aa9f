using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Shanzhi.Storage;

namespace Shanzhi.Geography;

/// <summary>
/// Inserts many new regions in one transaction: binary COPY on PostgreSQL, one prepared statement
/// on SQLite. Tens of thousands of rows take well under a second either way, where EF Core change
/// tracking would take several.
/// </summary>
internal static class RegionBulkInsert
{
    public static async Task InsertAsync(ShanzhiDbContext db, IReadOnlyList<Region> regions, CancellationToken cancellationToken)
    {
        var table = RegionTable.From(db);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            if (connection is NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, table, regions, cancellationToken);
            }
            else
            {
                await InsertRowsAsync(connection, transaction.GetDbTransaction(), table, regions, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, RegionTable table, IReadOnlyList<Region> regions, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table.Name} ({string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var region in regions)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(region.Code, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(writer, region.ParentCode, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync((int)region.Level, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(region.Name, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(region.Path, NpgsqlDbType.Varchar, cancellationToken);
            await WriteNullableAsync(writer, region.Boundary, NpgsqlDbType.Bytea, cancellationToken);
            await WriteNullableAsync(writer, region.CenterLatitude, NpgsqlDbType.Double, cancellationToken);
            await WriteNullableAsync(writer, region.CenterLongitude, NpgsqlDbType.Double, cancellationToken);
            await writer.WriteAsync(region.IsGenerated, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(region.ValidFrom, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(writer, region.ValidTo, NpgsqlDbType.Date, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(value, type, cancellationToken);
        }
    }

    private static async Task InsertRowsAsync(
        DbConnection connection, DbTransaction transaction, RegionTable table, IReadOnlyList<Region> regions, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "@p" + i))})";
        var parameters = table.Columns.Select((_, i) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync(cancellationToken);

        foreach (var region in regions)
        {
            // SQLite stores what EF Core maps these types to: enum as integer, bool as 0/1, DateOnly as yyyy-MM-dd text.
            parameters[0].Value = region.Code;
            parameters[1].Value = (object?)region.ParentCode ?? DBNull.Value;
            parameters[2].Value = (int)region.Level;
            parameters[3].Value = region.Name;
            parameters[4].Value = region.Path;
            parameters[5].Value = (object?)region.Boundary ?? DBNull.Value;
            parameters[6].Value = (object?)region.CenterLatitude ?? DBNull.Value;
            parameters[7].Value = (object?)region.CenterLongitude ?? DBNull.Value;
            parameters[8].Value = region.IsGenerated;
            parameters[9].Value = region.ValidFrom;
            parameters[10].Value = (object?)region.ValidTo ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Table and column names as the EF Core model maps them, in the order the writers above fill them.</summary>
    private sealed record RegionTable(string Name, IReadOnlyList<string> Columns)
    {
        public static RegionTable From(ShanzhiDbContext db)
        {
            var entity = db.Model.FindEntityType(typeof(Region))
                ?? throw new InvalidOperationException("Region is not part of the store model.");
            var sql = db.GetService<ISqlGenerationHelper>();
            string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName());
            return new RegionTable(
                sql.DelimitIdentifier(entity.GetTableName()!),
                [
                    Column(nameof(Region.Code)), Column(nameof(Region.ParentCode)), Column(nameof(Region.Level)),
                    Column(nameof(Region.Name)), Column(nameof(Region.Path)), Column(nameof(Region.Boundary)),
                    Column(nameof(Region.CenterLatitude)), Column(nameof(Region.CenterLongitude)),
                    Column(nameof(Region.IsGenerated)), Column(nameof(Region.ValidFrom)), Column(nameof(Region.ValidTo)),
                ]);
        }
    }
}
