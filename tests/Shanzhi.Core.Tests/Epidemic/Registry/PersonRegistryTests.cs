using System.Text;
using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>The population registry on a real store: validation, encryption at rest, blind-index duplicates, masking, audited reveal, scope, lookup.</summary>
public sealed class PersonRegistryTests
{
    private const string Name = "柏雨桐";
    private const string Phone = "13957400001";

    static PersonRegistryTests() => LogSink.RegisterName(Name);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Identity_is_encrypted_at_rest(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var view = await MustRegisterAsync(world, db, Request());

        var stored = await db.Persons.AsNoTracking().SingleAsync(p => p.Key == view.PersonKey, Ct);

        var raw = Encoding.UTF8.GetString([.. stored.NameCipher, .. stored.IdNumberCipher, .. stored.PhoneCipher!]);
        Assert.DoesNotContain(Name, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticIds.Id(1), raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Phone, raw, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registration_returns_the_person_masked(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var view = await MustRegisterAsync(world, db, Request());

        Assert.Equal(("柏**", "9901**********" + SyntheticIds.Id(1)[^4..], "139****0001"), (view.Name, view.IdNumber, view.Phone));
    }

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task Invalid_registration_is_rejected_with_its_code(string caseName, RegisterPersonRequest request, string code)
    {
        await using var world = await RegistryWorld.CreateAsync(StoreKind.Sqlite);
        await using var db = world.NewContext();

        var result = await world.Registry(db).RegisterAsync(request, world.CityOfficer, Ct);

        Assert.True(code == result.Error?.Code, $"{caseName}: expected {code}, got {result.Error?.Code}");
    }

    public static TheoryData<string, RegisterPersonRequest, string> InvalidRequests => new()
    {
        { "bad check digit", Request() with { IdNumber = SyntheticIds.WithBadCheckDigit(1) }, "privacy.id_number_invalid" },
        { "impossible birth date", Request() with { IdNumber = BadBirthDate() }, "privacy.id_number_invalid" },
        { "landline phone", Request() with { Phone = "057487654321" }, "privacy.mobile_invalid" },
        { "no residency", Request() with { Residency = null }, "person.residency_required" },
        { "no name", Request() with { Name = "  " }, "person.name_required" },
        { "no ID number", Request() with { IdNumber = " " }, "person.id_number_required" },
        { "street instead of grid", Request() with { HomeGridCode = Shanzhi.Tests.Cases.CaseWorld.StreetA }, "person.unknown_grid" },
    };

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Birth_after_Beijing_today_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var bornTomorrow = Request() with { IdNumber = SyntheticIds.BornOn(new DateOnly(2026, 3, 3)) };

        var early = await world.Registry(db).RegisterAsync(bornTomorrow, world.CityOfficer, Ct);
        world.Cases.Clock.Advance(TimeSpan.FromHours(15)); // 2026-03-03 00:00 in Beijing, still 2026-03-02 in UTC
        var atMidnight = await world.Registry(db).RegisterAsync(bornTomorrow, world.CityOfficer, Ct);

        Assert.Equal(("privacy.id_number_invalid", "idNumber"), (early.Error?.Code, early.Error?.Field));
        Assert.True(atMidnight.IsSuccess, $"registration at Beijing midnight failed: {atMidnight.Error?.Code}");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Duplicate_id_number_names_existing_key(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var first = await MustRegisterAsync(world, db, Request());

        // Surrounding spaces normalise away, so the blind index is the same.
        var again = await world.Registry(db).RegisterAsync(Request() with { Name = "另一人", IdNumber = " " + SyntheticIds.Id(1) + " " }, world.CityOfficer, Ct);

        Assert.Equal(("person.duplicate", 409), (again.Error?.Code, again.Error?.Status));
        Assert.Contains(first.PersonKey.ToString(System.Globalization.CultureInfo.InvariantCulture), again.Error!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(SyntheticIds.Id(1), again.Error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task List_finds_person_by_id_number(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var expected = await MustRegisterAsync(world, db, Request());
        await world.RegisterAsync(2);

        var found = (await world.Registry(db).ListAsync(new PersonQuery(IdNumber: SyntheticIds.Id(1).ToLowerInvariant()), world.CityOfficer, Ct)).Value!;

        Assert.Equal([expected.PersonKey], found.Items.Select(p => p.PersonKey));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Street_officer_lists_own_grids_only(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var inA = await world.RegisterAsync(1, RegistryWorld.GridA);
        await world.RegisterAsync(2, RegistryWorld.GridC);
        await MustRegisterAsync(world, db, Request() with { IdNumber = SyntheticIds.Id(3), HomeGridCode = null });

        var street = (await world.Registry(db).ListAsync(new PersonQuery(), world.StreetAOfficer, Ct)).Value!;
        var city = (await world.Registry(db).ListAsync(new PersonQuery(), world.CityOfficer, Ct)).Value!;

        Assert.Equal([inA], street.Items.Select(p => p.PersonKey));
        Assert.Equal(3, city.Total);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Gridless_person_needs_city_scope(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var registered = await world.Registry(db).RegisterAsync(Request() with { HomeGridCode = null }, world.StreetAOfficer, Ct);

        Assert.Equal("person.out_of_scope", registered.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_with_reason_is_audited(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var view = await MustRegisterAsync(world, db, Request());

        var clear = (await world.Registry(db).RevealAsync(view.PersonKey, "核实密接人员身份", world.CityOfficer, Ct)).Value!;

        var entry = await db.AuditRecords.SingleAsync(r => r.Action == AuditAction.Revealed, Ct);
        Assert.Equal((Name, SyntheticIds.Id(1), Phone), (clear.Name, clear.IdNumber, clear.Phone));
        Assert.Equal(("核实密接人员身份", view.PersonKey.ToString(System.Globalization.CultureInfo.InvariantCulture)), (entry.Purpose, entry.SubjectId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_reveals_are_audited(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var inC = await world.RegisterAsync(1, RegistryWorld.GridC);

        var noReason = await world.Registry(db).RevealAsync(inC, " ", world.CityOfficer, Ct);
        var outOfScope = await world.Registry(db).RevealAsync(inC, "核实身份", world.StreetAOfficer, Ct);
        var otherRole = await world.Registry(db).RevealAsync(inC, "核实身份", world.Cases.Admin, Ct);

        var refusals = await db.AuditRecords.CountAsync(r => r.Action == AuditAction.RevealRefused, Ct);
        Assert.Equal(("person.reason_required", "person.not_found", "person.forbidden"),
            (noReason.Error?.Code, outOfScope.Error?.Code, otherRole.Error?.Code));
        Assert.Equal(3, refusals);
        Assert.False(await db.AuditRecords.AnyAsync(r => r.Action == AuditAction.Revealed, Ct), "a refused reveal was recorded as a reveal");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reveal_reason_with_identifiers_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var inC = await world.RegisterAsync(1, RegistryWorld.GridC);
        await using var db = world.NewContext();

        var inScope = await world.Registry(db).RevealAsync(inC, "核实 138 0013 8000 的机主", world.CityOfficer, Ct);
        var outOfScope = await world.Registry(db).RevealAsync(inC, "核实 " + SyntheticIds.Id(1), world.StreetAOfficer, Ct);

        var purposes = await db.AuditRecords.Where(r => r.Action == AuditAction.RevealRefused).Select(r => r.Purpose).ToListAsync(Ct);
        Assert.Equal(("person.identifier_in_text", "reason"), (inScope.Error?.Code, inScope.Error?.Field));
        Assert.Equal("person.not_found", outOfScope.Error?.Code);
        Assert.Equal([null, null], purposes);
        Assert.False(await db.AuditRecords.AnyAsync(r => r.Action == AuditAction.Revealed, Ct), "a rejected reveal was recorded as a reveal");
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Out_of_scope_person_looks_missing(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var inC = await world.RegisterAsync(1, RegistryWorld.GridC);

        var outOfScope = await world.Registry(db).GetAsync(inC, world.StreetAOfficer, Ct);
        var missing = await world.Registry(db).GetAsync(inC + 1000, world.StreetAOfficer, Ct);

        Assert.Equal("person.not_found", outOfScope.Error?.Code);
        Assert.Equal(missing.Error, outOfScope.Error);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Detail_view_is_audited(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var key = await world.RegisterAsync(1);

        var view = await world.Registry(db).GetAsync(key, world.StreetAOfficer, Ct);

        var entry = await db.AuditRecords.SingleAsync(r => r.Action == AuditAction.RecordViewed, Ct);
        Assert.True(view.IsSuccess, view.Error?.Detail);
        Assert.Equal((PersonRegistry.SubjectType, world.StreetAOfficer.UserId), (entry.SubjectType, entry.ActorId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Lookup_resolves_registered_numbers_only(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);

        var found = await world.Lookup.FindByIdNumberAsync(SyntheticIds.Id(1), Ct);
        var unknown = await world.Lookup.FindByIdNumberAsync(SyntheticIds.Id(2), Ct);
        var invalid = await world.Lookup.FindByIdNumberAsync(SyntheticIds.WithBadCheckDigit(1), Ct);

        Assert.Equal((key, (long?)null, (long?)null), (found, unknown, invalid));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Lookup_finds_person_registered_after_miss(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var before = await world.Lookup.FindByIdNumberAsync(SyntheticIds.Id(1), Ct);
        var key = await world.RegisterAsync(1);

        var after = await world.Lookup.FindByIdNumberAsync(SyntheticIds.Id(1), Ct);

        Assert.Equal(((long?)null, (long?)key), (before, after));
    }

    internal static RegisterPersonRequest Request() =>
        new(Name, SyntheticIds.Id(1), Phone, ResidencyClass.RegisteredTemporary, RegistryWorld.GridA);

    private static string BadBirthDate()
    {
        var first17 = SyntheticIds.Region + "19900230" + "001";
        return first17 + ChineseIdNumber.CheckCharacter(first17);
    }

    private static async Task<PersonView> MustRegisterAsync(RegistryWorld world, ShanzhiDbContext db, RegisterPersonRequest request)
    {
        var result = await world.Registry(db).RegisterAsync(request, world.CityOfficer, Ct);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value!;
    }
}
