using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Shanzhi.Web.Api;

/// <summary>Maps expected failures to RFC 7807 responses: one place, one shape.</summary>
public static partial class Problems
{
    public static ProblemHttpResult From(Error error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Field is not null)
        {
            extensions["field"] = error.Field;
        }

        return TypedResults.Problem(
            detail: error.Detail,
            statusCode: error.Status,
            title: error.Title,
            type: TypeUri(error.Code),
            extensions: extensions);
    }

    /// <summary>
    /// The problem <c>type</c> of a code. Every problem, the framework's included, gets its type from
    /// its code alone, so that one code never comes with two types.
    /// </summary>
    public static string TypeUri(string code) => $"https://shanzhi.example/problems/{code}";

    /// <summary>
    /// Fills in a stable code and Chinese text for responses the framework produces itself
    /// (malformed JSON, wrong content type, missing login), so every 4xx has the same shape.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code"))
        {
            return;
        }

        var inputError = context.Exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => StrictJson.BodyError(json),
            BadHttpRequestException bad => UnboundParameterError(context, bad),
            _ => null,
        };
        if (inputError is not null)
        {
            problem.Extensions["code"] = inputError.Code;
            problem.Extensions["field"] = inputError.Field;
            problem.Type = TypeUri(inputError.Code);
            problem.Title = inputError.Title;
            problem.Detail = inputError.Detail;
            return;
        }

        var (code, title, detail) = problem.Status switch
        {
            StatusCodes.Status400BadRequest => ("request.invalid", "请求格式有误", "请求内容无法解析，请检查 JSON 格式、字段类型和必填项。"),
            StatusCodes.Status401Unauthorized => ("auth.required", "需要登录", "请先登录后再访问。"),
            StatusCodes.Status403Forbidden => ("auth.forbidden", "无权访问", "您的角色或管辖范围不允许此操作。"),
            StatusCodes.Status404NotFound => ("request.not_found", "未找到", "请求的地址或资源不存在。"),
            StatusCodes.Status405MethodNotAllowed => ("request.method_not_allowed", "请求方法不允许", "该地址不支持此 HTTP 方法。"),
            StatusCodes.Status413PayloadTooLarge => ("request.too_large", "请求内容过大", TooLargeDetail(context.HttpContext)),
            StatusCodes.Status415UnsupportedMediaType => ("request.unsupported_media_type", "内容类型不支持",
                "请求正文的 Content-Type 不被此接口支持，本次请求未处理。JSON 接口请使用 application/json，上传文件请使用 multipart/form-data。"),
            StatusCodes.Status429TooManyRequests => ("request.too_many", "请求过于频繁", "请稍后重试。"),
            >= 500 => ("server.error", "服务器内部错误", "服务器处理请求时出错，已记录日志。请稍后重试或联系系统管理员。"),
            _ => ("request.failed", "请求失败", "请求未能完成。"),
        };
        problem.Extensions["code"] = code;
        problem.Type = TypeUri(code);
        problem.Title = title;

        // Framework details are English and may echo internals, so users get the Chinese text instead.
        problem.Detail = detail;
    }

    /// <summary>
    /// States the body size limit that applied to the request: Kestrel's MaxRequestBodySize, or the
    /// endpoint's own limit where one raised or lowered it (RequestSizeLimitAttribute). A server
    /// without the feature (the test server) or without a limit gets the text without a number.
    /// NOTE: a test covers Kestrel's limit only. The endpoint limit of the passage batch (8 MiB) is
    /// read from the same feature, but no test sends a body that large.
    /// </summary>
    private static string TooLargeDetail(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is not { } limit)
        {
            return "请求内容超过允许的大小，本次请求未处理。请减小内容后重新发送。";
        }

        var size = limit >= 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{limit / 1024.0 / 1024.0:0.#} MB")
            : string.Create(CultureInfo.InvariantCulture, $"{limit / 1024.0:0.#} KB");
        return string.Create(CultureInfo.InvariantCulture,
            $"请求内容超过本接口允许的上限 {size}（{limit} 字节），本次请求未处理。请减小内容或分批提交后重新发送。");
    }

    /// <summary>
    /// A form post whose antiforgery token is missing or no longer valid (page open too long, signed
    /// in again since). Nothing of the post was processed.
    /// </summary>
    public static readonly Error FormTokenInvalid = new("request.antiforgery_invalid", "页面已过期，请重新提交",
        "表单校验信息缺失或已失效（页面停留过久，或其间重新登录过）。本次提交未处理，请刷新页面后重新填写提交。", StatusCodes.Status400BadRequest);

    /// <summary>
    /// Names the route, query or header parameter a handler could not parse, and the values it takes. The
    /// framework names the failed parameter only in the message of the exception it throws
    /// (RouteHandlerOptions.ThrowOnBadRequest), so the name is read from there. The value sent is
    /// not repeated, because it may be personal data.
    /// </summary>
    private static Error? UnboundParameterError(ProblemDetailsContext context, BadHttpRequestException exception)
    {
        var match = BindingFailure().Match(exception.Message);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        // The exception handler clears the request's endpoint and passes its metadata along instead.
        var metadata = context.AdditionalMetadata ?? context.HttpContext.GetEndpoint()?.Metadata;
        var parameter = metadata?.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(p => p.Name == name || p.GetCustomAttribute<FromQueryAttribute>()?.Name == name);
        var shownName = parameter?.GetCustomAttribute<FromQueryAttribute>()?.Name ?? name;
        var type = parameter is null ? null : Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        var expected = ExpectedValues(type);
        var detail = expected is null ? $"参数“{shownName}”的值无效。" : $"参数“{shownName}”的值无效，应为{expected}。";
        return Error.Invalid("request.invalid_parameter", shownName, detail);
    }

    /// <summary>The values a parameter or field of <paramref name="type"/> takes, in Chinese, or null for types without a short description.</summary>
    public static string? ExpectedValues(Type? type)
    {
        var plain = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return plain switch
        {
            null => null,
            { IsEnum: true } => "以下之一：" + EnumNames.Allowed(plain),
            _ when plain == typeof(DateOnly) => "日期，格式如 2026-12-01",
            _ when plain == typeof(DateTimeOffset) => "带时区的时间，格式如 2026-12-01T08:00:00+08:00",
            _ when plain == typeof(Guid) => "由 32 位十六进制数字和 4 个连字符组成的编号，格式如 3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            _ when plain == typeof(bool) => "true 或 false",
            _ when plain == typeof(int) || plain == typeof(long) => "整数",
            _ when plain == typeof(double) || plain == typeof(decimal) => "数字",
            _ when plain == typeof(string) => "文字（JSON 字符串）",
            _ => null,
        };
    }

    // The framework's wording for a route, query or header value it cannot parse: Failed to bind parameter "CaseState? state" from "x".
    [GeneratedRegex("""^Failed to bind parameter "[^"]* (?<name>\w+)" from""")]
    private static partial Regex BindingFailure();

    public static ProblemHttpResult Invalid(string code, string field, string detail) => From(Error.Invalid(code, field, detail));
}
