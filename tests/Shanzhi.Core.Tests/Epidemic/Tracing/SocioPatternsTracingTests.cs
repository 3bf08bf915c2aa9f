using System.Globalization;
using System.IO.Compression;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Tests.Epidemic.Tracing;

/// <summary>
/// The SocioPatterns primary-school contacts (Lyon, 2 days, 242 people, 20-second resolution)
/// through the contact index: "≥ 15 minutes cumulative within a day" must find exactly the pairs
/// that counting the raw rows finds.
/// </summary>
/// <remarks>
/// A row <c>Time id1 id2</c> means the pair was in face-to-face contact during [Time − 20 s, Time].
/// Each pair is its own place (a face-to-face contact is a place of two), and consecutive rows of a
/// pair merge into one co-presence interval, which becomes a stay of both people. Time 0 is taken
/// as midnight of the first day (Beijing time, 2 March 2026, so that the days are index days); day
/// n is [n × 86,400 s, (n + 1) × 86,400 s). No interval crosses midnight in this data.
/// </remarks>
public sealed class SocioPatternsTracingTests
{
    private const int RowSeconds = 20;
    private static readonly DateTimeOffset DayZero = new(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly RuleSet FifteenMinutesPerDay = new("sociopatterns", "test-sociopatterns-1", "学校接触 15 分钟",
        DaysBeforeOnset: 1, DaysAfterOnset: 3, MinimumOverlap: TimeSpan.FromMinutes(15), Cumulative: true, SecondDegree: false);

    private static readonly Lazy<List<(int Time, int A, int B)>> Rows = new(ReadRows);

    private static List<(int Time, int A, int B)> ReadRows()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Epidemic", "sociopatterns-primaryschool.tsv.gz");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        reader.ReadLine();
        var rows = new List<(int, int, int)>();
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            int a = int.Parse(f[1], CultureInfo.InvariantCulture), b = int.Parse(f[2], CultureInfo.InvariantCulture);
            rows.Add((int.Parse(f[0], CultureInfo.InvariantCulture), Math.Min(a, b), Math.Max(a, b)));
        }

        return rows;
    }

    /// <summary>The independent answer: distinct rows per pair and day, times 20 s, at least 900 s.</summary>
    private static HashSet<(int A, int B, int Day)> PairDaysFromRawRows() =>
        Rows.Value
            .GroupBy(r => (r.A, r.B, Day: r.Time / 86_400))
            .Where(g => g.Select(r => r.Time).Distinct().Count() * RowSeconds >= 15 * 60)
            .Select(g => g.Key)
            .ToHashSet();

    private static HashSet<(int A, int B, int Day)> PairDaysFromIndex()
    {
        using var index = new ContactIndex(Options.Create(new TracingOptions()));
        var places = new Dictionary<(int, int), long>();
        foreach (var pair in Rows.Value.GroupBy(r => (r.A, r.B)))
        {
            var place = places[pair.Key] = places.Count + 1;
            foreach (var (start, end) in Intervals(pair.Select(r => r.Time)))
            {
                index.AddStay(pair.Key.A, place, DayZero.AddSeconds(start), DayZero.AddSeconds(end));
                index.AddStay(pair.Key.B, place, DayZero.AddSeconds(start), DayZero.AddSeconds(end));
            }
        }

        var found = new HashSet<(int, int, int)>();
        foreach (var person in Rows.Value.SelectMany(r => new[] { r.A, r.B }).Distinct())
        {
            foreach (var edge in index.Trace(new TraceRequest(person, DayZero.AddHours(12), FifteenMinutesPerDay)).Edges)
            {
                var (a, b) = ((int)Math.Min(edge.From, edge.To), (int)Math.Max(edge.From, edge.To));
                found.Add((a, b, (int)((edge.OverlapStart - DayZero).TotalSeconds / 86_400)));
            }
        }

        return found;
    }

    /// <summary>Rows 20 s apart are one uninterrupted contact: [first − 20 s, last].</summary>
    private static IEnumerable<(int Start, int End)> Intervals(IEnumerable<int> times)
    {
        int? start = null, end = null;
        foreach (var t in times.Distinct().Order())
        {
            if (end is { } e && t - RowSeconds <= e)
            {
                end = t;
                continue;
            }

            if (start is { } s)
            {
                yield return (s, end!.Value);
            }

            (start, end) = (t - RowSeconds, t);
        }

        if (start is { } last)
        {
            yield return (last, end!.Value);
        }
    }

    [Fact]
    public void Raw_rows_give_651_pair_days()
    {
        Assert.Equal(651, PairDaysFromRawRows().Count);
    }

    [Fact]
    public void Index_matches_raw_pair_days()
    {
        var expected = PairDaysFromRawRows();

        var found = PairDaysFromIndex();

        Assert.True(expected.SetEquals(found), $"index only: {found.Except(expected).Count()}, raw only: {expected.Except(found).Count()}");
    }
}
