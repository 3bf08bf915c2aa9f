using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shanzhi.Web;

/// <summary>
/// JSON conventions of the API: camelCase, enums as names, no nulls dropped. Request bodies are
/// read strictly: unknown fields, a field repeated in one object, enum numbers and numbers sent as
/// strings are rejected, so that a misspelled or mistyped field fails loudly instead of being
/// ignored (see <see cref="Api.StrictJson"/> for the problems they get).
/// </summary>
public static class ShanzhiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;

        // The web defaults read "123" as a number; a client that sends strings has a bug worth reporting.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new Api.EnumNamesOnly());
        options.Converters.Add(new Api.InputHygiene.StringWithoutControlCharacters());
        options.Converters.Add(new Api.StrictDates.InstantWithOffset());
        options.Converters.Add(new Api.StrictDates.SupportedDay());
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    }

    public static string KebabCase(string pascal)
    {
        var builder = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
