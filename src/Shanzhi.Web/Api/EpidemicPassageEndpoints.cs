using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Web.Api;

/// <summary>
/// Bulk passage upload by gate devices. A device authenticates with its API key and sends its own
/// passages; the response comes only after they are committed, and resending is safe because
/// (device, sequence) is stored once.
/// </summary>
public static class EpidemicPassageEndpoints
{
    public const string DeviceKeyHeader = "X-Device-Key";

    /// <summary>Well above 10,000 passages of about 200 bytes of JSON each.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private const int MaxListedErrors = 200;

    public static void MapEpidemicPassageEndpoints(this WebApplication app)
    {
        var passages = app.MapGroup("/api/v1/epidemic/passages").WithTags("疫情防控：通行记录").DisableAntiforgery();
        passages.MapPost("/batch", SubmitBatchAsync)
            .WithName("SubmitPassageBatch")
            .WithSummary("设备批量上报通行记录（设备密钥认证；入库后应答；按设备序号去重）")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AllowAnonymous();
    }

    private static async Task<Results<Ok<IngestReceipt>, ProblemHttpResult>> SubmitBatchAsync(
        [FromBody] List<PassageInput?> items, HttpContext http, IDeviceResolver devices, IPassageIngest ingest,
        IOptions<PassageIngestOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers[DeviceKeyHeader].ToString();
        var device = string.IsNullOrWhiteSpace(key) ? null : await devices.ResolveAsync(key, cancellationToken);
        if (device is null)
        {
            return Problems.From(new Error("passage.device_unknown", "设备未认证",
                $"请在 {DeviceKeyHeader} 请求头中提供有效且已启用的设备密钥。", StatusCodes.Status401Unauthorized));
        }

        if (items.Count > options.Value.MaxBatchSize)
        {
            return Problems.From(PassageErrors.TooLarge(options.Value.MaxBatchSize));
        }

        var (records, errors) = PassageBatch.Validate(device, items, clock.GetUtcNow());
        if (errors.Count > 0)
        {
            var problem = Problems.From(PassageErrors.InvalidBatch(errors.Select(e => e.Index).Distinct().Count()));
            problem.ProblemDetails.Extensions["errors"] = errors.Take(MaxListedErrors).ToList();
            return problem;
        }

        var result = await ingest.SubmitAsync(records, cancellationToken);
        if (result.Error is { } error)
        {
            if (error.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            return Problems.From(error);
        }

        return TypedResults.Ok(result.Value);
    }
}
