using System.Reflection;
using Microsoft.Extensions.Logging;
using Shanzhi.Grids;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

/// <summary>Each [LoggerMessage] of the core assembly has an event id of its own, so a log query by id finds one message.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var messages = LogEventIds.Messages(typeof(Error).Assembly);

        var clashes = LogEventIds.Clashes(messages);

        Assert.True(messages.Count > 50, $"Only {messages.Count} [LoggerMessage] methods found; the reflection no longer sees them.");
        Assert.Empty(clashes);
    }

    [Fact]
    public void Grid_log_ids_stay_in_the_grid_range()
    {
        var ids = typeof(GridsLog)
            .GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Select(method => method.GetCustomAttribute<LoggerMessageAttribute>())
            .Where(attribute => attribute is not null)
            .Select(attribute => attribute!.EventId)
            .ToList();

        Assert.All(ids, id => Assert.InRange(id, 7000, 7089));
    }
}
