using System.Globalization;
using Microsoft.EntityFrameworkCore;
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
    /// <summary>Records that this check has a follow-up; false when an earlier copy of the check already did.</summary>
    public async Task<bool> ClaimAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
    {
        if (await db.UnidentifiedFollowUps.AnyAsync(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence, cancellationToken))
        {
            return false;
        }

        var followUp = new UnidentifiedFollowUp { DeviceId = device.DeviceId, DeviceSequence = input.Sequence, PlaceId = device.PlaceId, OpenedAt = clock.GetUtcNow() };
        db.UnidentifiedFollowUps.Add(followUp);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrent copy of the same check claimed it first (primary key violation).
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>Drops a claim whose passage could not be stored, so the device's retry starts over.</summary>
    public async Task ReleaseAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken) =>
        await db.UnidentifiedFollowUps.Where(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence && f.CaseId == null)
            .ExecuteDeleteAsync(cancellationToken);

    public async Task OpenAsync(DeviceContext device, GateCheckInput input, CancellationToken cancellationToken)
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
        var request = new ReportCaseRequest($"{UnidentifiedCaseSeeder.CategoryName}：{where.Place}", description, where.Latitude, where.Longitude,
            UnidentifiedCaseSeeder.CategoryCode, ExternalRef: string.Create(CultureInfo.InvariantCulture, $"gate:{device.DeviceId}:{input.Sequence}"));

        var reported = await cases.ReportAsync(request, StaffPrincipal.System, cancellationToken);
        if (reported.Value is not { } @case)
        {
            logger.FollowUpCaseFailed(device.DeviceId, input.Sequence, reported.Error!.Code);
            return;
        }

        await db.UnidentifiedFollowUps.Where(f => f.DeviceId == device.DeviceId && f.DeviceSequence == input.Sequence)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.CaseId, @case.Id), cancellationToken);
        foreach (var action in new[] { CaseAction.File, CaseAction.Dispatch })
        {
            if ((await cases.ActAsync(@case.Id, new CaseActionRequest(action), StaffPrincipal.System, cancellationToken)).Error is { } error)
            {
                logger.FollowUpCaseFailed(device.DeviceId, input.Sequence, error.Code);
                return;
            }
        }

        logger.FollowUpOpened(device.DeviceId, input.Sequence, @case.CaseNo);
    }
}
