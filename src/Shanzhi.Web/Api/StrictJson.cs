using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Shanzhi.Web.Api;

/// <summary>
/// Strict reading of JSON request bodies and the problem each kind of rejected body gets: an
/// unknown field (<c>request.unknown_field</c>), a field sent twice in one object, also in
/// another letter case (<c>request.duplicate_field</c>), or a value of the wrong type or format
/// (<c>request.invalid_field</c>, with the values the field takes). The value sent is never
/// repeated, because it may be personal data.
/// </summary>
public static partial class StrictJson
{
    public const string UnknownFieldCode = "request.unknown_field";
    public const string DuplicateFieldCode = "request.duplicate_field";
    public const string InvalidFieldCode = "request.invalid_field";

    /// <summary>Longest field name repeated in a problem; longer names are cut.</summary>
    private const int MaxShownNameLength = 40;

    /// <summary>
    /// The problem for a body the serializer rejected, or null when the exception names no field
    /// (a syntax error such as a missing bracket), which gets the generic <c>request.invalid</c>.
    /// </summary>
    public static Error? BodyError(JsonException exception)
    {
        var at = FieldPath(exception.Path);

        // System.Text.Json names the unknown or repeated property only in its English message.
        if (UnmappedMember().Match(exception.Message) is { Success: true } unmapped)
        {
            var field = Shorten(Join(Parent(at), unmapped.Groups["name"].Value));
            return Error.Invalid(UnknownFieldCode, field, $"字段“{field}”未定义，请删除该字段或检查拼写。各接口接受的字段见 API 文档。");
        }

        if (DuplicateProperty().Match(exception.Message) is { Success: true } duplicate)
        {
            var field = Shorten(Join(Parent(at), duplicate.Groups["name"].Value));
            return Error.Invalid(DuplicateFieldCode, field, $"字段“{field}”在同一对象中出现了不止一次（字段名不区分大小写），请只保留一个。");
        }

        // A syntax error (truncated body, missing comma) comes wrapped around the reader's exception.
        if (at is null || exception.InnerException is JsonException)
        {
            return null;
        }

        var name = Shorten(at);
        if (exception is InvalidJsonValueException { Reason: { } reason })
        {
            return Error.Invalid(InvalidFieldCode, name, $"字段“{name}”{reason}");
        }

        var expected = exception is InvalidJsonValueException { ExpectedType: { } type }
            ? Problems.ExpectedValues(type)
            : Problems.ExpectedValues(ConvertedType(exception.Message)) ?? ExpectedToken(exception.InnerException);
        var detail = expected is null
            ? $"字段“{name}”的值无效，请检查类型和格式。"
            : $"字段“{name}”的值无效，应为{expected}。";
        return Error.Invalid(InvalidFieldCode, name, detail);
    }

    /// <summary>The JSON path without its root: <c>$.items[0].status</c> becomes <c>items[0].status</c>; the root alone becomes null.</summary>
    private static string? FieldPath(string? path) => path switch
    {
        null or "" or "$" => null,
        _ when path.StartsWith("$.", StringComparison.Ordinal) => path[2..],
        _ when path.StartsWith('$') => path[1..],
        _ => path,
    };

    /// <summary>
    /// The object that contains the property at <paramref name="path"/>. The name of an unknown or
    /// repeated property is taken from the message and joined to this path, so the result is the
    /// same whether the serializer's path ends at the property or at its object.
    /// </summary>
    private static string? Parent(string? path)
    {
        if (path is null || path.EndsWith(']'))
        {
            return path;
        }

        var dot = path.LastIndexOf('.');
        return dot < 0 ? null : path[..dot];
    }

    private static string Join(string? parent, string name)
    {
        if (parent is null)
        {
            return name;
        }

        // The path may already end with the property (the serializer is positioned on it).
        return parent.EndsWith("." + name, StringComparison.Ordinal) || parent == name ? parent : $"{parent}.{name}";
    }

    private static string Shorten(string name) => name.Length > MaxShownNameLength ? name[..MaxShownNameLength] : name;

    /// <summary>The target type named in the serializer's conversion message, when it is a type of the runtime library.</summary>
    private static Type? ConvertedType(string message)
    {
        var match = ConversionFailure().Match(message);
        return match.Success ? Type.GetType(match.Groups["type"].Value, throwOnError: false) : null;
    }

    /// <summary>
    /// The kind of JSON value the reader expected, from its message when a value of another kind
    /// was sent (a string where a number belongs). The serializer names the target type only for
    /// some targets, and not for the parameters of a record's constructor.
    /// </summary>
    private static string? ExpectedToken(Exception? inner)
    {
        var match = inner is InvalidOperationException ? TokenMismatch().Match(inner.Message) : Match.Empty;
        return match.Success
            ? match.Groups["expected"].Value switch
            {
                "number" => "数字（JSON 数值，不加引号）",
                "string" => "文字（JSON 字符串）",
                "boolean" => "true 或 false（不加引号）",
                _ => null,
            }
            : null;
    }

    // The reader's wording: Cannot get the value of a token type 'String' as a number.
    [GeneratedRegex("""^Cannot get the value of a token type '\w+' as an? (?<expected>\w+)""")]
    private static partial Regex TokenMismatch();

    [GeneratedRegex("""^The JSON property '(?<name>.*)' could not be mapped to any \.NET member""")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex("""^Duplicate propert(y|ies) '(?<name>.*?)'""")]
    private static partial Regex DuplicateProperty();

    [GeneratedRegex("""could not be converted to (?<type>\S+?)\. Path:""")]
    private static partial Regex ConversionFailure();
}

/// <summary>
/// A JSON value that is not one the field takes. <see cref="StrictJson.BodyError"/> shows
/// <see cref="Reason"/> after the field name when it is set, or else the values of <see cref="ExpectedType"/>.
/// </summary>
public sealed class InvalidJsonValueException(string message, Type? expectedType, string? reason = null) : JsonException(message)
{
    public Type? ExpectedType { get; } = expectedType;

    /// <summary>Chinese text that follows the field name, such as "含有不允许的控制字符……".</summary>
    public string? Reason { get; } = reason;
}

/// <summary>
/// Reads enums by name only, in any letter case. A number (<c>"status": 2</c>) or a numeric
/// string is rejected, because a number means nothing to a reader of the request and a renumbered
/// enum would silently change its meaning. Writes the name.
/// </summary>
public sealed class EnumNamesOnly : JsonConverterFactory
{
    private readonly JsonStringEnumConverter _names = new(namingPolicy: null, allowIntegerValues: false);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(NameConverter<>).MakeGenericType(typeToConvert), _names.CreateConverter(typeToConvert, options))!;

    private sealed class NameConverter<T>(JsonConverter<T> names) : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                try
                {
                    // The text must be one name: the converter also reads "Green,Yellow" as the
                    // flags combination of both, which may be another defined value.
                    var text = reader.GetString();
                    var value = names.Read(ref reader, typeToConvert, options);
                    if (Enum.IsDefined(value) && string.Equals(Enum.GetName(value), text, StringComparison.OrdinalIgnoreCase))
                    {
                        return value;
                    }
                }
                catch (JsonException)
                {
                    // Not a name of T: reported below with the names T has.
                }
            }

            throw new InvalidJsonValueException($"The JSON value is not a name of {typeof(T).Name}.", typeof(T));
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => names.Write(writer, value, options);

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            names.ReadAsPropertyName(ref reader, typeToConvert, options);

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            names.WriteAsPropertyName(writer, value, options);
    }
}
