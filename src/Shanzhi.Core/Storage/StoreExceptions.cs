using Microsoft.Data.Sqlite;
using Npgsql;

namespace Shanzhi.Storage;

/// <summary>Recognises the store errors that a caller handles as an expected outcome rather than a bug.</summary>
public static class StoreExceptions
{
    // SQLite's extended result code for a violated UNIQUE constraint (SQLITE_CONSTRAINT_UNIQUE).
    private const int SqliteUniqueConstraint = 2067;

    /// <summary>
    /// Whether PostgreSQL aborted a serializable transaction because it conflicted with a concurrent one
    /// (SQLSTATE 40001). Running the transaction again is safe. SQLite has no such error: Microsoft.Data.Sqlite
    /// begins a serializable transaction with BEGIN IMMEDIATE, so a second writer waits for the write lock instead.
    /// </summary>
    public static bool IsSerializationFailure(Exception? e) =>
        Find<PostgresException>(e) is { SqlState: PostgresErrorCodes.SerializationFailure };

    /// <summary>Whether an insert or update violated a unique index, on either provider.</summary>
    public static bool IsUniqueViolation(Exception? e) =>
        Find<PostgresException>(e) is { SqlState: PostgresErrorCodes.UniqueViolation }
        || Find<SqliteException>(e) is { SqliteExtendedErrorCode: SqliteUniqueConstraint };

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
