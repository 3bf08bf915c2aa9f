using Microsoft.EntityFrameworkCore;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Registry;
using Shanzhi.Storage;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Registry;

/// <summary>Health status with history: upstream batches, rule hits with evidence, manual overrides with a second approver, the explanation.</summary>
public sealed class HealthStatusTests
{
    private const string Province = "浙江省健康码";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Upstream_batch_records_its_source(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var byId = await world.RegisterAsync(1);
        var byKey = await world.RegisterAsync(2);
        await using var db = world.NewContext();

        var result = await UpstreamAsync(world, db,
            new UpstreamHealthItem(SyntheticIds.Id(1), null, HealthStatus.Yellow, "ZJ-1", At(8)),
            new UpstreamHealthItem(null, byKey, HealthStatus.Red, "ZJ-2", At(8)));

        var changes = await db.HealthStatusChanges.AsNoTracking().OrderBy(c => c.Id).ToListAsync(Ct);
        Assert.Equal([UpstreamOutcome.Applied, UpstreamOutcome.Applied], result.Items.Select(i => i.Outcome));
        Assert.Equal([(byId, HealthStatus.Yellow, Province, "ZJ-1"), (byKey, HealthStatus.Red, Province, "ZJ-2")],
            changes.Select(c => (c.PersonKey, c.To, c.SourceSystem!, c.UpstreamRef!)));
        Assert.Equal(HealthStatus.Yellow, (await db.Persons.AsNoTracking().SingleAsync(p => p.Key == byId, Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_upstream_reference_is_duplicate(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var item = new UpstreamHealthItem(SyntheticIds.Id(1), null, HealthStatus.Yellow, "ZJ-1", At(8));
        await UpstreamAsync(world, db, item);

        var again = await UpstreamAsync(world, db, item);

        Assert.Equal(UpstreamOutcome.Duplicate, Assert.Single(again.Items).Outcome);
        Assert.Equal(1, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Upstream_rows_report_unchanged_stale_and_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var result = await UpstreamAsync(world, db,
            new UpstreamHealthItem(null, key, HealthStatus.Green, "ZJ-1", At(7)),
            new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-3", At(9)),
            new UpstreamHealthItem(null, key, HealthStatus.Yellow, "ZJ-2", At(8)),
            new UpstreamHealthItem(SyntheticIds.Id(5), null, HealthStatus.Red, "ZJ-4", At(8)),
            new UpstreamHealthItem(SyntheticIds.WithBadCheckDigit(1), null, HealthStatus.Red, "ZJ-5", At(8)),
            new UpstreamHealthItem(null, key, HealthStatus.Red, "", At(8)),
            new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-6", At(9)),
            new UpstreamHealthItem(null, key + 100, HealthStatus.Red, "ZJ-7", At(9)));

        Assert.Equal(
            [
                "Applied ", "Applied ", "Applied ", "Rejected health.unknown_person", "Rejected privacy.id_number_invalid",
                "Rejected health.upstream_ref_required", "Unchanged ", "Rejected health.unknown_person_key",
            ],
            result.Items.Select(i => $"{i.Outcome} {i.Code}"));
        Assert.Equal(HealthStatus.Red, await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Upstream_identifier_in_text_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var byPhone = await world.Upstream(db).ApplyAsync(new UpstreamHealthBatch("138 0013 8000",
            [new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-1", At(8))]), world.CityOfficer, Ct);
        var byReference = await UpstreamAsync(world, db,
            new UpstreamHealthItem(null, key, HealthStatus.Red, SyntheticIds.Id(2), At(8)),
            new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-2 +86 13800138000", At(8)));

        Assert.Equal(("health.identifier_in_text", "sourceSystem"), (byPhone.Error?.Code, byPhone.Error?.Field));
        Assert.All(byReference.Items, item => Assert.Equal((UpstreamOutcome.Rejected, "health.identifier_in_text"), (item.Outcome, item.Code)));
        Assert.All(byReference.Items, item => Assert.Null(item.UpstreamRef));
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
        Assert.Null(await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Future_upstream_update_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var future = await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Yellow, "ZJ-F", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.FromHours(8))));
        var real = await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-R", At(9)));

        Assert.Equal("health.time_in_future", Assert.Single(future.Items).Code);
        Assert.Equal(UpstreamOutcome.Rejected, future.Items[0].Outcome);
        Assert.Equal(UpstreamOutcome.Applied, Assert.Single(real.Items).Outcome);
        Assert.Equal(HealthStatus.Red, await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Older_upstream_update_is_stale(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Red, "ZJ-2", At(9)));

        var late = await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Green, "ZJ-1", At(8)));

        Assert.Equal(UpstreamOutcome.Stale, Assert.Single(late.Items).Outcome);
        Assert.Equal(HealthStatus.Red, await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_hit_applies_with_evidence(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var change = (await world.Health(db).ApplyRuleAsync(key,
            new HealthRuleHit("close-contact", "与病例（人员编号 42）同时在商场停留 40 分钟", "INV-2026-001"), world.CityOfficer, Ct)).Value!;

        var history = (await world.Health(db).HistoryAsync(key, world.CityOfficer, Ct)).Value!;
        Assert.Equal(((HealthStatus?)null, HealthStatus.Red, HealthChangeSource.Rule), (change.From, change.To, change.Source));
        Assert.Equal(("close-contact", "INV-2026-001"), (Assert.Single(history).RuleId, history[0].EvidenceRef));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_rule_hit_is_recorded_once(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var hit = new HealthRuleHit("close-contact", "与病例同乘 G7501 次列车", "INV-2026-001");
        var first = (await world.Health(db).ApplyRuleAsync(key, hit, world.CityOfficer, Ct)).Value!;

        world.Cases.Clock.Advance(TimeSpan.FromMinutes(1));
        var again = await world.Health(db).ApplyRuleAsync(key, hit with { Evidence = " 与病例同乘 G7501 次列车 " }, world.CityOfficer, Ct);

        Assert.Equal(first, again.Value);
        Assert.Equal(1, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Resent_hit_ref_returns_first_result(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var hit = new HealthRuleHit("close-contact", "与病例同乘 G7501 次列车", null, "RE-7");
        var first = (await world.Health(db).ApplyRuleAsync(key, hit, world.CityOfficer, Ct)).Value!;
        await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("confirmed-case", "核酸检测阳性", null, "RE-8"), world.CityOfficer, Ct);

        // The response to the first request was lost; the client sends it again after another hit was recorded.
        var again = await world.Health(db).ApplyRuleAsync(key, hit, world.CityOfficer, Ct);

        Assert.Equal(first, again.Value);
        Assert.Equal("RE-7", again.Value?.HitRef);
        Assert.Equal(2, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Reused_hit_ref_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        var other = await world.RegisterAsync(2);
        await using var db = world.NewContext();
        var first = (await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("close-contact", "与病例同乘 G7501 次列车", null, "RE-7"), world.CityOfficer, Ct)).Value!;

        var reused = await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("close-contact", "与病例同在商场停留", null, "RE-7"), world.CityOfficer, Ct);
        var otherPerson = await world.Health(db).ApplyRuleAsync(other, new HealthRuleHit("close-contact", "与病例同在商场停留", null, "RE-7"), world.CityOfficer, Ct);

        Assert.Equal(("health.hit_ref_reused", 409), (reused.Error?.Code, reused.Error?.Status));
        Assert.Contains($"记录 {first.Id}", reused.Error?.Detail, StringComparison.Ordinal);
        Assert.NotNull(otherPerson.Value);
        Assert.Equal(2, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task New_hit_with_same_colour_is_recorded(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);
        var isolationCompleted = new HealthRuleHit("isolation-completed", "隔离期满，两次核酸阴性");
        await health.ApplyRuleAsync(key, new HealthRuleHit("close-contact", "与病例同乘 G7501 次列车"), world.CityOfficer, Ct);

        var confirmed = (await health.ApplyRuleAsync(key, new HealthRuleHit("confirmed-case", "核酸检测阳性"), world.CityOfficer, Ct)).Value!;
        await health.ApplyRuleAsync(key, isolationCompleted, world.CityOfficer, Ct);
        await health.ApplyRuleAsync(key, new HealthRuleHit("close-contact", "与病例同在商场停留"), world.CityOfficer, Ct);
        await health.ApplyRuleAsync(key, isolationCompleted, world.CityOfficer, Ct);

        var history = (await health.HistoryAsync(key, world.CityOfficer, Ct)).Value!;
        Assert.Equal((HealthStatus.Red, HealthStatus.Red), (confirmed.From, confirmed.To));
        Assert.Equal(["close-contact", "confirmed-case", "isolation-completed", "close-contact", "isolation-completed"], history.Select(c => c.RuleId));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_copies_of_hit_record_once(StoreKind kind)
    {
        const int attempts = 8;
        await using var world = await RegistryWorld.CreateAsync(kind);

        // Each attempt races two copies of one hit for a new person: with a hit reference in even attempts, without in odd ones.
        var outcomes = new List<string>();
        for (var i = 0; i < attempts; i++)
        {
            var key = await world.RegisterAsync(i + 1);
            var hit = new HealthRuleHit("close-contact", "与病例同乘 G7501 次列车", null, i % 2 == 0 ? $"RE-{i}" : null);
            using var start = new Barrier(2);
            var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                await using var db = world.NewContext();
                var health = world.Health(db);
                start.SignalAndWait(Ct);
                return await health.ApplyRuleAsync(key, hit, world.CityOfficer, Ct);
            }, Ct)));

            await using var check = world.NewContext();
            var rows = await check.HealthStatusChanges.CountAsync(c => c.PersonKey == key, Ct);
            var sameChange = results[0].Value is { } a && results[1].Value is { } b && a.Id == b.Id;
            outcomes.Add($"{rows} row(s), same change: {sameChange}, errors: {string.Join(' ', results.Select(r => r.Error?.Code))}");
        }

        Assert.Equal(Enumerable.Repeat("1 row(s), same change: True, errors:  ", attempts), outcomes);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_hit_needs_evidence_and_known_rule(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var noEvidence = await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("close-contact", " "), world.CityOfficer, Ct);
        var unknown = await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("felt-unwell", "自述"), world.CityOfficer, Ct);

        Assert.Equal(("health.evidence_required", "health.unknown_rule"), (noEvidence.Error?.Code, unknown.Error?.Code));
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_hit_evidence_with_identifiers_is_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var inEvidence = await world.Health(db).ApplyRuleAsync(key,
            new HealthRuleHit("close-contact", "与病例 " + SyntheticIds.Id(2) + " 同时在商场停留"), world.CityOfficer, Ct);
        var inReference = await world.Health(db).ApplyRuleAsync(key,
            new HealthRuleHit("close-contact", "与病例同时在商场停留", "138-0013-8000"), world.CityOfficer, Ct);

        Assert.Equal(("health.identifier_in_text", "evidence"), (inEvidence.Error?.Code, inEvidence.Error?.Field));
        Assert.Equal(("health.identifier_in_text", "evidenceRef"), (inReference.Error?.Code, inReference.Error?.Field));
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Override_reasons_with_identifiers_are_rejected(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);

        var requested = await health.RequestOverrideAsync(key, HealthStatus.Red, "同住人员电话 +86 138 0013 8000", world.CityOfficer, Ct);
        var request = (await health.RequestOverrideAsync(key, HealthStatus.Red, "误报为确诊病例同住人员", world.CityOfficer, Ct)).Value!;
        var rejected = await health.RejectOverrideAsync(request.Id, "已电话联系 13800138000 核实", world.SecondCityOfficer, Ct);

        Assert.Equal(("health.identifier_in_text", "reason"), (requested.Error?.Code, requested.Error?.Field));
        Assert.Equal(("health.identifier_in_text", "reason"), (rejected.Error?.Code, rejected.Error?.Field));
        Assert.Equal(1, await db.HealthOverrideRequests.CountAsync(Ct));
        Assert.Equal(OverrideState.Pending, (await health.GetOverrideAsync(request.Id, world.CityOfficer, Ct)).Value?.State);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Override_applies_after_second_approval(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);

        var request = (await health.RequestOverrideAsync(key, HealthStatus.Yellow, "居家健康监测期间外出", world.CityOfficer, Ct)).Value!;
        var before = await StatusAsync(world, key);
        var approved = (await health.ApproveOverrideAsync(request.Id, world.SecondCityOfficer, Ct)).Value!;

        Assert.Null(before);
        Assert.Equal((HealthChangeSource.Manual, "防控专员甲", "防控专员乙"), (approved.Source, approved.RequestedBy, approved.ApprovedBy));
        Assert.Equal(HealthStatus.Yellow, await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Requester_cannot_approve_own_override(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);
        var request = (await health.RequestOverrideAsync(key, HealthStatus.Red, "现场核实为确诊病例同住人员", world.CityOfficer, Ct)).Value!;

        var self = await health.ApproveOverrideAsync(request.Id, world.CityOfficer, Ct);

        Assert.Equal(("health.self_approval", 403), (self.Error?.Code, self.Error?.Status));
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Older_override_cannot_undo_a_newer_change(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);
        var green = (await health.RequestOverrideAsync(key, HealthStatus.Green, "核验通过", world.CityOfficer, Ct)).Value!;
        world.Cases.Clock.Advance(TimeSpan.FromMinutes(1));
        var red = (await health.RequestOverrideAsync(key, HealthStatus.Red, "核酸检测阳性", world.CityOfficer, Ct)).Value!;
        world.Cases.Clock.Advance(TimeSpan.FromMinutes(1));
        await health.ApproveOverrideAsync(red.Id, world.SecondCityOfficer, Ct);

        var stale = await health.ApproveOverrideAsync(green.Id, world.SecondCityOfficer, Ct);

        Assert.Equal(("health.override_stale", 409), (stale.Error?.Code, stale.Error?.Status));
        Assert.Equal(HealthStatus.Red, (await db.Persons.AsNoTracking().SingleAsync(p => p.Key == key, Ct)).Status);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rejected_override_changes_nothing(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);
        var request = (await health.RequestOverrideAsync(key, HealthStatus.Red, "误报为确诊病例同住人员", world.CityOfficer, Ct)).Value!;

        var noReason = await health.RejectOverrideAsync(request.Id, " ", world.SecondCityOfficer, Ct);
        var rejected = await health.RejectOverrideAsync(request.Id, "经核实不是同住人员", world.SecondCityOfficer, Ct);
        var approveAfter = await health.ApproveOverrideAsync(request.Id, world.SecondCityOfficer, Ct);

        Assert.Equal("health.reason_required", noReason.Error?.Code);
        Assert.Equal(OverrideState.Rejected, rejected.Value?.State);
        Assert.Equal("health.override_decided", approveAfter.Error?.Code);
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
        Assert.Empty((await health.PendingOverridesAsync(key, world.CityOfficer, Ct)).Value!);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Pending_list_follows_the_officer_scope(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var inGridA = await world.RegisterAsync(1);
        var inGridC = await world.RegisterAsync(2, RegistryWorld.GridC);
        long withoutGrid;
        await using (var registration = world.NewContext())
        {
            var registered = await world.Registry(registration).RegisterAsync(
                new RegisterPersonRequest("测试人员", SyntheticIds.Id(3), "13900000000", ResidencyClass.Permanent, null), world.CityOfficer, Ct);
            withoutGrid = registered.Value?.PersonKey ?? throw new InvalidOperationException($"Registration failed: {registered.Error}");
        }

        await using var db = world.NewContext();
        var health = world.Health(db);
        foreach (var key in new[] { inGridA, inGridC, withoutGrid })
        {
            Assert.True((await health.RequestOverrideAsync(key, HealthStatus.Yellow, "社区核实为密接同住人员", world.CityOfficer, Ct)).IsSuccess);
            world.Cases.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var street = await new PendingOverrides(db).ListAsync(world.StreetAOfficer, Ct);
        var city = await new PendingOverrides(db).ListAsync(world.SecondCityOfficer, Ct);

        Assert.Equal([inGridA], street.Value!.Select(r => r.PersonKey));
        Assert.Equal([inGridA, inGridC, withoutGrid], city.Value!.Select(r => r.PersonKey));
        Assert.Equal((HealthStatus.Yellow, "社区核实为密接同住人员"), (city.Value![0].To, city.Value[0].Reason));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Override_needs_reason_and_single_approval(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var health = world.Health(db);
        var noReason = await health.RequestOverrideAsync(key, HealthStatus.Yellow, "", world.CityOfficer, Ct);
        var request = (await health.RequestOverrideAsync(key, HealthStatus.Yellow, "外地协查函", world.CityOfficer, Ct)).Value!;
        await health.ApproveOverrideAsync(request.Id, world.SecondCityOfficer, Ct);

        var twice = await health.ApproveOverrideAsync(request.Id, world.StreetAOfficer, Ct);

        Assert.Equal(("health.reason_required", "health.override_decided"), (noReason.Error?.Code, twice.Error?.Code));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Explanation_quotes_rule_not_evidence(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("close-contact", "与人员编号 42 同乘 G7501 次列车"), world.CityOfficer, Ct);

        var text = (await world.Health(db).ExplainAsync(key, world.CityOfficer, Ct)).Value!.Text;

        Assert.Equal(
            "您当前为红码，自 2026年3月2日 09:00 起。原因：经流行病学调查，您被判定为确诊病例的密切接触者。（判定规则：密切接触者）"
            + "如有异议，请联系所在社区或拨打 12345 政务服务便民热线。",
            text);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Override_explanation_gives_reason(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var request = (await world.Health(db).RequestOverrideAsync(key, HealthStatus.Yellow, "外地协查函要求居家健康监测", world.CityOfficer, Ct)).Value!;
        await world.Health(db).ApproveOverrideAsync(request.Id, world.SecondCityOfficer, Ct);

        var text = (await world.Health(db).ExplainAsync(key, world.CityOfficer, Ct)).Value!.Text;

        Assert.StartsWith("您当前为黄码，自 2026年3月2日 09:00 起。原因：人工调整：外地协查函要求居家健康监测（经两名工作人员审核）。", text);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Upstream_explanation_names_system(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Yellow, "ZJ-77", At(8)));

        var text = (await world.Health(db).ExplainAsync(key, world.CityOfficer, Ct)).Value!.Text;

        Assert.StartsWith("您当前为黄码，自 2026年3月2日 08:00 起。原因：上游系统：浙江省健康码 推送的健康码状态（编号 ZJ-77）。", text);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Rule_change_drops_cached_status(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();
        var cached = await world.Lookup.StatusAsync(key, Ct);

        await world.Health(db).ApplyRuleAsync(key, new HealthRuleHit("secondary-contact", "次密接判定"), world.CityOfficer, Ct);

        Assert.Equal(new PersonStatus(null), cached);
        Assert.Equal(HealthStatus.Yellow, await StatusAsync(world, key));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Registration_starts_without_status_or_history(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var person = await db.Persons.AsNoTracking().SingleAsync(p => p.Key == key, Ct);
        var view = (await world.Registry(db).GetAsync(key, world.CityOfficer, Ct)).Value!;

        Assert.Null(person.Status);
        Assert.Equal("未赋码", view.StatusName);
        Assert.Equal(0, await db.HealthStatusChanges.CountAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Explanation_without_status_asks_for_manual_check(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var explanation = (await world.Health(db).ExplainAsync(key, world.CityOfficer, Ct)).Value!;

        Assert.Null(explanation.Status);
        Assert.StartsWith("您自 2026年3月2日 09:00 登记以来尚无健康码状态", explanation.Text);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task First_upstream_status_is_applied_from_none(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        var key = await world.RegisterAsync(1);
        await using var db = world.NewContext();

        var result = await UpstreamAsync(world, db, new UpstreamHealthItem(null, key, HealthStatus.Green, "ZJ-1", At(8)));

        Assert.Equal(UpstreamOutcome.Applied, Assert.Single(result.Items).Outcome);
        Assert.Null((await db.HealthStatusChanges.AsNoTracking().SingleAsync(Ct)).From);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Street_officer_cannot_submit_upstream_feed(StoreKind kind)
    {
        await using var world = await RegistryWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, [new UpstreamHealthItem(null, 1, HealthStatus.Red, "ZJ-1", At(8))]),
            world.StreetAOfficer, Ct);

        Assert.Equal("health.city_scope_required", result.Error?.Code);
        Assert.StartsWith("省级健康码数据覆盖全市人员", result.Error?.Detail, StringComparison.Ordinal);
    }

    private static async Task<HealthStatus?> StatusAsync(RegistryWorld world, long key) => (await world.Lookup.StatusAsync(key, Ct))?.Status;

    /// <summary>Monday 2026-03-02 at <paramref name="hour"/>:00 Asia/Shanghai (the world clock is at 09:00).</summary>
    private static DateTimeOffset At(int hour) => new(2026, 3, 2, hour, 0, 0, TimeSpan.FromHours(8));

    private static async Task<UpstreamBatchResult> UpstreamAsync(RegistryWorld world, ShanzhiDbContext db, params UpstreamHealthItem[] items)
    {
        var result = await world.Upstream(db).ApplyAsync(new UpstreamHealthBatch(Province, items), world.CityOfficer, Ct);
        return result.Value ?? throw new InvalidOperationException(result.Error?.Detail);
    }
}
