using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Storage;

/// <summary>
/// Marks a save whose unique-index violation the caller catches and turns into an expected error,
/// such as a second registration of one ID number that passed the duplicate check at the same
/// time as the first. EF Core logs every failed command and save at Error before the caller can
/// catch the exception. While a mark is active, <see cref="ExpectedConflictLoggerFactory"/> writes
/// those two entries at Debug instead, so a handled conflict does not look like a database fault.
/// A caller that finds no conflict rethrows, and the host logs the exception as usual.
/// </summary>
public static class ExpectedConflicts
{
    private static readonly AsyncLocal<bool> Active = new();

    public static bool IsActive => Active.Value;

    /// <summary>Starts a mark for the current asynchronous flow; disposing the scope ends it.</summary>
    public static Scope Begin()
    {
        var scope = new Scope(Active.Value);
        Active.Value = true;
        return scope;
    }

    public readonly struct Scope(bool wasActive) : IDisposable
    {
        public void Dispose() => Active.Value = wasActive;
    }
}

/// <summary>
/// The host's logger factory for EF Core, with the two failure entries (<see cref="RelationalEventId.CommandError"/>
/// and <see cref="CoreEventId.SaveChangesFailed"/>) lowered to Debug inside an <see cref="ExpectedConflicts"/> mark.
/// Every other entry, and these two outside a mark, pass through unchanged.
/// </summary>
public sealed class ExpectedConflictLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == DbLoggerCategory.Database.Command.Name || categoryName == DbLoggerCategory.Update.Name ? new ConflictLogger(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Does nothing, because the host owns the inner factory and disposes it.</summary>
    public void Dispose()
    {
    }

    private sealed class ConflictLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (ExpectedConflicts.IsActive && (eventId.Id == RelationalEventId.CommandError.Id || eventId.Id == CoreEventId.SaveChangesFailed.Id))
            {
                logLevel = LogLevel.Debug;
                if (!inner.IsEnabled(logLevel))
                {
                    return;
                }
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
