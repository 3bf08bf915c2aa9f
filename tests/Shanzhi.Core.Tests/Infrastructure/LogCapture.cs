using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Shanzhi.Tests.Infrastructure;

// Runs the personal-data scan once every test of the assembly has finished.
[assembly: AssemblyFixture(typeof(LogScanFixture))]

namespace Shanzhi.Tests.Infrastructure;

/// <summary>
/// Everything the code under test logs during a test run. Hosts the tests start and loggers the
/// tests create write into <see cref="Shared"/>; <see cref="LogScanFixture"/> fails the run if it
/// contains personal data. Linked into both test projects.
/// </summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public static LogSink Shared { get; } = new();

    /// <summary>Names of people the tests register (residents, reporters, staff); none may reach a log.</summary>
    public static ConcurrentDictionary<string, byte> RegisteredNames { get; } = new(StringComparer.Ordinal);

    public static void RegisterName(string name) => RegisteredNames.TryAdd(name, 0);

    public void Write(string line) => _lines.Enqueue(line);

    public string Text() => string.Join('\n', _lines);

    /// <summary>Returns a provider for <c>ILoggingBuilder.AddProvider</c> that captures every level and category.</summary>
    public ILoggerProvider Provider() => new CapturingLoggerProvider(this);

    public ILoggerFactory Factory() => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(Provider()));

    private sealed class CapturingLoggerProvider(LogSink sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            sink.Write($"{category} scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{category} {logLevel} {formatter(state, exception)}");

            // Structured values too: a sink that keeps properties would store them even if the message omits them.
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (key, value) in properties)
                {
                    line.Append(CultureInfo.InvariantCulture, $" {key}={value}");
                }
            }

            if (exception is not null)
            {
                line.Append(' ').Append(exception);
            }

            sink.Write(line.ToString());
        }
    }
}

/// <summary>Finds personal data in text: ID numbers (GB 11643), mainland mobile numbers, registered names.</summary>
public static partial class PersonalDataScanner
{
    /// <summary>Returns one line per finding, with the value masked so the report does not repeat it.</summary>
    public static IReadOnlyList<string> Find(string text, IEnumerable<string> names)
    {
        var findings = new List<string>();
        foreach (Match match in IdNumberPattern().Matches(text))
        {
            if (HasValidCheckDigit(match.Value))
            {
                findings.Add($"ID number {match.Value[..6]}********{match.Value[^4..]} at offset {match.Index}");
            }
        }

        foreach (Match match in MobilePattern().Matches(text))
        {
            findings.Add($"mobile number {match.Value[..3]}****{match.Value[^4..]} at offset {match.Index}");
        }

        foreach (var name in names.Where(n => n.Length >= 2))
        {
            var index = text.IndexOf(name, StringComparison.Ordinal);
            if (index >= 0)
            {
                findings.Add($"registered name {name[0]}{new string('*', name.Length - 1)} at offset {index}");
            }
        }

        return findings;
    }

    /// <summary>
    /// Returns whether the last character is the ISO 7064 MOD 11-2 check of the first 17 digits.
    /// Unlike <see cref="Shanzhi.Privacy.ChineseIdNumber.IsValid"/> it ignores the birth date, so
    /// the scan also catches numbers made up with an impossible date.
    /// </summary>
    public static bool HasValidCheckDigit(string idNumber) =>
        char.ToUpperInvariant(idNumber[17]) == Shanzhi.Privacy.ChineseIdNumber.CheckCharacter(idNumber.AsSpan(0, 17));

    // Not next to letters or digits: hex ids and longer numbers (ticks, Unix milliseconds) in logs
    // contain such runs by chance.
    [GeneratedRegex(@"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")]
    private static partial Regex IdNumberPattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")]
    private static partial Regex MobilePattern();
}

/// <summary>Fails the test run when the shared log sink contains personal data.</summary>
public sealed class LogScanFixture : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        var findings = PersonalDataScanner.Find(LogSink.Shared.Text(), LogSink.RegisteredNames.Keys);
        if (findings.Count > 0)
        {
            throw new InvalidOperationException(
                "Personal data reached the logs during this test run:\n" + string.Join('\n', findings));
        }

        return ValueTask.CompletedTask;
    }
}
