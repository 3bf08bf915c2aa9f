using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Shanzhi.Cases;
using Shanzhi.Identity;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Opens the unidentified-person case (Y0101) for a "no match" gate check: reported at the place,
/// so it lies in the place's grid, then filed and dispatched by the platform
/// (<see cref="StaffPrincipal.System"/>) to the unit routing picks, by default the street office of
/// that grid. The description lists the tasks of grid worker, community worker and police.
/// </summary>
public sealed class OpenUnidentifiedCase(ShanzhiDbContext db, CaseService cases, TimeProvider clock, ILogger<OpenUnidentifiedCase> logger)
{
    /// <summary>
    /// Age after which a claim without a case is an orphan. A live check opens its case right after
    /// its passage commits, so five minutes leaves room for a slow one on another instance.
    /// </summary>
    public static readonly TimeSpan OrphanAge = TimeSpan.FromMinutes(5);

    /// <summary>Records that this check has a follow-up; false when an earlier copy of the check already did.</summary>
    public async Task<bool> ClaimAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        if (await db.UnidentifiedFollowUps.AnyAsync(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence, cancellationToken))
        {
            return false;
        }

        // Two copies of one check sent at once both pass the test above. An insert through EF fails
        // for the second on the primary key, and EF logs that failure at Error level before a catch
        // block runs. So the race is settled in SQL: with ON CONFLICT DO NOTHING (PostgreSQL, and
        // SQLite 3.24 or later) the second copy inserts no row.
        var entity = db.Model.FindEntityType(typeof(UnidentifiedFollowUp))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var deviceId = Column(nameof(UnidentifiedFollowUp.DeviceId));
        var sequence = Column(nameof(UnidentifiedFollowUp.DeviceSequence));
        var insert =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({deviceId}, {sequence}, {Column(nameof(UnidentifiedFollowUp.PlaceId))}, " +
            $"{Column(nameof(UnidentifiedFollowUp.OpenedAt))}) VALUES ({{0}}, {{1}}, {{2}}, {{3}}) ON CONFLICT ({deviceId}, {sequence}) DO NOTHING";

        // The store's own representation of the time (UTC ticks on SQLite), as EF would write it.
        var openedAt = entity.FindProperty(nameof(UnidentifiedFollowUp.OpenedAt))!.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider(clock.GetUtcNow())!
            : clock.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlRawAsync(insert, [device.DeviceId, input.Sequence, device.PlaceId, openedAt], cancellationToken);
        return inserted == 1;
    }

