using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Tracing;

namespace Shanzhi.Bench;

/// <summary>
/// A synthetic city for the tracing benchmark: persons with a home compound, some with a school or a
/// construction site, visiting places day by day with the skew of gate data — a few very busy
/// transport hubs and malls (Zipf-ranked), many quiet residential compounds.
/// </summary>
/// <remarks>
/// Places scale with the population: per 10 M persons, 200 hubs (7 airports, 59 rail stations, the
/// rest highway exits), 5,000 malls, 1,000 hospitals, 5,000 schools, 5,000 construction sites and
/// one residential compound per 50 persons. Hubs and malls are drawn Zipf-ranked with exponent 0.7,
/// so the busiest mall gets about 2.5 % of mall visits (some 23,000 a day at full scale). Every visit
/// is an In passage and, 90 % of the time, an Out passage (1.9 passages per visit), so the visit
/// rate per person and day follows from the passage target. A visit goes home (35 %, evening, 8–14 h),
/// to a mall (25 %, 0.5–3 h), to a hub (10 %, 0.5–2 h), a
/// hospital (8 %, 1–3 h), the person's school (12 %, 15 % of persons, 7–9 h) or site (10 %, 5 % of
/// persons, 8–10 h); a person without a school or site goes to a mall instead. Passages reach the
/// consumer in time order, day by day; exits that fall after midnight are held for the next day.
/// </remarks>
internal sealed class SyntheticPassages(int persons, long passages, int days, int seed)
{
    private const double OutShare = 0.9;
    private const double Skew = 0.7;

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private readonly int _compounds = Math.Max(1, persons / 50);
    private readonly int _hubs = Math.Max(3, persons / 50_000);
    private readonly int _malls = Math.Max(1, persons / 2_000);
    private readonly int _hospitals = Math.Max(1, persons / 10_000);
    private readonly int _schools = Math.Max(1, persons / 2_000);
    private readonly int _sites = Math.Max(1, persons / 2_000);

    public int Days => days;

    public int PlaceCount => _hubs + _malls + _hospitals + _schools + _sites + _compounds;

    /// <summary>Person keys are pseudonymous, not dense: a fixed odd multiplier scatters them.</summary>
    public static long Key(int person) => (person + 1L) * 2_654_435_761L;

    public static int PersonOf(long key) => (int)(key / 2_654_435_761L) - 1;

    public IEnumerable<(long PlaceId, PlaceKind Kind)> Places()
    {
        for (var i = 0; i < PlaceCount; i++)
        {
            yield return (i + 1, KindOf(i));
        }
    }

    /// <summary>The parameters that fix the generated passages, as one line of text.</summary>
    public string Description => $"{persons} persons, {passages} passages, {days} days, seed {seed}";

    /// <summary>Hands the passages to <paramref name="consume"/> in time-ordered batches.</summary>

    public void Generate(Action<ReadOnlySpan<IndexedPassage>> consume)
    {
        var random = new Random(seed);
        var visitsPerDay = passages / (1 + OutShare) / days;
        var mallZipf = Zipf(_malls);
        var hubZipf = Zipf(_hubs);
        var held = new List<Event>();
        var batch = new IndexedPassage[65_536];
        for (var day = 0; day < days; day++)
        {
            var dayStart = day * 86_400;
            var events = held;
            held = [];
            var visits = (long)visitsPerDay;
            for (long v = 0; v < visits; v++)
            {
                var person = random.Next(persons);
                var (place, start, duration) = Visit(random, person, mallZipf, hubZipf);
                var at = dayStart + start;
                events.Add(new Event(person, place, at, PassageDirection.In));
                if (random.NextDouble() < OutShare)
                {
                    events.Add(new Event(person, place, at + duration, PassageDirection.Out));
                }
            }

            events.Sort(static (a, b) => a.At.CompareTo(b.At));
            var count = 0;
            foreach (var e in events)
            {
                if (e.At >= dayStart + 86_400 && day < days - 1)
                {
                    held.Add(e);
                    continue;
                }

                batch[count++] = new IndexedPassage(Key(e.Person), e.Place + 1, Start.AddSeconds(e.At), e.Direction);
                if (count == batch.Length)
                {
                    consume(batch);
                    count = 0;
                }
            }

            consume(batch.AsSpan(0, count));
        }
    }

