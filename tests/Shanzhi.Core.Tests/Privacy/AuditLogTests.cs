using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Shanzhi.Cases;
using Shanzhi.Cli;
using Shanzhi.Cli.Commands;
using Shanzhi.Privacy;
using Shanzhi.Storage;
using Shanzhi.Tests.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Privacy;

/// <summary>The hash-chained audit log: appends link, tampering with rows in the database is caught.</summary>
public sealed class AuditLogTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Appended_records_verify_as_intact(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);

        var result = await VerifyAsync(store);

        Assert.True(result.IsIntact, $"Fault {result.Fault} at {result.FirstBadSequence}");
        Assert.Equal(3, result.Checked);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Records_link_to_the_previous_hash(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);

        await using var db = store.NewContext();
        var records = await db.AuditRecords.OrderBy(r => r.Sequence).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(AuditRecord.GenesisHash, records[0].PreviousHash);
        Assert.Equal(records[0].Hash, records[1].PreviousHash);
        Assert.Equal(records[1].Hash, records[2].PreviousHash);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Changed_detail_is_caught_as_hash_mismatch(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);
        await ExecuteAsync(store, "UPDATE audit_records SET detail = 'nothing happened' WHERE sequence = 2");

        var result = await VerifyAsync(store);

        Assert.Equal((2L, AuditFault.HashMismatch), (result.FirstBadSequence, result.Fault));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Deleted_record_is_caught_as_gap(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);
        await ExecuteAsync(store, "DELETE FROM audit_records WHERE sequence = 2");

        var result = await VerifyAsync(store);

        Assert.Equal((2L, AuditFault.Gap), (result.FirstBadSequence, result.Fault));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Deleted_last_record_is_caught_as_truncation(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);
        await ExecuteAsync(store, "DELETE FROM audit_records WHERE sequence = 3");

        var result = await VerifyAsync(store);

        Assert.Equal((3L, AuditFault.Truncated), (result.FirstBadSequence, result.Fault));
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Concurrent_appends_form_one_unbroken_chain(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        var log = new TestAuditLog(store, Clock);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => log.AppendAsync(
            new AuditEntry(AuditAction.RecordViewed, null, "并发测试", "case", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            TestContext.Current.CancellationToken))));
        var result = await VerifyAsync(store);

        Assert.True(result.IsIntact, $"Fault {result.Fault} at {result.FirstBadSequence}");
        Assert.Equal(16, result.Checked);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Case_report_and_action_are_recorded_with_actor(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        await world.MustActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator);

        await using var db = world.NewContext();
        var records = await db.AuditRecords.Where(r => r.SubjectId == @case.Id.ToString()).OrderBy(r => r.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([AuditAction.CaseTransition, AuditAction.CaseTransition], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal(world.Operator.UserId, r.ActorId));
        Assert.Equal($"{@case.CaseNo} File: Reported -> Filed", records[1].Detail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Failed_audit_append_keeps_case_unchanged(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var ct = TestContext.Current.CancellationToken;
        await using (var db = world.NewContext())
        {
            // A trigger in the store itself makes every audit insert fail from now on.
            await db.Database.ExecuteSqlRawAsync(kind == StoreKind.Sqlite
                ? "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'audit refused'); END"
                : "CREATE FUNCTION audit_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$; " +
                  "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_records FOR EACH ROW EXECUTE FUNCTION audit_refused()", ct);
        }

        await Assert.ThrowsAnyAsync<Exception>(() => world.ActAsync(@case.Id, new CaseActionRequest(CaseAction.File), world.Operator));

        var stored = await world.GetAsync(@case.Id);
        await using var check = world.NewContext();
        Assert.Equal(CaseState.Reported, stored.State);
        Assert.Equal(1, stored.EventCount);
        Assert.Equal(1, await check.CaseEvents.CountAsync(e => e.CaseId == @case.Id, ct));
        Assert.Equal(1, await check.AuditRecords.CountAsync(r => r.SubjectId == @case.Id.ToString(), ct));
    }

    [Fact]
    public void Overlong_detail_is_a_bug_not_a_truncation() =>
        Assert.Throws<ArgumentException>(() => AuditRecord.Chain(1, AuditRecord.GenesisHash, Clock.GetUtcNow(),
            new AuditEntry(AuditAction.Exported, null, "系统", Detail: new string('x', AuditRecord.DetailMaxLength + 1))));

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Verify_command_exits_0_on_an_intact_log(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);

        var (exitCode, output, _) = await RunVerifyAsync(store);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("审计日志完整：共 3 条记录", output);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Verify_command_exits_1_naming_the_changed_record(StoreKind kind)
    {
        await using var store = await TestStore.CreateAsync(kind);
        await AppendThreeAsync(store);
        await ExecuteAsync(store, "UPDATE audit_records SET actor_name = '别人' WHERE sequence = 1");

        var (exitCode, _, error) = await RunVerifyAsync(store);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("审计日志校验失败：第 1 条记录", error);
    }

    private static async Task AppendThreeAsync(TestStore store)
    {
        var log = new TestAuditLog(store, Clock);
        var actor = Guid.CreateVersion7();
        var cancellationToken = TestContext.Current.CancellationToken;
        await log.AppendAsync(new AuditEntry(AuditAction.Login, actor, "张三"), cancellationToken);
        await log.AppendAsync(new AuditEntry(AuditAction.Revealed, actor, "张三", "person", "p-1", "核实投诉人身份", "phone"), cancellationToken);
        await log.AppendAsync(new AuditEntry(AuditAction.Logout, actor, "张三", Detail: ""), cancellationToken);
    }

    private static async Task<AuditVerification> VerifyAsync(TestStore store)
    {
        await using var db = store.NewContext();
        return await new AuditVerifier(db).VerifyAsync(TestContext.Current.CancellationToken);
    }

    private static async Task ExecuteAsync(TestStore store, string sql)
    {
        await using var db = store.NewContext();
        var changed = await db.Database.ExecuteSqlRawAsync(sql, TestContext.Current.CancellationToken);
        Assert.Equal(1, changed);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunVerifyAsync(TestStore store)
    {
        var root = new RootCommand { CliHost.DataOption, CliHost.ProviderOption, CliHost.ConnectionOption };
        root.Subcommands.Add(AuditCommand.Create());
        string[] storeArgs = store.Kind == StoreKind.Sqlite
            ? ["--data", store.Options.FullDataDirectory]
            : ["--provider", nameof(StorageProvider.Postgres), "--connection", store.Options.ConnectionString!, "--data", store.Options.FullDataDirectory];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await root.Parse(["audit", "verify", .. storeArgs]).InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false },
            TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }
}
