using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shanzhi.Web.Api;

/// <summary>
/// JSON date rules for request bodies: an instant must carry its offset (<c>Z</c> or
/// <c>+08:00</c>), because a local time read as UTC puts a gate passage eight hours off, and every
/// date must lie in <see cref="PlatformDates"/>' range. A violation is a 400 like any malformed body,
/// and a date or time outside the range gets a message that names the range.
/// </summary>
public static class StrictDates
{
    public sealed class InstantWithOffset : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? throw new InvalidJsonValueException("A time must be a string.", typeof(DateTimeOffset));
            if (!PlatformDates.HasOffset(text))
            {
                throw new InvalidJsonValueException("A time must carry its UTC offset, such as Z or +08:00.", typeof(DateTimeOffset));
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                throw new InvalidJsonValueException("A time is not an ISO 8601 time.", typeof(DateTimeOffset));
            }

            if (!PlatformDates.IsSupported(value))
            {
                throw new InvalidJsonValueException("A time is not between 2000 and 2099.", typeof(DateTimeOffset), PlatformDates.OutOfRangeText);
            }

            return value;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value);
    }

    public sealed class SupportedDay : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new InvalidJsonValueException("A date is not yyyy-MM-dd.", typeof(DateOnly));
            }

            // A well-formed date outside the range gets a text naming the range, not the format hint.
            if (!PlatformDates.IsSupported(day))
            {
                throw new InvalidJsonValueException("A date is not between 2000-01-01 and 2099-12-31.", typeof(DateOnly), PlatformDates.OutOfRangeText);
            }

            return day;
        }

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}
