using Microsoft.Extensions.DependencyInjection;
using Shanzhi.Epidemic;

namespace Shanzhi.Web.Tests.Epidemic;

/// <summary>
/// A small contact tracer for web tests, fed like the real index: through
/// <see cref="IPassageObserver"/> after passages are committed. A stay is an In passage followed by
/// the same person's Out passage at the same place. Two stays that overlap by at least the rule
/// set's minimum make an edge. Registered only when the platform has no tracer of its own.
/// </summary>
public sealed class PassageListTracer : IContactTracer, IPassageObserver
{
    private readonly Lock _gate = new();
    private readonly List<PassageRecord> _passages = [];

    /// <summary>Registers this tracer unless the platform already registers an <see cref="IContactTracer"/>.</summary>
    public static void AddIfMissing(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IContactTracer)))
        {
            return;
        }

        services.AddSingleton<PassageListTracer>();
        services.AddSingleton<IContactTracer>(sp => sp.GetRequiredService<PassageListTracer>());
        services.AddSingleton<IPassageObserver>(sp => sp.GetRequiredService<PassageListTracer>());
    }

    public void OnCommitted(IReadOnlyList<PassageRecord> passages)
    {
        lock (_gate)
        {
            _passages.AddRange(passages);
        }
    }

    public TraceResult Trace(TraceRequest request)
    {
        List<Stay> stays;
        lock (_gate)
        {
            stays = Stays(_passages);
        }

        var rules = request.Rules;
        var end = request.Anchor.AddDays(rules.DaysAfterOnset);
        if (request.IsolatedAt is { } isolated && isolated < end)
        {
            end = isolated;
        }

        var close = Contacts(stays, request.IndexPersonKey, request.Anchor.AddDays(-rules.DaysBeforeOnset), end, 1, rules, new HashSet<long>());
        var edges = new List<ContactEdge>(close);
        if (rules.SecondDegree)
        {
            var known = close.Select(e => e.To).Append(request.IndexPersonKey).ToHashSet();
            foreach (var contact in close.GroupBy(e => e.To))
            {
                // A contact of a contact: exposed to the close contact between the close contact's first exposure and isolation.
                edges.AddRange(Contacts(stays, contact.Key, contact.Min(e => e.OverlapStart), end, 2, rules, known));
            }
        }

        return new TraceResult(request.IndexPersonKey, edges);
    }

    private sealed record Stay(long Person, long Place, DateTimeOffset From, DateTimeOffset To);

    private static List<ContactEdge> Contacts(List<Stay> stays, long person, DateTimeOffset from, DateTimeOffset to, int degree, RuleSet rules,
        IReadOnlySet<long> excluded)
    {
        var edges = new List<ContactEdge>();
        foreach (var own in stays.Where(s => s.Person == person && s.To > from && s.From < to))
        {
            foreach (var other in stays.Where(s => s.Place == own.Place && s.Person != person && !excluded.Contains(s.Person)))
            {
                var start = Max(own.From, other.From, from);
                var stop = Min(own.To, other.To, to);
                if (stop - start >= rules.MinimumOverlap)
                {
                    edges.Add(new ContactEdge(person, other.Person, degree, own.Place, start, stop, stop - start, rules.Version));
                }
            }
        }

        return edges;
    }

    private static List<Stay> Stays(List<PassageRecord> passages) =>
        [.. passages
            .Where(p => p.PersonKey is not null)
            .GroupBy(p => (Person: p.PersonKey!.Value, p.PlaceId))
            .SelectMany(g =>
            {
                var ordered = g.OrderBy(p => p.OccurredAt).ToList();
                return ordered.Zip(ordered.Skip(1))
                    .Where(pair => pair.First.Direction == PassageDirection.In && pair.Second.Direction == PassageDirection.Out)
                    .Select(pair => new Stay(g.Key.Person, g.Key.PlaceId, pair.First.OccurredAt, pair.Second.OccurredAt));
            })];

    private static DateTimeOffset Max(params ReadOnlySpan<DateTimeOffset> values)
    {
        var max = values[0];
        foreach (var value in values)
        {
            max = value > max ? value : max;
        }

        return max;
    }

    private static DateTimeOffset Min(params ReadOnlySpan<DateTimeOffset> values)
    {
        var min = values[0];
        foreach (var value in values)
        {
            min = value < min ? value : min;
        }

        return min;
    }
}
