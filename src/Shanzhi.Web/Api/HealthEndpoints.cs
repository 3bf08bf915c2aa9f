using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shanzhi.Storage;

namespace Shanzhi.Web.Api;

/// <summary><c>/health/live</c>: the process answers; <c>/health/ready</c>: the store answers too.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddShanzhiHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: ["ready"]);
        return services;
    }

    public static void MapHealthEndpoints(this WebApplication app)
    {
        // MapHealthChecks takes every method; a probe reads, so other methods get 405 like any read-only address.
        // HEAD is served as GET by UseHeadAsGet.
        var readOnly = new HttpMethodMetadata([HttpMethods.Get]);
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous().WithMetadata(readOnly);
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous().WithMetadata(readOnly);
    }

    private sealed class StoreHealthCheck(ShanzhiDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await db.Database.CanConnectAsync(cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("The store does not accept connections.");
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("The store check failed.", exception);
            }
        }
    }
}
