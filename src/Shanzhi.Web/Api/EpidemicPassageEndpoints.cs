using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Privacy;
using Shanzhi.Storage;

namespace Shanzhi.Web.Api;

/// <summary>
/// Bulk passage upload by gate devices. A device authenticates with its API key and sends its own
/// passages; the response comes only after they are committed, and resending is safe because
/// (device, sequence) is stored once. A structural fault (not JSON, not a JSON array, image data, a property
/// that is not a passage field, too many items) rejects the whole batch. A malformed item or one
/// naming an unregistered person key is rejected alone (listed in <c>rejected</c>) and the rest is stored.
/// </summary>
public static class EpidemicPassageEndpoints
{
    public const string DeviceKeyHeader = "X-Device-Key";

    /// <summary>Well above 10,000 passages of about 200 bytes of JSON each.</summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private const int MaxListedErrors = 200;

    public static void MapEpidemicPassageEndpoints(this WebApplication app)
    {
        var passages = app.MapGroup("/api/v1/epidemic/passages").WithTags("疫情防控：通行记录").DisableAntiforgery()
            .RejectUnexpectedInput();
        passages.MapPost("/batch", SubmitBatchAsync)
            .WithName("SubmitPassageBatch")
            .WithSummary("设备批量上报通行记录（设备密钥认证；入库后应答；按设备序号去重）")
            .Accepts<PassageInput[]>("application/json")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AllowAnonymous();
    }

    /// <summary>The result of a batch: passages stored, passages already stored, and the items rejected one by one.</summary>
    public sealed record PassageBatchReceipt(int Accepted, int Duplicates, IReadOnlyList<PassageInputError> Rejected);

    /// <summary>
    /// Reads the body itself instead of binding it: the binder rejects the whole body for a field
    /// repeated in one item, which here rejects that item alone, and a syntax error gets
    /// <c>passage.malformed_body</c> instead of the generic <c>request.invalid</c>.
    /// </summary>
    private static async Task<Results<Ok<PassageBatchReceipt>, ProblemHttpResult>> SubmitBatchAsync(
        HttpContext http, IDeviceResolver devices, IPassageIngest ingest, ShanzhiDbContext db,
        IOptions<PassageIngestOptions> options, IOptions<HttpJsonOptions> json, TimeProvider clock, IOptions<RetentionOptions> retention, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var key = http.Request.Headers[DeviceKeyHeader].ToString();
        var device = string.IsNullOrWhiteSpace(key) ? null : await devices.ResolveAsync(key, cancellationToken);
        if (device is null)
        {
            return Problems.From(new Error("passage.device_unknown", "设备未认证",
                $"请在 {DeviceKeyHeader} 请求头中提供有效且已启用的设备密钥。", StatusCodes.Status401Unauthorized));
        }

        // The body is read whole first, as the JSON parser would buffer it anyway, so that invalid
        // UTF-8 inside a string is found here: the parser checks structure only, and reading such a
        // string later throws InvalidOperationException.
        using var body = new MemoryStream((int)Math.Clamp(http.Request.ContentLength ?? 0, 0, MaxPreallocatedBody));
        await http.Request.Body.CopyToAsync(body, cancellationToken);
        if (ParseUtf8Json(body.GetBuffer().AsMemory(0, (int)body.Length)) is not { } document)
        {
            return Problems.From(PassageBatch.MalformedBody);
        }

        using (document)
        {
            return await SubmitAsync(document.RootElement, http, device, ingest, db, options.Value, json.Value.SerializerOptions,
                PassageTimeWindow.At(clock.GetUtcNow(), retention.Value), loggers.CreateLogger(typeof(PassageBatch)), cancellationToken);
        }
    }

    // Content-Length is the client's claim; beyond this the buffer grows as the body arrives.
    private const int MaxPreallocatedBody = 4 * 1024 * 1024;

    private static JsonDocument? ParseUtf8Json(ReadOnlyMemory<byte> utf8)
    {
        utf8 = utf8[TextRules.ByteOrderMarkLength(utf8.Span)..];
        if (!Utf8.IsValid(utf8.Span))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<Results<Ok<PassageBatchReceipt>, ProblemHttpResult>> SubmitAsync(
        JsonElement body, HttpContext http, DeviceContext device, IPassageIngest ingest, ShanzhiDbContext db,
        PassageIngestOptions options, JsonSerializerOptions json, PassageTimeWindow window, ILogger logger, CancellationToken cancellationToken)
    {
        if (body.ValueKind == JsonValueKind.Array && body.GetArrayLength() > options.MaxBatchSize)
        {
            return Problems.From(PassageErrors.TooLarge(options.MaxBatchSize));
        }

        var read = PassageBatch.Read(body, json);
        if (read.Error is { } readError)
        {
            return Problems.From(readError);
        }

        var (items, unknownFields, unreadable) = read.Value;
        if (unknownFields.Count > 0)
        {
            var problem = Problems.From(PassageErrors.InvalidBatch(unknownFields.Select(e => e.Index).Distinct().Count()));
            problem.ProblemDetails.Extensions["errors"] = unknownFields.Take(MaxListedErrors).ToList();
            return problem;
        }

        var (records, indexes, invalid) = PassageBatch.Validate(device, items, window, unreadable.Select(e => e.Index).ToHashSet());
        var (known, unknown) = await PassageBatch.SplitUnknownPersonsAsync(db, records, cancellationToken);
        List<PassageInputError> rejected =
        [
            .. unreadable.Concat(invalid)
                .Concat(unknown.Select(i => PassageBatch.UnknownPerson(indexes[i], records[i].PersonKey!.Value)))
                .OrderBy(e => e.Index),
        ];
        PassageBatch.LogRejected(logger, device.DeviceId, items.Count, rejected);
        if (known.Count == 0)
        {
            return TypedResults.Ok(new PassageBatchReceipt(0, 0, rejected));
        }

        var result = await ingest.SubmitAsync(known, cancellationToken);
        if (result.Error is { } error)
        {
            if (error.Status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                http.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            }

            return Problems.From(error);
        }

        var receipt = result.Value!;
        if (receipt.Duplicates == 0)
        {
            return TypedResults.Ok(new PassageBatchReceipt(receipt.Accepted, 0, rejected));
        }

        // A duplicate whose stored passage differs is a reused sequence: it was not stored, so it is reported as rejected.
        var knownIndexes = PassageBatch.OfKnown(indexes, unknown);
        var reused = (await PassageBatch.FindReusedAsync(db, known, cancellationToken))
            .Select(position => PassageBatch.SequenceReused(knownIndexes[position], known[position].DeviceSequence))
            .ToList();
        PassageBatch.LogRejected(logger, device.DeviceId, items.Count, reused);
        return TypedResults.Ok(new PassageBatchReceipt(receipt.Accepted, receipt.Duplicates - reused.Count, [.. rejected.Concat(reused).OrderBy(e => e.Index)]));
    }
}
