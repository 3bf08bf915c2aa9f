// ECharts contact graph of the investigation page: the index person, close contacts and their contacts.
import { loadScript } from "./api.js";

const charts = new Map();

// Degree 0 is the index person (确诊), 1 a close contact (密接), 2 a contact of a contact (次密接).
const categories = [
    { name: "确诊病例", itemStyle: { color: "#cf1322" } },
    { name: "密接", itemStyle: { color: "#fa8c16" } },
    { name: "次密接", itemStyle: { color: "#fadb14" } },
];

// Node sizes by degree: the index person largest.
const symbolSizes = [46, 32, 22];

// Tooltips are HTML; place names are typed in by staff.
const escape = text => String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

// The graph series is only in the full build; the common build other pages load lacks it.
async function echartsWithGraph() {
    await loadScript("lib/echarts/echarts.min.js");
    return window.echarts;
}

// graph: { index: "P1", edges: [{ from, to, degree, place, start, end, minutes }] } with person labels and Beijing times as text.
export async function render(element, graph) {
    const echarts = await echartsWithGraph();
    let entry = charts.get(element);
    if (!entry) {
        const chart = echarts.init(element, null, { renderer: "canvas" });
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(element);
        entry = { chart, observer };
        charts.set(element, entry);
    }

    const degrees = new Map([[graph.index, 0]]);
    for (const edge of graph.edges) {
        if (!degrees.has(edge.to) || degrees.get(edge.to) > edge.degree) {
            degrees.set(edge.to, edge.degree);
        }
        if (!degrees.has(edge.from)) {
            degrees.set(edge.from, edge.degree - 1);
        }
    }

    const nodes = [...degrees].map(([name, degree]) => ({
        name,
        category: degree,
        symbolSize: symbolSizes[degree],
        label: { show: true },
    }));
    const links = graph.edges.map(edge => ({
        source: edge.from,
        target: edge.to,
        evidence: edge,
        lineStyle: { width: edge.degree === 1 ? 2 : 1, type: edge.degree === 1 ? "solid" : "dashed" },
    }));

    entry.chart.setOption({
        tooltip: {
            formatter: params => {
                if (params.dataType !== "edge") {
                    return `${escape(params.data.name)}（${categories[params.data.category].name}）`;
                }
                const e = params.data.evidence;
                return `${escape(e.from)} → ${escape(e.to)}（${categories[e.degree].name}）<br/>场所：${escape(e.place)}<br/>`
                    + `时间：${escape(e.start)} 至 ${escape(e.end)}<br/>共处：${e.minutes} 分钟`;
            },
        },
        legend: [{ data: categories.map(c => c.name), top: 0 }],
        series: [{
            type: "graph",
            layout: "force",
            roam: true,
            draggable: true,
            categories,
            data: nodes,
            links,
            force: { repulsion: 260, edgeLength: [80, 160] },
            edgeSymbol: ["none", "arrow"],
            edgeSymbolSize: 8,
            emphasis: { focus: "adjacency" },
        }],
    }, true);
    element.dataset.chartReady = "true";
    element.dataset.nodes = String(nodes.length);
}

export function dispose(element) {
    const entry = charts.get(element);
    if (entry) {
        entry.observer.disconnect();
        entry.chart.dispose();
        charts.delete(element);
    }
}
