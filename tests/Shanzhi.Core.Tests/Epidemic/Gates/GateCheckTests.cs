using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Privacy;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Gates;

/// <summary>Gate checks on a real store: decisions, channels, passages without ID numbers, resends and unidentified-person cases.</summary>
public sealed class GateCheckTests
{
    private static readonly DateTimeOffset Morning = new DateTimeOffset(2026, 3, 2, 8, 30, 0, CaseWorld.Shanghai).ToUniversalTime();

    private static readonly string StreetBGrid = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetB, CaseWorld.StreetB + "001001");

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Decision_follows_the_health_status(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        await world.PersonAsync(GateCheckParserTests.Id("33020319900101123"), HealthStatus.Green);
        await world.PersonAsync(GateCheckParserTests.Id("33020219850615432"), HealthStatus.Yellow);
        await world.PersonAsync(GateCheckParserTests.Id("33028219950320111"), HealthStatus.Red);

        var green = await world.MustCheckAsync(mall, ById(1, GateCheckParserTests.Id("33020319900101123")));
        var yellow = await world.MustCheckAsync(mall, ById(2, GateCheckParserTests.Id("33020219850615432")));
        var red = await world.MustCheckAsync(mall, ById(3, GateCheckParserTests.Id("33028219950320111")));

        Assert.Equal(
            [GateDecision.Pass, GateDecision.ManualCheck, GateDecision.Deny],
            [green.Decision, yellow.Decision, red.Decision]);
        Assert.Equal("黄码，请工作人员人工核验（查验核酸检测证明等）后处置。", yellow.Reason);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Passage_stores_the_person_key_and_never_the_id_number(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var id = GateCheckParserTests.Id();
        var key = await world.PersonAsync(id, HealthStatus.Green);

        await world.MustCheckAsync(mall, ById(1, id));

        await using var db = world.Cases.NewContext();
        var passage = await db.Passages.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal((key, HealthStatus.Green, GateDecision.Pass), (passage.PersonKey, passage.StatusAtPassage, passage.Decision));
        Assert.DoesNotContain(id, await RawPassagesAsync(db), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Unregistered_id_number_and_unknown_person_key_need_a_manual_check(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);

        var byId = await world.MustCheckAsync(mall, ById(1, GateCheckParserTests.Id()));
        var byKey = await world.MustCheckAsync(mall, new GateCheckInput(2, Morning, PassageDirection.In, IdentityKind.PersonKey, PersonKey: 999_999));

        Assert.Equal((GateDecision.ManualCheck, "unregistered"), (byId.Decision, byId.ReasonCode));
        Assert.Equal((GateDecision.ManualCheck, "unregistered"), (byKey.Decision, byKey.ReasonCode));
        Assert.All(world.Ingest.Submitted, p => Assert.Null(p.PersonKey));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Hub_routes_residents_and_visitors_to_their_channels(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (station, _) = await world.DeviceAtAsync(PlaceKind.RailStation, CaseWorld.InStreetC);
        var resident = await world.PersonAsync(GateCheckParserTests.Id("33020319900101123"), HealthStatus.Green, ResidencyClass.RegisteredTemporary);
        var visitor = await world.PersonAsync(GateCheckParserTests.Id("33020219850615432"), HealthStatus.Green, ResidencyClass.Visitor);

        var returning = await world.MustCheckAsync(station, ByKey(1, resident));
        var arriving = await world.MustCheckAsync(station, ByKey(2, visitor));
        var unknown = await world.MustCheckAsync(station, new GateCheckInput(3, Morning, PassageDirection.In, IdentityKind.NoMatch));
        var leaving = await world.MustCheckAsync(station, ByKey(4, resident) with { Direction = PassageDirection.Out });

        Assert.Equal(
            [HubChannel.ResidentReturn, HubChannel.VisitorArrival, HubChannel.VisitorArrival, HubChannel.None],
            [returning.Channel, arriving.Channel, unknown.Channel, leaving.Channel]);
        Assert.Equal("外出返甬通道", returning.ChannelName);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_check_gets_the_first_answer_after_a_status_change(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var key = await world.PersonAsync(GateCheckParserTests.Id(), HealthStatus.Green);
        var first = await world.MustCheckAsync(mall, ByKey(5, key));
        await using (var db = world.Cases.NewContext())
        {
            await db.Persons.Where(p => p.Key == key).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, HealthStatus.Red), TestContext.Current.CancellationToken);
        }

        var resent = await world.MustCheckAsync(mall, ByKey(5, key));

        Assert.Equal(first with { Replayed = true }, resent);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task No_match_opens_one_case_in_the_place_grid_even_when_resent(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        var check = new GateCheckInput(9, Morning, PassageDirection.In, IdentityKind.NoMatch);

        var first = await world.MustCheckAsync(school, check);
        var resent = await world.MustCheckAsync(school, check);

        var @case = Assert.Single(await AllCasesAsync(world));
        Assert.Equal((GateDecision.ManualCheck, "no_match"), (first.Decision, first.ReasonCode));
        Assert.Equal(first with { Replayed = true }, resent);
        Assert.Equal((UnidentifiedCaseSeeder.CategoryCode, StreetBGrid, CaseState.Dispatched), (@case.CategoryCode, @case.RegionPath, @case.State));
        Assert.Equal(CaseChannel.System, @case.Channel);
        Assert.Contains("网格员", @case.Description, StringComparison.Ordinal);
        Assert.Contains("社区工作者", @case.Description, StringComparison.Ordinal);
        Assert.Contains("派出所民警", @case.Description, StringComparison.Ordinal);
        Assert.Equal(await StreetOfficeAsync(world, CaseWorld.StreetB), @case.UnitId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registered_outcome_closes_the_case(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var caseId = await UnidentifiedCaseAsync(world);
        var key = await world.PersonAsync(GateCheckParserTests.Id(), HealthStatus.Green);

        var view = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(FollowUpOutcome.Registered, key, null));

        Assert.Equal((FollowUpOutcome.Registered, key, CaseState.Closed), (view.Value?.Outcome, view.Value?.PersonKey, view.Value?.CaseState));
        Assert.Equal(CaseState.Closed, (await world.Cases.GetAsync(caseId)).State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cleared_outcome_closes_the_case_with_its_reason(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var caseId = await UnidentifiedCaseAsync(world);

        var view = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(FollowUpOutcome.Cleared, null, "经核实为外地送货司机，已离甬"));
        var again = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(FollowUpOutcome.Cleared, null, "重复"));

        Assert.Equal(CaseState.Closed, view.Value?.CaseState);
        Assert.Contains(await world.Cases.EventsAsync(caseId), e => e.Reason == "经核实排除：经核实为外地送货司机，已离甬");
        Assert.Equal("unidentified.already_resolved", again.Error?.Code);
    }

    [Theory]
    [InlineData(FollowUpOutcome.Registered, null, null, "unidentified.person_unknown")]
    [InlineData(FollowUpOutcome.Cleared, null, "  ", "unidentified.reason_required")]
    [InlineData(null, null, "理由", "unidentified.outcome_required")]
    [InlineData(FollowUpOutcome.Registered, 1L, "理由", "unidentified.field_unexpected")]
    [InlineData(FollowUpOutcome.Cleared, 1L, "经核实为外地送货司机", "unidentified.field_unexpected")]
    public async Task Resolve_needs_the_outcome_inputs(FollowUpOutcome? outcome, long? personKey, string? reason, string code)
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var caseId = await UnidentifiedCaseAsync(world);

        var result = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(outcome, personKey, reason));

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal(CaseState.Dispatched, (await world.Cases.GetAsync(caseId)).State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Cleared_reason_with_identifiers_is_rejected(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var caseId = await UnidentifiedCaseAsync(world);
        string[] reasons = ["经核实为张三，身份证 " + GateCheckParserTests.Id(), "联系电话 138 0013 8000，已离甬", "手机 +86-13800138000"];

        foreach (var reason in reasons)
        {
            var result = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(FollowUpOutcome.Cleared, null, reason));

            Assert.Equal("unidentified.identifier_in_text", result.Error?.Code);
            Assert.Equal("reason", result.Error?.Field);
        }

        Assert.Equal(CaseState.Dispatched, (await world.Cases.GetAsync(caseId)).State);
        Assert.DoesNotContain(await world.Cases.EventsAsync(caseId), e => e.Reason?.Contains("经核实排除", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Resolve_outside_the_scope_is_not_found()
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var caseId = await UnidentifiedCaseAsync(world);
        var streetAWorker = world.Cases.GridWorker;

        var result = await ResolveAsync(world, caseId, new ResolveUnidentifiedRequest(FollowUpOutcome.Cleared, null, "误报"), streetAWorker);

        Assert.Equal("unidentified.not_found", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Core_check_rejects_invalid_input(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var now = world.Cases.Clock.GetUtcNow();
        var cutoff = now - TimeSpan.FromDays(RetentionOptions.MovementDays);

        var tooOld = await world.CheckAsync(mall, new GateCheckInput(1, cutoff.AddTicks(-1), PassageDirection.In, IdentityKind.NoMatch));
        var future = await world.CheckAsync(mall, new GateCheckInput(2, now + PassageTimeWindow.ClockTolerance + TimeSpan.FromSeconds(1), PassageDirection.In, IdentityKind.NoMatch));
        var negative = await world.CheckAsync(mall, new GateCheckInput(-1, Morning, PassageDirection.In, IdentityKind.NoMatch));
        var noIdNumber = await world.CheckAsync(mall, new GateCheckInput(4, Morning, PassageDirection.In, IdentityKind.IdNumber));
        var noPersonKey = await world.CheckAsync(mall, new GateCheckInput(5, Morning, PassageDirection.In, IdentityKind.PersonKey));
        var zeroPersonKey = await world.CheckAsync(mall, new GateCheckInput(6, Morning, PassageDirection.In, IdentityKind.PersonKey, PersonKey: 0));
        var unknownKind = await world.CheckAsync(mall, new GateCheckInput(7, Morning, PassageDirection.In, (IdentityKind)9));

        Assert.Equal(
            "gate.occurred_at_too_old gate.occurred_at_in_future gate.sequence_invalid gate.invalid_id_number gate.person_key_required " +
            "gate.person_key_invalid gate.identity_kind_invalid",
            string.Join(' ', tooOld.Error?.Code, future.Error?.Code, negative.Error?.Code, noIdNumber.Error?.Code, noPersonKey.Error?.Code,
                zeroPersonKey.Error?.Code, unknownKind.Error?.Code));
        Assert.Equal(422, tooOld.Error?.Status);
        Assert.Contains("28 天", tooOld.Error?.Detail, StringComparison.Ordinal);
        await using var db = world.Cases.NewContext();
        Assert.Equal(0, await db.Passages.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.UnidentifiedFollowUps.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Core_check_accepts_window_edges(StoreKind kind)
    {
        await using var world = await GateWorld.CreateAsync(kind);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        var now = world.Cases.Clock.GetUtcNow();

        var oldest = await world.CheckAsync(mall, new GateCheckInput(1, now - TimeSpan.FromDays(RetentionOptions.MovementDays), PassageDirection.In, IdentityKind.NoMatch));
        var latest = await world.CheckAsync(mall, new GateCheckInput(2, now + PassageTimeWindow.ClockTolerance, PassageDirection.In, IdentityKind.NoMatch));
        var first = await world.CheckAsync(mall, new GateCheckInput(0, Morning, PassageDirection.In, IdentityKind.NoMatch));

        Assert.Equal((null, null, null), (oldest.Error?.Code, latest.Error?.Code, first.Error?.Code));
        await using var db = world.Cases.NewContext();
        Assert.Equal([0L, 1L, 2L], await db.Passages.OrderBy(p => p.DeviceSequence).Select(p => p.DeviceSequence).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Old_check_kept_without_movement_policy()
    {
        await using var world = await GateWorld.CreateAsync(StoreKind.Sqlite);
        var (mall, _) = await world.DeviceAtAsync(PlaceKind.Mall, CaseWorld.InStreetA);
        world.Retention.Policies.Remove(RetentionClasses.Movement);

        var answer = await world.CheckAsync(mall, new GateCheckInput(1, Morning.AddYears(-1), PassageDirection.In, IdentityKind.NoMatch));

        Assert.Null(answer.Error);
    }

    internal static GateCheckInput ById(long sequence, string idNumber) => new(sequence, Morning, PassageDirection.In, IdentityKind.IdNumber, IdNumber: idNumber);

    internal static GateCheckInput ByKey(long sequence, long key, DateTimeOffset? at = null) =>
        new(sequence, at ?? Morning, PassageDirection.In, IdentityKind.PersonKey, PersonKey: key);

    private static async Task<Guid> UnidentifiedCaseAsync(GateWorld world)
    {
        var (school, _) = await world.DeviceAtAsync(PlaceKind.School, CaseWorld.InStreetB);
        await world.MustCheckAsync(school, new GateCheckInput(1, Morning, PassageDirection.In, IdentityKind.NoMatch));
        return Assert.Single(await AllCasesAsync(world)).Id;
    }

    private static async Task<Result<FollowUpView>> ResolveAsync(GateWorld world, Guid caseId, ResolveUnidentifiedRequest request, Shanzhi.Identity.StaffPrincipal? user = null)
    {
        await using var db = world.Cases.NewContext();
        return await world.Resolver(db).ResolveAsync(caseId, request, user ?? world.Officer, TestContext.Current.CancellationToken);
    }

    private static async Task<Guid> StreetOfficeAsync(GateWorld world, string streetCode)
    {
        await using var db = world.Cases.NewContext();
        return await db.Units.Where(u => u.RegionCode == streetCode && u.Kind == UnitKind.Street).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<List<Case>> AllCasesAsync(GateWorld world)
    {
        await using var db = world.Cases.NewContext();
        return await db.Cases.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Every stored passage column as text, to show what the table holds.</summary>
    private static async Task<string> RawPassagesAsync(Shanzhi.Storage.ShanzhiDbContext db)
    {
        var rows = await db.Passages.AsNoTracking().ToListAsync(TestContext.Current.CancellationToken);
        return string.Join("\n", rows.Select(p => string.Join(",", typeof(Passage).GetProperties().Select(x => Convert.ToString(x.GetValue(p), System.Globalization.CultureInfo.InvariantCulture)))));
    }
}
