using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shanzhi.Cases;

/// <summary>
/// Runs <see cref="CaseEscalation"/> at start-up and then every <c>Cases:Escalation:Interval</c>.
/// A failed run is logged and retried at the next tick, so it never stops the job.
/// </summary>
public sealed class OverdueEscalationJob(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<CaseOptions> options,
    ILogger<OverdueEscalationJob> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Escalation.Interval;
        logger.EscalationJobStarted(interval);
        using var timer = new PeriodicTimer(interval, clock);
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

        logger.EscalationJobStopped();
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var escalation = scope.ServiceProvider.GetRequiredService<CaseEscalation>();
            var count = await escalation.EscalateOverdueAsync(clock.GetUtcNow(), stoppingToken);
            if (count > 0)
            {
                logger.EscalationRunFinished(count);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            logger.EscalationRunFailed(e);
        }
    }
}
