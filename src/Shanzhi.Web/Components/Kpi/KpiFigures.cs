using System.Globalization;
using System.Text.Json;

namespace Shanzhi.Web.Components.Kpi;

/// <summary>
/// One row of the KPI response (<c>GET /api/v1/kpi</c>). Rates arrive as fractions (0.9372) and are
/// shown as percentages. A rate is null when its denominator is zero.
/// </summary>
// NOTE: the response shape is not fixed yet. The field names and fraction-valued rates are assumed.
public sealed record KpiFigures(
    string Key,
    string Name,
    int DueToClose,
    int Closed,
    int ClosedOnTime,
    double? ClosingRate,
    double? OnTimeClosingRate,
    double? ReworkRate,
    double? ExtensionRate,
    double? AccurateDispatchRate,
    double? MeanHandlingHours)
{
    public static KpiFigures Parse(JsonElement e) => new(
        Text(e, "key"),
        Text(e, "name"),
        Count(e, "dueToClose"),
        Count(e, "closed"),
        Count(e, "closedOnTime"),
        Number(e, "closingRate"),
        Number(e, "onTimeClosingRate"),
        Number(e, "reworkRate"),
        Number(e, "extensionRate"),
        Number(e, "accurateDispatchRate"),
        Number(e, "meanHandlingHours"));

    public static string Percent(double? rate) =>
        rate is { } value ? (value * 100).ToString("F2", CultureInfo.InvariantCulture) + "%" : "—";

    public static double? PercentValue(double? rate) => rate is { } value ? Math.Round(value * 100, 2) : null;

    public static string Hours(double? hours) =>
        hours is { } value ? value.ToString("F1", CultureInfo.InvariantCulture) + " 小时" : "—";

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() ?? "" : "";

    private static int Count(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : 0;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetDouble() : null;
}