    private (int Place, int Start, int Duration) Visit(Random random, int person, double[] mallZipf, double[] hubZipf)
    {
        var roll = random.NextDouble();
        var hasSchool = person % 100 < 15;
        var hasSite = person % 100 >= 95;
        const int hour = 3_600;
        if (roll < 0.35)
        {
            return (Offset(PlaceKind.ResidentialCompound) + (person % _compounds), Between(random, 17 * hour, 22 * hour), Between(random, 8 * hour, 14 * hour));
        }

        if (roll < 0.47 && hasSchool)
        {
            return (Offset(PlaceKind.School) + (person % _schools), Between(random, 7 * hour + 1_800, 8 * hour + 1_800), Between(random, 7 * hour, 9 * hour));
        }

        if (roll < 0.57 && roll >= 0.47 && hasSite)
        {
            return (Offset(PlaceKind.ConstructionSite) + (person % _sites), Between(random, 7 * hour, 8 * hour), Between(random, 8 * hour, 10 * hour));
        }

        if (roll >= 0.57 && roll < 0.67)
        {
            return (Offset(PlaceKind.Airport) + Pick(random, hubZipf), Between(random, 6 * hour, 23 * hour), Between(random, 1_800, 2 * hour));
        }

        if (roll >= 0.67 && roll < 0.75)
        {
            return (Offset(PlaceKind.Hospital) + random.Next(_hospitals), Between(random, 8 * hour, 17 * hour), Between(random, hour, 3 * hour));
        }

        return (Offset(PlaceKind.Mall) + Pick(random, mallZipf), Between(random, 9 * hour, 21 * hour), Between(random, 1_800, 3 * hour));
    }

    private int Offset(PlaceKind kind) => kind switch
    {
        PlaceKind.Airport => 0,
        PlaceKind.Mall => _hubs,
        PlaceKind.Hospital => _hubs + _malls,
        PlaceKind.School => _hubs + _malls + _hospitals,
        PlaceKind.ConstructionSite => _hubs + _malls + _hospitals + _schools,
        _ => _hubs + _malls + _hospitals + _schools + _sites,
    };

    private PlaceKind KindOf(int place) =>
        place < _hubs / 30 + 1 ? PlaceKind.Airport
        : place < _hubs / 3 ? PlaceKind.RailStation
        : place < _hubs ? PlaceKind.HighwayExit
        : place < Offset(PlaceKind.Hospital) ? PlaceKind.Mall
        : place < Offset(PlaceKind.School) ? PlaceKind.Hospital
        : place < Offset(PlaceKind.ConstructionSite) ? PlaceKind.School
        : place < Offset(PlaceKind.ResidentialCompound) ? PlaceKind.ConstructionSite
        : PlaceKind.ResidentialCompound;

    private static int Between(Random random, int low, int high) => low + random.Next(high - low);

    /// <summary>Cumulative Zipf weights (exponent <see cref="Skew"/>) over n ranks.</summary>
    private static double[] Zipf(int n)
    {
        var cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += Math.Pow(i + 1, -Skew);
            cumulative[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            cumulative[i] /= sum;
        }

        return cumulative;
    }

    private static int Pick(Random random, double[] cumulative)
    {
        var at = Array.BinarySearch(cumulative, random.NextDouble());
        return Math.Min(at < 0 ? ~at : at, cumulative.Length - 1);
    }

    private readonly record struct Event(int Person, int Place, int At, PassageDirection Direction);
}
