using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Shanzhi.Web.Components.Field;

namespace Shanzhi.Web.Api;

/// <summary>
/// Rejects input no field may contain before it reaches a handler or the store: control
/// characters in query strings, forms and JSON strings, and JSON in a charset other than UTF-8.
/// The phone pages' forms are left to the pages, which show the form again with a Chinese error.
/// </summary>
public static class InputHygiene
{
    public static WebApplication UseInputHygiene(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (await FindProblemAsync(context.Request) is { } error)
            {
                await Problems.From(error).ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        return app;
    }

    private static async Task<Error?> FindProblemAsync(HttpRequest request)
    {
        if (FieldWithControlCharacters(request.Query) is { } badQuery)
        {
            return InvalidCharacters(badQuery);
        }

        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType))
        {
            if (contentType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                && contentType.Charset.HasValue && !contentType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                return new Error("request.unsupported_charset", "字符编码不支持", "JSON 请求只支持 UTF-8 编码，请使用 application/json; charset=utf-8。", 415);
            }

            // The phone pages check their own forms with FieldWithControlCharacters and show the error on the form.
            if (contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                && request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<FieldPageAttribute>() is null)
            {
                IFormCollection form;
                try
                {
                    form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
                }
                catch (InvalidDataException)
                {
                    // The form reader itself rejects an encoded NUL ("%00") or a malformed body.
                    return InvalidCharacters("form");
                }

                if (FieldWithControlCharacters(form) is { } badField)
                {
                    return InvalidCharacters(badField);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The first name or value of a query string or form with a control character other than tab
    /// and line breaks (<see cref="TextRules.HasControlCharacters"/>), or null when all are clean.
    /// </summary>
    public static string? FieldWithControlCharacters(IEnumerable<KeyValuePair<string, StringValues>> fields)
    {
        foreach (var (key, values) in fields)
        {
            if (TextRules.HasControlCharacters(key) || values.Any(TextRules.HasControlCharacters))
            {
                return key;
            }
        }

        return null;
    }

    private static Error InvalidCharacters(string field) => Error.Invalid("request.invalid_characters", field,
        $"字段“{field}”含有不允许的控制字符（如 \\0），请删除后重新提交。");

    /// <summary>Reads JSON strings and rejects control characters other than tab and line breaks.</summary>
    public sealed class StringWithoutControlCharacters : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return TextRules.HasControlCharacters(value)
                ? throw new JsonException("A JSON string contains a control character other than tab, line feed or carriage return.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
