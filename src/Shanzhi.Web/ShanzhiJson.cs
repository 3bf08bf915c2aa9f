using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shanzhi.Web;

/// <summary>JSON conventions of the API: camelCase, enums as strings, no nulls dropped.</summary>
public static class ShanzhiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter());
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
