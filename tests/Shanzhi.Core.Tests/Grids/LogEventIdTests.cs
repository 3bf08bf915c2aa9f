using System.Reflection;
using Microsoft.Extensions.Logging;
using Shanzhi.Grids;

namespace Shanzhi.Tests.Grids;

/// <summary>Each [LoggerMessage] of the core assembly has an event id of its own, so a log query by id finds one message.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void No_two_log_messages_share_an_event_id()
    {
        var messages = typeof(Error).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .ToList();

        var clashes = messages
            .GroupBy(m => m.Attribute!.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: " + string.Join(", ", group.Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}")))
            .ToList();

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
