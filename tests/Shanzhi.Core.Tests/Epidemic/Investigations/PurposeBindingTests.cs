using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Epidemic.Tracing;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Epidemic.Passages;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Investigations;

/// <summary>Tracing and trajectories only inside an open investigation within the officer's scope; every query and rejection audited.</summary>
public sealed class PurposeBindingTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_without_investigation_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).TraceAsync(Guid.NewGuid(), world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.not_found", result.Error?.Code);
        Assert.Empty(world.Tracer.Requests);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_trace_without_investigation_is_audited(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var id = Guid.NewGuid();

        await world.Service(db).TraceAsync(id, world.Officer, TestContext.Current.CancellationToken);

        var entry = Assert.Single(await world.QueryAuditAsync());
        Assert.Equal((id.ToString(), "kind=trace; outcome=refused; reason=no such investigation"), (entry.SubjectId, entry.Detail));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_of_closed_investigation_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();
        var service = world.Service(db);
        await service.CloseAsync(opened.Id, "密接均已落实管控", world.Officer, TestContext.Current.CancellationToken);

        var result = await service.TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.closed", result.Error?.Code);
        Assert.Empty(world.Tracer.Requests);
        Assert.Equal("kind=trace; outcome=refused; reason=closed", Assert.Single(await world.QueryAuditAsync()).Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_outside_officer_scope_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync(CaseWorld.Yinzhou);
        await using var db = world.NewContext();

        var result = await world.Service(db).TraceAsync(opened.Id, world.HaishuOfficer, TestContext.Current.CancellationToken);
        var missing = await world.Service(db).TraceAsync(Guid.NewGuid(), world.HaishuOfficer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.not_found", result.Error?.Code);
        Assert.Equal(missing.Error, result.Error);
        Assert.Empty(world.Tracer.Requests);
        var details = (await world.QueryAuditAsync()).Select(e => (e.ActorId, e.Detail)).ToList();
        Assert.Equal([(world.HaishuOfficer.UserId, "kind=trace; outcome=refused; reason=out of scope"),
            (world.HaishuOfficer.UserId, "kind=trace; outcome=refused; reason=no such investigation")], details);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trajectory_of_closed_investigation_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();
        var service = world.Service(db);
        await service.CloseAsync(opened.Id, "调查完毕", world.Officer, TestContext.Current.CancellationToken);

        var result = await service.TrajectoryAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.closed", result.Error?.Code);
        Assert.Equal("kind=trajectory; outcome=refused; reason=closed", Assert.Single(await world.QueryAuditAsync()).Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_uses_investigation_person_anchor_rules(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();

        await world.Service(db).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        var request = Assert.Single(world.Tracer.Requests);
        Assert.Equal((world.IndexKey, ShanghaiTime.StartOfDay(InvestigationWorld.Anchor), RuleSets.China9.Id, RuleSets.China9.Version, true),
            (request.IndexPersonKey, request.Anchor, request.Rules.Id, request.Rules.Version, request.Rules.SecondDegree));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_is_audited_with_counts_only(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();

        var trace = (await world.Service(db).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        var entry = Assert.Single(await world.QueryAuditAsync());
        Assert.Equal($"kind=trace; outcome=ok; snapshot={trace.TraceId:N}; edges=4; close=3; secondary=1; dropped_outside_scope=0", entry.Detail);
        Assert.Equal($"流调 {opened.Number}（pdcl-12）", entry.Purpose);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_drops_edges_outside_region(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync(CaseWorld.Haishu);
        await using var db = world.NewContext();

        var trace = (await world.Service(db).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([world.C1, world.C2, world.S1], trace.Edges.Select(e => e.To).Order());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_audit_counts_dropped_edges(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync(CaseWorld.Haishu);
        await using var db = world.NewContext();

        var trace = (await world.Service(db).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        var entry = Assert.Single(await world.QueryAuditAsync());
        Assert.Equal($"kind=trace; outcome=ok; snapshot={trace.TraceId:N}; edges=3; close=2; secondary=1; dropped_outside_scope=1", entry.Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Scope_date_outside_range_names_the_range(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var request = world.Request() with { AnchorDate = new DateOnly(1999, 12, 25), ScopeFrom = new DateOnly(1999, 12, 20), ScopeTo = new DateOnly(1999, 12, 31) };

        var result = await world.Service(db).OpenAsync(request, world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal(("request.date_out_of_range", "scopeFrom"), (result.Error?.Code, result.Error?.Field));
        Assert.Contains("2000-01-01 至 2099-12-31", result.Error?.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await db.Investigations.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_snapshot_keeps_edge_evidence(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();
        await world.Service(db).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        var latest = (await world.Service(db).LatestTraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        var edge = latest.Edges.Single(e => e.To == world.C1);
        Assert.Equal(("南门菜场", 30, "2022"), (edge.PlaceName, edge.OverlapMinutes, edge.RuleSetVersion));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trace_without_tracer_is_unavailable(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();

        var result = await world.Service(db, withTracer: false).TraceAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal(("trace.unavailable", 503), (result.Error?.Code, result.Error?.Status));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trajectory_lists_scoped_passages_audited(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync(CaseWorld.Haishu);
        await using var db = world.NewContext();

        var stops = (await world.Service(db).TrajectoryAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal(["南门菜场 进入", "南门菜场 离开"], stops.Select(s => $"{s.PlaceName} {s.DirectionName}"));
        Assert.Equal("kind=trajectory; outcome=ok; passages=2; places=1", Assert.Single(await world.QueryAuditAsync()).Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Trajectory_keeps_window_edges_from_writer(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync(CaseWorld.Haishu);
        var (start, end) = (new DateTimeOffset(2026, 2, 20, 0, 0, 0, CaseWorld.Shanghai), new DateTimeOffset(2026, 3, 3, 0, 0, 0, CaseWorld.Shanghai));
        PassageRecord[] edges =
        [
            new(7, 1, 1, world.PlaceA, world.IndexKey, start, PassageDirection.In, GateDecision.Pass, HubChannel.None, null),
            new(7, 2, 1, world.PlaceA, world.IndexKey, end.AddSeconds(-1), PassageDirection.Out, GateDecision.Pass, HubChannel.None, null),
            new(7, 3, 1, world.PlaceA, world.IndexKey, start.AddSeconds(-1), PassageDirection.Out, GateDecision.Pass, HubChannel.None, null),
            new(7, 4, 1, world.PlaceA, world.IndexKey, end, PassageDirection.In, GateDecision.Pass, HubChannel.None, null),
        ];
        await using (var writer = PassageWorld.Writer(world.Cases.Store, world.Cases.Clock))
        {
            Assert.True((await writer.SubmitAsync(edges, TestContext.Current.CancellationToken)).IsSuccess);
        }

        await using var db = world.NewContext();
        var stops = (await world.Service(db).TrajectoryAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken)).Value!;

        // Between the edges: the world's two passages at 南门菜场 on 28 February, 10:00 and 10:40.
        var seeded = new DateTimeOffset(2026, 2, 28, 10, 0, 0, CaseWorld.Shanghai);
        Assert.Equal([start, seeded, seeded.AddMinutes(40), end.AddSeconds(-1)], stops.Select(s => s.OccurredAt));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Open_outside_officer_scope_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request(CaseWorld.Yinzhou), world.HaishuOfficer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.region_outside_scope", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Other_legal_basis_needs_a_note(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request() with { LegalBasis = LegalBases.Other }, world.Officer,
            TestContext.Current.CancellationToken);

        Assert.Equal("investigation.note_required", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Open_without_epidemic_role_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request(), world.Cases.Operator, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.forbidden", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task List_shows_only_scoped_investigations(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var haishu = await world.OpenAsync(CaseWorld.Haishu);
        await world.OpenAsync(CaseWorld.Yinzhou);
        await using var db = world.NewContext();

        var listed = (await world.Service(db).ListAsync(world.HaishuOfficer, null, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal([haishu.Id], listed.Select(i => i.Id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Retired_version_traces_by_its_rules(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();
        var ct = TestContext.Current.CancellationToken;
        await db.Investigations.Where(i => i.Id == opened.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.RuleSetVersion, "cn9-2022.1"), ct);

        var result = await world.Service(db).TraceAsync(opened.Id, world.Officer, ct);

        Assert.Null(result.Error);
        var request = Assert.Single(world.Tracer.Requests);
        Assert.Equal("cn9-2022.1", request.Rules.Version);
        Assert.True(request.Rules.SecondDegree);
        Assert.Null(request.Rules.SecondDegreePlaceKinds);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Removed_rule_set_rejects_trace(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();
        var ct = TestContext.Current.CancellationToken;
        await db.Investigations.Where(i => i.Id == opened.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RuleSetId, "school-outbreak").SetProperty(i => i.RuleSetVersion, "custom-school-outbreak-1"), ct);

        var result = await world.Service(db).TraceAsync(opened.Id, world.Officer, ct);

        Assert.Equal("investigation.rule_set_retired", result.Error?.Code);
        Assert.Empty(world.Tracer.Requests);
        Assert.Equal("kind=trace; outcome=refused; reason=rule set retired", Assert.Single(await world.QueryAuditAsync()).Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Open_with_retired_version_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request() with { RuleSetVersion = "cn9-2022.1" }, world.Officer,
            TestContext.Current.CancellationToken);

        Assert.Equal("investigation.unknown_rule_set_version", result.Error?.Code);
        Assert.Equal("ruleSetVersion", result.Error?.Field);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_set_id_is_stored_as_offered(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request() with { RuleSetId = "CHINA-9" }, world.Officer,
            TestContext.Current.CancellationToken);

        Assert.Equal("china-9", result.Value?.RuleSetId);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Future_confirmation_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        var tomorrow = world.Cases.Clock.GetUtcNow().AddDays(1);

        var result = await world.Service(db).OpenAsync(world.Request() with { ConfirmedAt = tomorrow }, world.Officer,
            TestContext.Current.CancellationToken);

        Assert.Equal("investigation.confirmed_in_future", result.Error?.Code);
        Assert.Equal("confirmedAt", result.Error?.Field);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Purpose_with_mobile_number_is_rejected(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Service(db).OpenAsync(world.Request() with { Purpose = "追踪密接，联系人 13812345678" }, world.Officer,
            TestContext.Current.CancellationToken);

        Assert.Equal("investigation.identifier_in_text", result.Error?.Code);
        Assert.Equal("purpose", result.Error?.Field);
        Assert.Equal(0, await db.Investigations.CountAsync(TestContext.Current.CancellationToken));
    }
}
