using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Shanzhi.Web.Api;

/// <summary>
/// Checks a request body against what the endpoint reads, before the handler runs. An endpoint that
/// declares the content types it reads (<c>Accepts</c>, added by the framework for a bound JSON body
/// and by hand where a handler reads the body itself) rejects a body of any other type, or one
/// sent without a Content-Type, with 415 <c>request.unsupported_media_type</c>. Routing already
/// rejects a Content-Type outside <c>Accepts</c> with the same code, so this filter mostly catches
/// the body without one. An endpoint that reads no body rejects a non-empty one with 400
/// <c>request.body_not_allowed</c>, because a client that sends fields there expects them to have
/// an effect. Only POST, PUT and PATCH are checked.
/// </summary>
public static class RequestBodies
{
    public const string UnsupportedMediaTypeCode = "request.unsupported_media_type";
    public const string BodyNotAllowedCode = "request.body_not_allowed";

    public static readonly Error BodyNotAllowed = new(BodyNotAllowedCode, "此接口不接受请求正文",
        "此接口不读取请求正文，正文中的内容不会生效，本次请求未处理。请不带正文重新提交（Content-Length: 0）。", StatusCodes.Status400BadRequest, "body");

    public static TBuilder CheckRequestBody<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            var accepted = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes ?? [];

            if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
            {
                return await next(context);
            }

            if (accepted.Count == 0)
            {
                return await HasBodyAsync(request) ? Problems.From(BodyNotAllowed) : await next(context);
            }

            // Without a Content-Type and without a body, the handler reports the missing body in its own words.
            if (string.IsNullOrEmpty(request.ContentType) ? await HasBodyAsync(request) : !IsAccepted(request.ContentType, accepted))
            {
                return Problems.From(UnsupportedMediaType(accepted));
            }

            return await next(context);
        });

    public static Error UnsupportedMediaType(IReadOnlyList<string> accepted) => new(UnsupportedMediaTypeCode, "内容类型不支持",
        $"此接口的请求正文只接受 {string.Join("、", accepted)}，请在 Content-Type 请求头中注明（JSON 为 application/json; charset=utf-8）。本次请求未处理。",
        StatusCodes.Status415UnsupportedMediaType, "Content-Type");

    public const string MalformedFormCode = "request.malformed_form";

    public static readonly Error MalformedForm = new(MalformedFormCode, "上传内容格式有误",
        "multipart/form-data 请求正文不完整或格式有误（例如缺少 boundary 参数或结束分隔符），本次请求未处理。请重新提交完整的表单或文件。",
        StatusCodes.Status400BadRequest, "body");

    /// <summary>
    /// Reads the posted form. Returns the <see cref="MalformedForm"/> error instead when the form
    /// reader cannot parse the body: a multipart body without a boundary, with malformed part
    /// headers, or ending before its closing boundary. Uncaught, the framework's exceptions for
    /// these give a 500 or the JSON parse message.
    /// A body over the size limit still throws <see cref="BadHttpRequestException"/>, for which the
    /// error handler returns 413.
    /// </summary>
    public static async Task<(IFormCollection? Form, Error? Error)> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return (await request.ReadFormAsync(cancellationToken), null);
        }
        catch (InvalidDataException)
        {
            return (null, MalformedForm);
        }
        catch (IOException exception) when (exception is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // NOTE: the multipart reader reports a body that ends early as a plain IOException, so a
            // failure to write the form's temporary buffer file also gets this 400 instead of a 500.
            return (null, MalformedForm);
        }
    }

    /// <summary>
    /// Returns the one file uploaded in <paramref name="field"/>: <paramref name="missing"/> when there is none, and
    /// <c>request.multiple_files</c> when there are several, so that no upload is silently left out.
    /// </summary>
    public static (IFormFile? File, Error? Error) SingleFile(IFormCollection form, string field, Error missing)
    {
        var files = form.Files.GetFiles(field);
        return files.Count switch
        {
            0 => (null, missing),
            1 => (files[0], null),
            _ => (null, Error.Invalid("request.multiple_files", field,
                $"字段 {field} 只能上传一个文件，本次上传了 {files.Count} 个，均未处理。请每次上传一个文件。")),
        };
    }

    /// <summary>Whether the media type, without its parameters (charset, boundary), is one of <paramref name="accepted"/>.</summary>
    private static bool IsAccepted(string contentType, IReadOnlyList<string> accepted) =>
        MediaTypeHeaderValue.TryParse(contentType, out var sent)
        && accepted.Any(a => MediaTypeHeaderValue.TryParse(a, out var type) && sent.MediaType.Equals(type.MediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether the request carries at least one byte of body. Without a Content-Length (chunked)
    /// the first byte is read, which loses nothing because the endpoint reads no body.
    /// </summary>
    private static async Task<bool> HasBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length)
        {
            return length > 0;
        }

        var first = new byte[1];
        return await request.Body.ReadAsync(first, request.HttpContext.RequestAborted) > 0;
    }
}
