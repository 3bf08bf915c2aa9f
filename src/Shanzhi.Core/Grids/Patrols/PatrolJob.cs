using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shanzhi.Grids;

/// <summary>Runs <see cref="PatrolTaskGenerator.RunAsync"/> every <see cref="GridOptions.JobInterval"/>, starting at once.</summary>
public sealed class PatrolJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<GridOptions> options, ILogger<PatrolJob> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.JobInterval;
        logger.PatrolJobStarted(interval);
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<PatrolTaskGenerator>().RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.PatrolJobFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        logger.PatrolJobStopped();
    }
}
