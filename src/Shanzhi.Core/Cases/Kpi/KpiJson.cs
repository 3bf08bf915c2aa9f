using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Shanzhi.Cases.Kpi;

/// <summary>
/// Writes a <see cref="KpiReport"/> as JSON with stable camelCase keys, for the CLI and for
/// machine readers. Rates are fractions rounded to 4 decimals (0.01 %), as bulletins publish them.
/// </summary>
public static class KpiJson
{
    public static string Serialize(KpiReport report, bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            Write(writer, report);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, KpiReport report)
    {
        writer.WriteStartObject();
        WriteInstant(writer, "from", report.From);
        WriteInstant(writer, "to", report.To);
        writer.WriteString("scopePath", report.ScopePath);
        writer.WriteString("groupBy", JsonNamingPolicy.CamelCase.ConvertName(report.GroupBy.ToString()));
        writer.WritePropertyName("total");
        WriteFigures(writer, report.Total);
        writer.WriteStartArray("rows");
        foreach (var row in report.Rows)
        {
            writer.WriteStartObject();
            writer.WriteString("key", row.Key);
            writer.WriteString("name", row.Name);
            writer.WritePropertyName("figures");
            WriteFigures(writer, row.Figures);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter writer, KpiFigures figures)
    {
        writer.WriteStartObject();
        writer.WriteNumber("reported", figures.Reported);
        writer.WriteNumber("due", figures.Due);
        writer.WriteNumber("closed", figures.Closed);
        writer.WriteNumber("closedOnTime", figures.ClosedOnTime);
        writer.WriteNumber("extended", figures.Extended);
        writer.WriteNumber("reworked", figures.Reworked);
        writer.WriteNumber("dispatches", figures.Dispatches);
        writer.WriteNumber("dispatchesReturned", figures.DispatchesReturned);
        writer.WriteNumber("open", figures.Open);
        WriteRate(writer, "closingRate", figures.ClosingRate);
        WriteRate(writer, "onTimeClosingRate", figures.OnTimeClosingRate);
        WriteRate(writer, "reworkRate", figures.ReworkRate);
        WriteRate(writer, "extensionRate", figures.ExtensionRate);
        WriteRate(writer, "dispatchAccuracyRate", figures.DispatchAccuracyRate);
        WriteHours(writer, "meanHandlingHours", figures.MeanHandlingHours);
        WriteHours(writer, "meanHandlingWorkingHours", figures.MeanHandlingWorkingHours);
        writer.WriteStartObject("stateCounts");
        foreach (var (state, count) in figures.StateCounts.OrderBy(s => s.Key))
        {
            writer.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(state.ToString()), count);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            writer.WriteString(name, ShanghaiTime.ToLocal(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteRate(Utf8JsonWriter writer, string name, decimal? rate)
    {
        if (rate is { } value)
        {
            writer.WriteNumber(name, Math.Round(value, 4, MidpointRounding.AwayFromZero));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteHours(Utf8JsonWriter writer, string name, double? hours)
    {
        if (hours is { } value)
        {
            writer.WriteNumber(name, Math.Round(value, 2, MidpointRounding.AwayFromZero));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
