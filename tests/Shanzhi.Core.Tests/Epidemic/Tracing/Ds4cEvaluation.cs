using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>What tracing from every DS4C patient with a known infector finds, for one rule set.</summary>
public sealed record Ds4cRecall(string RuleSetVersion, int Traced, int InfectorHasRoute, int InfectorFound, int InfectorFoundUpToSecondDegree, int Candidates, int MaximumCandidates);

/// <summary>
/// Loads the Korean DS4C patient routes (KCDC, 2020) into a contact index and measures how often the
/// recorded infector (<c>infected_by</c>) is among the traced candidates of the infected patient.
/// </summary>
/// <remarks>
/// A place is the route row's <c>type</c> with its exact <c>latitude</c> and <c>longitude</c>
/// (2,852 places): the coordinates name one venue, and the type separates venues that share a
/// building. Routes have dates without times, so each visit is a whole-day stay; Korean dates are
/// taken as Beijing days, which changes nothing because every window is counted in whole days. The
/// anchor is <c>symptom_onset_date</c>, or <c>confirmed_date</c> (as the sample date) when onset is
/// unknown. Candidates are the distinct first-degree contacts. Route types that match a
/// <see cref="PlaceKind"/> give the place that kind (<see cref="KindOf"/>); the rest (churches,
/// "etc", lodging and others) stay of unknown kind, which only matters for rule sets that count
/// second-degree contacts at some kinds only.
/// </remarks>
public sealed class Ds4cEvaluation
{
    private readonly ContactIndex _index = new(Options.Create(new TracingOptions()));
    private readonly List<(long Patient, long Infector, DateOnly Anchor)> _infected = [];
    private readonly HashSet<long> _withRoute = [];

    public static Ds4cEvaluation Load(string folder)
    {
        var evaluation = new Ds4cEvaluation();
        evaluation.LoadRoutes(Path.Combine(folder, "ds4c-PatientRoute.csv"));
        evaluation.LoadPatients(Path.Combine(folder, "ds4c-PatientInfo.csv"));
        return evaluation;
    }

    public int PlaceCount => _index.PlaceCount;

    public int StayCount => _index.StayCount;

    public Ds4cRecall Measure(RuleSet rules)
    {
        int traced = 0, infectorHasRoute = 0, found = 0, foundUpToSecond = 0, candidates = 0, maximum = 0;
        foreach (var (patient, infector, anchor) in _infected)
        {
            if (!_withRoute.Contains(patient))
            {
                continue;
            }

            var edges = _index.Trace(new TraceRequest(patient, ShanghaiTime.StartOfDay(anchor).AddHours(12), rules)).Edges;
            var first = edges.Where(e => e.Degree == 1).Select(e => e.To).ToHashSet();
            traced++;
            infectorHasRoute += _withRoute.Contains(infector) ? 1 : 0;
            found += first.Contains(infector) ? 1 : 0;
            foundUpToSecond += first.Contains(infector) || edges.Any(e => e.To == infector) ? 1 : 0;
            candidates += first.Count;
            maximum = Math.Max(maximum, first.Count);
        }

        return new Ds4cRecall(rules.Version, traced, infectorHasRoute, found, foundUpToSecond, candidates, maximum);
    }

    // The two files have no quoted fields, so a plain split reads them; a shifted column would
    // break the pinned figures.
    private static IEnumerable<Dictionary<string, string>> Rows(string path)
    {
        using var lines = File.ReadLines(path).GetEnumerator();
        lines.MoveNext();
        var header = lines.Current.Split(',');
        while (lines.MoveNext())
        {
            var fields = lines.Current.Split(',');
            yield return header.Select((name, i) => (name, value: i < fields.Length ? fields[i] : "")).ToDictionary(f => f.name, f => f.value);
        }
    }

    private void LoadRoutes(string path)
    {
        var visits = Rows(path)
            .Select(r => (Patient: long.Parse(r["patient_id"], System.Globalization.CultureInfo.InvariantCulture),
                Place: $"{r["type"]}|{r["latitude"]}|{r["longitude"]}",
                Day: DateOnly.ParseExact(r["date"], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct()
            .ToList();
        var places = visits.Select(v => v.Place).Distinct().Order(StringComparer.Ordinal)
            .Select((key, i) => (key, id: i + 1L)).ToDictionary(p => p.key, p => p.id);
        foreach (var (key, id) in places)
        {
            if (KindOf(key[..key.IndexOf('|')]) is { } kind)
            {
                _index.SetPlaceKind(id, kind);
            }
        }

        foreach (var visit in visits.OrderBy(v => v.Day).ThenBy(v => v.Patient))
        {
            _index.AddStay(visit.Patient, places[visit.Place], ShanghaiTime.StartOfDay(visit.Day), ShanghaiTime.StartOfDay(visit.Day.AddDays(1)));
            _withRoute.Add(visit.Patient);
        }
    }

    /// <summary>The place kind of a DS4C route type, where one of ours fits it.</summary>
    internal static PlaceKind? KindOf(string type) => type switch
    {
        "school" or "university" or "academy" => PlaceKind.School,
        "hospital" => PlaceKind.Hospital,
        "airport" => PlaceKind.Airport,
        "public_transportation" => PlaceKind.RailStation,
        "store" or "restaurant" or "pharmacy" or "cafe" or "pc_cafe" or "bakery" or "bank" or "gym" or "real_estate_agency"
            or "beauty_salon" or "post_office" or "bar" or "gas_station" or "karaoke" => PlaceKind.Mall,
        _ => null,
    };

    private void LoadPatients(string path)
    {
        foreach (var row in Rows(path))
        {
            var anchor = row["symptom_onset_date"] is { Length: > 0 } onset ? onset : row["confirmed_date"];
            if (row["infected_by"] is not { Length: > 0 } infector || anchor.Length == 0)
            {
                continue;
            }

            _infected.Add((long.Parse(row["patient_id"], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(infector, System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.ParseExact(anchor, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
