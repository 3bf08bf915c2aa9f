using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shanzhi.Epidemic.Gates;

/// <summary>
/// Runs <see cref="OpenUnidentifiedCase.RepairOrphansAsync"/> at start-up and then every
/// <see cref="Interval"/>, so a follow-up left without a case by a stopped process gets one. A
/// failed run is logged and retried at the next tick.
/// </summary>
public sealed partial class UnidentifiedCaseRepairJob(IServiceScopeFactory scopes, TimeProvider clock, ILogger<UnidentifiedCaseRepairJob> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var (opened, released) = await scope.ServiceProvider.GetRequiredService<OpenUnidentifiedCase>().RepairOrphansAsync(stoppingToken);
            if (opened + released > 0)
            {
                Repaired(logger, opened, released);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RepairFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning,
        Message = "Unidentified-person follow-ups left by a stopped process: {Opened} cases opened, {Released} claims without a passage released")]
    private static partial void Repaired(ILogger logger, int opened, int released);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Error, Message = "Repair of unidentified-person follow-ups failed; retrying at the next run")]
    private static partial void RepairFailed(ILogger logger, Exception exception);
}
