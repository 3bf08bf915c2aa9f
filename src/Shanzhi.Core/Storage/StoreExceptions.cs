namespace Shanzhi.Storage;

/// <summary>Recognises store failures that callers report as an expected conflict rather than a bug.</summary>
public static class StoreExceptions
{
    /// <summary>
    /// Whether <paramref name="e"/> or an inner exception is PostgreSQL's serialization failure
    /// (SQLSTATE 40001), raised when concurrent serializable transactions would not have the same
    /// result one after the other. Microsoft.Data.Sqlite begins a serializable transaction with
    /// BEGIN IMMEDIATE, which takes the write lock, so on SQLite such transactions wait for each
    /// other (up to the busy timeout) instead of failing this way.
    /// </summary>
    public static bool IsSerializationFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.SerializationFailure })
            {
                return true;
            }
        }

        return false;
    }
}
