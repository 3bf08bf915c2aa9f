using Shanzhi.Cases;
using Shanzhi.Storage;

namespace Shanzhi.Tests.Cases.Kpi;

/// <summary>
/// Builds cases for KPI tests through the <see cref="Case"/> actions, with explicit times and
/// deadlines, and stores them with their events.
/// </summary>
internal sealed class KpiCases
{
    public const string DefaultPath = "/330200/330203/330203001/";

    public static readonly Actor Operator = new(Guid.Parse("00000000-0000-0000-0000-00000000000a"), "值班长");
    public static readonly Actor Handler = new(Guid.Parse("00000000-0000-0000-0000-00000000000b"), "处置人员");
    public static readonly Actor Verifier = new(Guid.Parse("00000000-0000-0000-0000-00000000000c"), "核查员");

    private readonly List<Case> _cases = [];

    /// <summary>Returns an instant given as Asia/Shanghai wall-clock time, in UTC.</summary>
    public static DateTimeOffset Shanghai(int year, int month, int day, int hour = 9) =>
        new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    public Case Reported(DateTimeOffset at, string regionPath = DefaultPath)
    {
        var number = _cases.Count + 1;
        var code = regionPath.Split('/', StringSplitOptions.RemoveEmptyEntries)[^1];
        var @case = Case.Report(
            new NewCase($"T{number:D6}", CaseChannel.Console, "测试案件", "", 29.87, 121.55, code, regionPath, "E0101"),
            Operator, at, at.AddHours(1));
        _cases.Add(@case);
        return @case;
    }

    /// <summary>Reports, files and dispatches a case at one instant, due <paramref name="limit"/> later.</summary>
    public Case Dispatched(DateTimeOffset at, Guid unitId, TimeSpan limit, string regionPath = DefaultPath)
    {
        var @case = Reported(at, regionPath);
        Ok(@case.File("E0101", Operator, at, at.AddHours(1)));
        Ok(@case.Dispatch(unitId, Operator, at, at + limit));
        return @case;
    }

    /// <summary>Resolves a case, starting work first (half an hour before) unless it is already in progress.</summary>
    public static void Resolve(Case @case, DateTimeOffset at)
    {
        if (@case.State != CaseState.InProgress)
        {
            Ok(@case.Start(Handler, at.AddMinutes(-30)));
        }

        Ok(@case.Resolve("已处置", Handler, at));
    }

    /// <summary>Starts, resolves, verifies and closes a case; closing follows the resolution by an hour.</summary>
    public static void ResolveAndClose(Case @case, DateTimeOffset resolvedAt)
    {
        Resolve(@case, resolvedAt);
        Ok(@case.RequestVerification(Verifier.Id, Operator, resolvedAt.AddMinutes(20), resolvedAt.AddHours(4)));
        Ok(@case.PassVerification("核查通过", Verifier, resolvedAt.AddMinutes(40)));
        Ok(@case.Close(Operator, resolvedAt.AddHours(1)));
    }

    /// <summary>Resolves a case and fails its verification, which sends it back to the handler.</summary>
    public static void ResolveAndFailVerification(Case @case, DateTimeOffset resolvedAt)
    {
        Resolve(@case, resolvedAt);
        Ok(@case.RequestVerification(Verifier.Id, Operator, resolvedAt.AddMinutes(20), resolvedAt.AddHours(4)));
        Ok(@case.FailVerification("现场仍有垃圾", Verifier, resolvedAt.AddMinutes(40)));
    }

    public static void Extend(Case @case, DateTimeOffset at, DateTimeOffset newDeadline)
    {
        Ok(@case.RequestExtension(newDeadline, "需要协调其他部门", Handler, at));
        Ok(@case.ApproveExtension(Operator, at.AddHours(1)));
    }

    public static void Ok(Error? error) => Assert.Null(error);

    public async Task SaveAsync(ShanzhiDbContext db)
    {
        db.Cases.AddRange(_cases);
        db.CaseEvents.AddRange(_cases.SelectMany(c => c.NewEvents));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