    /// <summary>
    /// Restarts the orphan clock of a claim that has no case yet, so that <see cref="RepairOrphansAsync"/>
    /// leaves it alone while a resend stores its passage. Returns false when no such claim is left,
    /// because the repair released it or a case is already linked.
    /// </summary>
    public async Task<bool> RetakeAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var updated = await db.UnidentifiedFollowUps
            .Where(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence && f.CaseId == null && f.Outcome == null)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.OpenedAt, now), cancellationToken);
        return updated > 0;
    }

    /// <summary>Drops a claim whose passage could not be stored, so the device's retry starts over.</summary>
    public async Task ReleaseAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken) =>
        await db.UnidentifiedFollowUps.Where(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence && f.CaseId == null)
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Repairs what a process stopped mid-check left behind (<see cref="OrphanAge"/> or older):
    /// opens the case of each open follow-up whose passage is stored but that has no case, reusing a
    /// case already reported for it, and releases each claim whose passage was never stored, so
    /// the device's resend starts over. Returns the number of cases opened and claims released.
    /// </summary>
    public async Task<(int Opened, int Released)> RepairOrphansAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - OrphanAge;
        var orphans = await (
                from f in db.UnidentifiedFollowUps
                where f.CaseId == null && f.Outcome == null && f.OpenedAt < before
                join p in db.Passages on new { f.DeviceId, f.DeviceSequence } equals new { p.DeviceId, p.DeviceSequence }
                join place in db.Places on p.PlaceId equals place.Id
                select new { p.DeviceId, p.DeviceSequence, p.EntranceId, p.PlaceId, place.Kind, place.GridCode, place.RegionPath, p.OccurredAt, p.Direction })
            .ToListAsync(cancellationToken);
        foreach (var o in orphans)
        {
            var device = new DeviceContext(o.DeviceId, o.EntranceId, o.PlaceId, o.Kind, o.GridCode, o.RegionPath);
            await OpenAsync(device, new GateCheckInput(o.DeviceSequence, o.OccurredAt, o.Direction, IdentityKind.NoMatch), cancellationToken,
                reuseReported: true);
        }

        var released = await db.UnidentifiedFollowUps
            .Where(f => f.CaseId == null && f.Outcome == null && f.OpenedAt < before
                && !db.Passages.Any(p => p.DeviceId == f.DeviceId && p.DeviceSequence == f.DeviceSequence))
            .ExecuteDeleteAsync(cancellationToken);
        return (orphans.Count, released);
    }

    /// <param name="reuseReported">
    /// Look for a case already reported for this check first; used by the repair, because the
    /// process may have stopped after reporting the case and before linking it.
    /// </param>
    public async Task OpenAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken, bool reuseReported = false)
    {
        var where = await (
                from e in db.Entrances
                join p in db.Places on e.PlaceId equals p.Id
                where e.Id == device.EntranceId
                select new { Place = p.Name, p.Kind, Entrance = e.Name, p.Latitude, p.Longitude })
            .FirstAsync(cancellationToken);
        var at = ShanghaiTime.ToLocal(input.OccurredAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var direction = input.Direction == PassageDirection.In ? "进入" : "离开";
        var description =
            $"{at}，{where.Place}（{EpidemicNames.Chinese(where.Kind)}）{where.Entrance}的核验设备未能识别一名{direction}人员的身份（设备 {device.DeviceId}，流水号 {input.Sequence}）。\n" +
            "请按分工核查：\n" +
            "1. 网格员：到场所及周边寻访该人员，了解其来源和去向；\n" +
            "2. 社区工作者：核对社区人口登记，找到后引导其完成人口登记；\n" +
            "3. 派出所民警：网格员和社区工作者无法确认身份时，协助核实身份。\n" +
            "办结方式：人员已登记的，按“已登记”办结并填写人员编号；经核实无需登记的，按“已排除”办结并写明理由。";
        var externalRef = string.Create(CultureInfo.InvariantCulture, $"gate:{device.DeviceId}:{input.Sequence}");
        var request = new ReportCaseRequest($"{UnidentifiedCaseSeeder.CategoryName}：{where.Place}", description, where.Latitude, where.Longitude,
            UnidentifiedCaseSeeder.CategoryCode, Channel: CaseChannel.System, ExternalRef: externalRef);

        var earlier = reuseReported
            ? await db.Cases.AsNoTracking().Where(c => c.ExternalRef == externalRef && c.CategoryCode == UnidentifiedCaseSeeder.CategoryCode)
                .Select(c => new { c.Id, c.CaseNo, c.State }).FirstOrDefaultAsync(cancellationToken)
            : null;
        var (caseId, caseNo, state) = earlier is null ? (Guid.Empty, "", CaseState.Reported) : (earlier.Id, earlier.CaseNo, earlier.State);
        if (earlier is null)
        {
            var reported = await cases.ReportAsync(request, StaffPrincipal.System, cancellationToken);
            if (reported.Value is not { } fresh)
            {
                logger.FollowUpCaseFailed(device.DeviceId, input.Sequence, reported.Error!.Code);
                return;
            }

            (caseId, caseNo) = (fresh.Id, fresh.CaseNo);
        }

        await db.UnidentifiedFollowUps.Where(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.CaseId, caseId), cancellationToken);

        // A reused case may be filed already; later states need nothing from here.
        CaseAction[] steps = state switch
        {
            CaseState.Reported => [CaseAction.File, CaseAction.Dispatch],
            CaseState.Filed => [CaseAction.Dispatch],
            _ => [],
        };
        foreach (var action in steps)
        {
            if ((await cases.ActAsync(caseId, new CaseActionRequest(action), StaffPrincipal.System, cancellationToken)).Error is { } error)
            {
                logger.FollowUpCaseFailed(device.DeviceId, input.Sequence, error.Code);
                return;
            }
        }

        logger.FollowUpOpened(device.DeviceId, input.Sequence, caseNo);
    }
}
