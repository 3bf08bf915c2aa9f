using Microsoft.EntityFrameworkCore;
using Shanzhi.Cases;
using Shanzhi.Epidemic.Investigations;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Epidemic.Investigations;

/// <summary>
/// Follow-up cases from a trace snapshot: one per grid, by home grid or place grid, idempotent,
/// person keys only, and contacts a re-trace adds go to the grid's case.
/// </summary>
public sealed class FollowUpTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Follow_ups_open_one_case_per_grid(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var (_, followUps) = await TraceAndFollowUpAsync(world);

        Assert.Equal([(world.GridA, 1, 1), (world.GridB, 1, 0), (world.GridC, 1, 0)],
            followUps.FollowUps.Select(f => (f.GridCode, f.CloseContacts, f.SecondaryContacts)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Contact_without_home_goes_to_place_grid(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var (_, followUps) = await TraceAndFollowUpAsync(world);

        var @case = await CaseOfAsync(world, followUps, world.GridC);

        Assert.Equal((world.GridC, FollowUpCatalogSeeder.CloseContactCategory), (@case.RegionCode, @case.CategoryCode));
        Assert.Equal(CaseChannel.System, @case.Channel);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Follow_ups_are_idempotent_per_grid(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var first = await TraceAndFollowUpAsync(world);
        await using var db = world.NewContext();

        var again = (await world.Service(db).CreateFollowUpsAsync(first.InvestigationId, world.Officer, TestContext.Current.CancellationToken)).Value!;

        Assert.Equal((0, 0, 3), (again.Created, again.Updated, again.Existing));
        Assert.Equal(3, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Description_lists_person_keys_and_counts(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var (_, followUps) = await TraceAndFollowUpAsync(world);

        var @case = await CaseOfAsync(world, followUps, world.GridA);

        Assert.Contains($"本网格密接 1 人：P{world.C1}；次密接 1 人：P{world.S1}。", @case.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Retrace_adds_new_contact_to_open_case(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var first = await TraceAndFollowUpAsync(world);
        var caseId = first.Result.FollowUps.Single(f => f.GridCode == world.GridA).CaseId;
        world.AddLateContact();

        var again = await RetraceAndFollowUpAsync(world, first.InvestigationId);

        Assert.Equal((0, 1, 2), (again.Created, again.Updated, again.Existing));
        var followUp = again.FollowUps.Single(f => f.GridCode == world.GridA);
        Assert.Equal((caseId, 2, 1), (followUp.CaseId, followUp.CloseContacts, followUp.SecondaryContacts));
        await using var db = world.NewContext();
        var added = await db.CaseEvents.AsNoTracking().SingleAsync(e => e.CaseId == caseId && e.Type == CaseEventType.PersonsAdded, TestContext.Current.CancellationToken);
        Assert.Contains($"重新追踪新增密接 1 人：P{world.C4}；次密接 0 人。", added.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain($"P{world.C1}", added.Reason, StringComparison.Ordinal);
        Assert.Equal(3, await db.Cases.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Retrace_without_new_contacts_changes_nothing(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var first = await TraceAndFollowUpAsync(world);
        world.AddLateContact();
        await RetraceAndFollowUpAsync(world, first.InvestigationId);

        var third = await RetraceAndFollowUpAsync(world, first.InvestigationId);

        Assert.Equal((0, 0, 3), (third.Created, third.Updated, third.Existing));
        await using var db = world.NewContext();
        Assert.Equal(1, await db.CaseEvents.CountAsync(e => e.Type == CaseEventType.PersonsAdded, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Retrace_opens_new_case_when_closed(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var first = await TraceAndFollowUpAsync(world);
        var closedId = first.Result.FollowUps.Single(f => f.GridCode == world.GridA).CaseId;
        await using (var setup = world.NewContext())
        {
            // Walking the case through every state to Closed is the case engine's own test; only the state matters here.
            await setup.Cases.Where(c => c.Id == closedId).ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CaseState.Closed), TestContext.Current.CancellationToken);
        }

        world.AddLateContact();

        var again = await RetraceAndFollowUpAsync(world, first.InvestigationId);

        Assert.Equal((1, 0, 2), (again.Created, again.Updated, again.Existing));
        var followUp = again.FollowUps.Single(f => f.GridCode == world.GridA);
        Assert.NotEqual(closedId, followUp.CaseId);
        Assert.Equal((2, 1), (followUp.CloseContacts, followUp.SecondaryContacts));
        var @case = await CaseOfAsync(world, again, world.GridA);
        Assert.Contains($"本网格密接 1 人：P{world.C4}；次密接 0 人。", @case.Description, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Follow_ups_need_a_trace(StoreKind kind)
    {
        await using var world = await InvestigationWorld.CreateAsync(kind);
        var opened = await world.OpenAsync();
        await using var db = world.NewContext();

        var result = await world.Service(db).CreateFollowUpsAsync(opened.Id, world.Officer, TestContext.Current.CancellationToken);

        Assert.Equal("investigation.no_trace", result.Error?.Code);
    }

    private static async Task<Case> CaseOfAsync(InvestigationWorld world, FollowUpResult followUps, string grid)
    {
        var caseId = followUps.FollowUps.Single(f => f.GridCode == grid).CaseId;
        await using var db = world.NewContext();
        return await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, TestContext.Current.CancellationToken);
    }

    private static async Task<FollowUpResult> RetraceAndFollowUpAsync(InvestigationWorld world, Guid investigationId)
    {
        await using var db = world.NewContext();
        var service = world.Service(db);
        await service.TraceAsync(investigationId, world.Officer, TestContext.Current.CancellationToken);
        var result = await service.CreateFollowUpsAsync(investigationId, world.Officer, TestContext.Current.CancellationToken);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value!;
    }

    private static async Task<(Guid InvestigationId, FollowUpResult Result)> TraceAndFollowUpAsync(InvestigationWorld world)
    {
        var opened = await world.OpenAsync();
        return (opened.Id, await RetraceAndFollowUpAsync(world, opened.Id));
    }
}
