using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Tests.Infrastructure;

/// <summary>Finds the [LoggerMessage] methods of assemblies and the event ids that more than one of them uses.</summary>
internal static class LogEventIds
{
    private const BindingFlags Declared =
        BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Every [LoggerMessage] method, static or instance, with its attribute.</summary>
    public static IReadOnlyList<(MethodInfo Method, LoggerMessageAttribute Attribute)> Messages(params Assembly[] assemblies) =>
        assemblies.SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(Declared))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Method, m.Attribute!))
            .ToList();

    /// <summary>One line per event id used by more than one message: the id and the methods that use it.</summary>
    public static IReadOnlyList<string> Clashes(IReadOnlyList<(MethodInfo Method, LoggerMessageAttribute Attribute)> messages) =>
        messages
            .GroupBy(m => m.Attribute.EventId)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: " + string.Join(", ", group.Select(m => $"{m.Method.DeclaringType!.Name}.{m.Method.Name}")))
            .ToList();
}
