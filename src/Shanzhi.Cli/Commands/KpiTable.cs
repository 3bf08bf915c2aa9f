using System.Globalization;
using System.Text;
using Shanzhi.Cases;
using Shanzhi.Cases.Kpi;

namespace Shanzhi.Cli.Commands;

/// <summary>Renders a KPI report as a Chinese text table for the terminal.</summary>
internal static class KpiTable
{
    private static readonly string[] Header =
        ["上报", "应结案", "结案", "按期结案", "结案率", "按期结案率", "返工率", "延期率", "准确派遣率", "平均处置时长(小时)"];

    public static string Render(KpiReport report, string groupName, string? scopeCode, DateOnly? from, DateOnly? to)
    {
        var text = new StringBuilder();
        var period = $"{from?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "不限"} 至 "
            + (to?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "当前");
        text.AppendLine(CultureInfo.InvariantCulture, $"案件考核指标　统计期：{period}（北京时间）　范围：{scopeCode ?? "全部"}");

        List<string[]> rows = [[groupName, .. Header]];
        rows.AddRange(report.Rows.Select(r => Cells(r.Name, r.Figures)));
        rows.Add(Cells("合计", report.Total));
        AppendAligned(text, rows);

        var states = report.StateCounts
            .Where(s => s.Value > 0)
            .Select(s => $"{CaseStates.ChineseName(s.Key)} {s.Value}");
        text.AppendLine(CultureInfo.InvariantCulture, $"统计期内上报案件的状态：{string.Join("，", states.DefaultIfEmpty("无"))}");
        return text.ToString();
    }

    private static string[] Cells(string name, KpiFigures figures) =>
    [
        name,
        Count(figures.Reported),
        Count(figures.Due),
        Count(figures.Closed),
        Count(figures.ClosedOnTime),
        Percent(figures.ClosingRate),
        Percent(figures.OnTimeClosingRate),
        Percent(figures.ReworkRate),
        Percent(figures.ExtensionRate),
        Percent(figures.DispatchAccuracyRate),
        figures.MeanHandlingHours?.ToString("0.0", CultureInfo.InvariantCulture) ?? "—",
    ];

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(decimal? rate) =>
        rate is { } value ? (value * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Pads the first column on the right and the others on the left, counting CJK characters as two columns.</summary>
    private static void AppendAligned(StringBuilder text, List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => DisplayWidth(r[i]))).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var padding = new string(' ', widths[i] - DisplayWidth(row[i]));
                text.Append(i == 0 ? row[i] + padding : "  " + padding + row[i]);
            }

            text.AppendLine();
        }
    }

    private static int DisplayWidth(string value) => value.Sum(c => IsWide(c) ? 2 : 1);

    // East Asian wide and full-width ranges: CJK ideographs and punctuation, Hangul, full-width forms.
    private static bool IsWide(char c) =>
        c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3')
            or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60')
            or (>= '\uFFE0' and <= '\uFFE6');
}
