using Microsoft.EntityFrameworkCore;
using Shanzhi.Grids;
using Shanzhi.Identity;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Grids;

public sealed class GridPeopleTests
{
    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Assigning_a_new_responsible_worker_ends_the_previous_one(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var second = await world.Cases.UserAsync("网格员己", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA), Roles.GridWorker);
        world.Cases.Clock.Advance(TimeSpan.FromDays(1));

        await using var db = world.NewContext();
        var result = await world.People(db).AssignAsync(new AssignWorkerRequest(GridWorld.GridA, second.UserId!.Value, true), world.Operator, ct);

        Assert.True(result.IsSuccess, result.Error?.Detail);
        var current = await db.GridAssignments.AsNoTracking().Where(a => a.GridCode == GridWorld.GridA && a.ValidTo == null && a.IsResponsible)
            .Select(a => a.UserId).ToListAsync(ct);
        Assert.Equal([second.UserId!.Value], current);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task History_keeps_the_ended_assignment(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var second = await world.Cases.UserAsync("网格员己", null, CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA), Roles.GridWorker);
        await using var db = world.NewContext();
        await world.People(db).AssignAsync(new AssignWorkerRequest(GridWorld.GridA, second.UserId!.Value, true), world.Operator, ct);

        var history = (await world.People(db).HistoryAsync(GridWorld.GridA, world.Operator, ct)).Value!;

        Assert.Single(history, a => a.UserId == world.Worker.UserId && a.ValidTo is not null);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Store_rejects_a_second_current_responsible_worker(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();
        db.GridAssignments.Add(new GridAssignment
        {
            GridCode = GridWorld.GridA,
            GridPath = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA, GridWorld.GridA),
            UserId = Guid.NewGuid(),
            IsResponsible = true,
            ValidFrom = world.Cases.Clock.GetUtcNow(),
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Assistant_worker_joins_without_ending_the_responsible_one(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var assistant = await world.Cases.UserAsync("兼职网格员", null, CaseWorld.PathOf(CaseWorld.City), Roles.GridWorker);
        await using var db = world.NewContext();

        await world.People(db).AssignAsync(new AssignWorkerRequest(GridWorld.GridA, assistant.UserId!.Value, false, Employment.PartTime), world.Operator, ct);

        Assert.Equal(2, await db.GridAssignments.CountAsync(a => a.GridCode == GridWorld.GridA && a.ValidTo == null, ct));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task User_without_the_grid_worker_role_cannot_be_assigned(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.People(db).AssignAsync(new AssignWorkerRequest(GridWorld.GridA, world.Cases.Verifier.UserId!.Value, true),
            world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal("grid.not_grid_worker", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Grid_worker_cannot_assign_workers(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        await using var db = world.NewContext();

        var result = await world.People(db).AssignAsync(new AssignWorkerRequest(GridWorld.GridA, world.Worker.UserId!.Value, false),
            world.Worker, TestContext.Current.CancellationToken);

        Assert.Equal("grid.forbidden", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task New_micro_grid_leader_keeps_the_former_leader_as_member(StoreKind kind)
    {
        await using var world = await GridWorld.CreateAsync(kind);
        var ct = TestContext.Current.CancellationToken;
        var scope = CaseWorld.PathOf(CaseWorld.City, CaseWorld.Haishu, CaseWorld.StreetA);
        var first = await world.Cases.UserAsync("楼道长甲", null, scope, Roles.MicroGridMember);
        var second = await world.Cases.UserAsync("楼道长乙", null, scope, Roles.MicroGridMember);
        await using var db = world.NewContext();
        var people = world.People(db);
        var microGrid = (await people.CreateMicroGridAsync(new CreateMicroGridRequest(GridWorld.GridA, "3幢2单元", MicroGridKind.Stairwell, 12),
            world.Operator, ct)).Value!;
        await people.AddMemberAsync(microGrid.Id, first.UserId!.Value, true, world.Operator, ct);

        var view = (await people.AddMemberAsync(microGrid.Id, second.UserId!.Value, true, world.Operator, ct)).Value!;

        Assert.Equal([(second.UserId!.Value, true), (first.UserId!.Value, false)], view.Members.Select(m => (m.UserId, m.IsLeader)));
    }
}
