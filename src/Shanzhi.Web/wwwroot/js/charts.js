// ECharts bar charts of the KPI page.
import { loadScript } from "./api.js";

const charts = new Map();

// series: [{ name, values, percent }] drawn against categories (units, districts or months).
export async function renderBars(element, categories, series) {
    if (!window.echarts) {
        await loadScript("lib/echarts/echarts.common.min.js");
    }
    let chart = charts.get(element);
    if (!chart) {
        chart = echarts.init(element, null, { renderer: "canvas" });
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(element);
        charts.set(element, { chart, observer });
    } else {
        chart = chart.chart;
    }
    chart.setOption({
        tooltip: { trigger: "axis", valueFormatter: v => (v == null ? "—" : `${v}%`) },
        legend: { top: 0 },
        grid: { left: 48, right: 16, bottom: 72, top: 40 },
        xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: series.map(s => ({ name: s.name, type: "bar", data: s.values, barMaxWidth: 28 })),
    }, true);
    element.dataset.chartReady = "true";
}

export function dispose(element) {
    const entry = charts.get(element);
    if (entry) {
        entry.observer.disconnect();
        entry.chart.dispose();
        charts.delete(element);
    }
}
