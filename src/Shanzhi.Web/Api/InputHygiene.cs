using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
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

    /// <summary>
    /// The input rules of the API's endpoints in one convention: unknown query parameters
    /// (<see cref="RejectUnknownQueryParameters"/>) and a body the endpoint does not read or of a
    /// content type it does not take (<see cref="RequestBodies.CheckRequestBody"/>) are rejected.
    /// </summary>
    public static TBuilder RejectUnexpectedInput<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, Error>? refused = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RejectUnknownQueryParameters(refused).CheckRequestBody();

    /// <summary>
    /// Rejects a query parameter the endpoint's handler does not bind with 400
    /// <c>request.unknown_parameter</c>, instead of ignoring it. An ignored filter such as
    /// <c>?name=</c> returns the unfiltered list as if it had matched. The allowed names are the
    /// handler's parameters bound from the query (by <c>[FromQuery]</c> or by a simple type whose
    /// name is not a route value), compared in any letter case as the binder does.
    /// <paramref name="refused"/> gives chosen names their own problem, such as an ID number that
    /// does not belong in a URL. The problem names the parameter but never repeats its value.
    /// </summary>
    public static TBuilder RejectUnknownQueryParameters<TBuilder>(this TBuilder builder, IReadOnlyDictionary<string, Error>? refused = null)
        where TBuilder : IEndpointConventionBuilder
    {
        var refusedNames = refused is null
            ? new Dictionary<string, Error>(StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, Error>(refused, StringComparer.OrdinalIgnoreCase);
        return builder.AddEndpointFilterFactory((factory, next) =>
        {
            var allowed = QueryParameterNames(factory.MethodInfo);
            var enums = EnumQueryParameters(factory.MethodInfo);
            return async context =>
            {
                var request = context.HttpContext.Request;
                foreach (var name in request.Query.Keys)
                {
                    if (refusedNames.TryGetValue(name, out var error))
                    {
                        return Problems.From(error);
                    }

                    if (!allowed.Contains(name) || request.RouteValues.ContainsKey(name))
                    {
                        return Problems.From(UnknownParameter(name, allowed.Where(a => !request.RouteValues.ContainsKey(a))));
                    }

                    // Binding reads an enum with Enum.TryParse, which also takes numbers and comma lists
                    // ("Green,Red" is the flags combination of both), and takes the first of repeated values.
                    if (enums.TryGetValue(name, out var type) && request.Query[name] is var values
                        && (values.Count != 1 || !Enum.GetNames(type).Contains(values[0], StringComparer.Ordinal)))
                    {
                        return Problems.From(InvalidEnumParameter(name, type));
                    }
                }

                return await next(context);
            };
        });
    }

    /// <summary>The query names a handler binds: <c>[FromQuery]</c> parameters and simple-typed parameters with no other source.</summary>
    private static HashSet<string> QueryParameterNames(MethodInfo handler)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            var attributes = parameter.GetCustomAttributes(inherit: true);
            if (attributes.OfType<IFromQueryMetadata>().FirstOrDefault() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
            }
            else if (!attributes.Any(a => a is IFromRouteMetadata or IFromBodyMetadata or IFromServiceMetadata or IFromHeaderMetadata or IFromFormMetadata)
                     && BindsFromText(parameter.ParameterType))
            {
                names.Add(parameter.Name!);
            }
        }

        return names;
    }

    /// <summary>The enum type of each single-valued enum parameter among the query names a handler binds.</summary>
    private static Dictionary<string, Type> EnumQueryParameters(MethodInfo handler)
    {
        var names = QueryParameterNames(handler);
        var enums = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in handler.GetParameters())
        {
            var name = parameter.GetCustomAttributes(inherit: true).OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? parameter.Name!;
            var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            if (type.IsEnum && names.Contains(name))
            {
                enums[name] = type;
            }
        }

        return enums;
    }

    private static Error InvalidEnumParameter(string name, Type type)
    {
        var expected = Problems.ExpectedValues(type);
        return Error.Invalid("request.invalid_parameter", name, expected is null
            ? $"参数“{name}”的值无效，请只给出一个取值。"
            : $"参数“{name}”的值无效，应为{expected}中的一个（区分大小写），且只能给出一次。");
    }

    /// <summary>Whether minimal APIs bind a parameter of this type from a route or query string, as they do for strings, enums and types with TryParse.</summary>
    private static bool BindsFromText(Type type)
    {
        var plain = type.IsArray ? type.GetElementType()! : type;
        plain = Nullable.GetUnderlyingType(plain) ?? plain;
        return plain == typeof(string) || plain.IsEnum || plain.IsPrimitive
               || plain.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == "TryParse");
    }

    private static Error UnknownParameter(string name, IEnumerable<string> allowed)
    {
        var shown = name.Length > 40 ? name[..40] : name;
        var known = string.Join("、", allowed.Order(StringComparer.Ordinal));
        var detail = known.Length == 0
            ? $"查询参数“{shown}”未定义，此接口不接受查询参数。请删除后重试。"
            : $"查询参数“{shown}”未定义，此接口只接受：{known}。请删除该参数或检查拼写。";
        return Error.Invalid("request.unknown_parameter", shown, detail);
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
                ? throw new InvalidJsonValueException("A JSON string contains a control character other than tab, line feed or carriage return.",
                    typeof(string), "含有不允许的控制字符（如 \\u0000），请删除后重新提交。")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
