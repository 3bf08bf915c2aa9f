// Leaflet maps of the staff console: the location picker of the report form and the city map.
import { getJson, loadScript } from "./api.js";

const ningboCentre = [29.87, 121.55];
const gridMinZoom = 13;
const maps = new Map();

// Marker colours follow the state tags of the case pages; overdue wins over the state.
const overdueColour = "#f5222d";
const stateColours = {
    Reported: "#1677ff", Filed: "#1677ff",
    Dispatched: "#2f54eb", InProgress: "#2f54eb",
    Resolved: "#13c2c2", Verifying: "#13c2c2",
    Rework: "#fa8c16", Returned: "#fa8c16",
    Suspended: "#faad14",
    Closed: "#52c41a",
};
const stateNames = ["Reported", "Filed", "Rejected", "Dispatched", "InProgress", "Resolved", "Verifying", "Closed",
    "Rework", "Returned", "Suspended", "Merged"];

async function ensureLeaflet() {
    if (!window.L) {
        await loadScript("lib/leaflet/leaflet.js");
    }
    L.Icon.Default.imagePath = "lib/leaflet/images/";
}

function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text ?? "";
    return div.innerHTML;
}

async function createBaseMap(element, options) {
    await ensureLeaflet();
    dispose(element);
    const map = L.map(element, { preferCanvas: true, zoomSnap: 0.25, maxZoom: 18, attributionControl: Boolean(options?.tileUrl) })
        .setView(ningboCentre, 9);
    // Without a configured tile service (intranet) the boundaries draw on a plain background.
    if (options?.tileUrl) {
        L.tileLayer(options.tileUrl, { attribution: options.tileAttribution ?? "", maxZoom: 18 }).addTo(map);
    }
    const state = { map, interactive: options?.interactiveBoundaries ?? true };
    maps.set(element, state);
    return state;
}

async function addDistricts(state, element) {
    try {
        const geo = await getJson("api/v1/regions/boundaries?level=district");
        const layer = L.geoJSON(geo, {
            interactive: state.interactive,
            style: { color: "#1677ff", weight: 1.5, fillColor: "#1677ff", fillOpacity: 0.04 },
            onEachFeature: (feature, l) => {
                if (state.interactive) {
                    l.bindTooltip(escapeHtml(feature.properties?.name), { sticky: true });
                }
            },
        }).addTo(state.map);
        const bounds = layer.getBounds();
        if (bounds.isValid()) {
            // The container may have been laid out after the map was created.
            state.map.invalidateSize();
            state.map.fitBounds(bounds, { padding: [8, 8] });
        }
        element.dataset.districts = String(geo.features?.length ?? 0);
        return true;
    } catch (error) {
        console.warn(error);
        element.dataset.districts = "error";
        return false;
    }
}

// Ten thousand grids are noise at city scale: they are fetched once and drawn only when zoomed in.
function addGridsWhenZoomed(state, element) {
    let layer = null;
    let loading = null;
    const update = async () => {
        const show = state.map.getZoom() >= gridMinZoom;
        if (show && !layer) {
            loading ??= getJson("api/v1/regions/boundaries?level=grid")
                .then(geo => {
                    layer = L.geoJSON(geo, {
                        interactive: state.interactive,
                        style: { color: "#8c8c8c", weight: 0.6, dashArray: "2 3", fill: false },
                        onEachFeature: (feature, l) => {
                            if (state.interactive) {
                                l.bindTooltip(escapeHtml(feature.properties?.name));
                            }
                        },
                    });
                    element.dataset.grids = String(geo.features?.length ?? 0);
                })
                .catch(error => {
                    console.warn(error);
                    element.dataset.grids = "error";
                });
            await loading;
        }
        if (layer) {
            if (state.map.getZoom() >= gridMinZoom) {
                layer.addTo(state.map);
            } else {
                layer.remove();
            }
        }
    };
    state.map.on("zoomend", update);
}

// Report form: a click places the marker and asks .NET which grid contains the point.
export async function createPicker(element, dotNetRef, options) {
    const state = await createBaseMap(element, { ...options, interactiveBoundaries: false });
    state.map.on("click", async event => {
        const { lat, lng } = event.latlng;
        if (state.marker) {
            state.marker.setLatLng(event.latlng);
        } else {
            state.marker = L.marker(event.latlng).addTo(state.map);
        }
        await dotNetRef.invokeMethodAsync("OnMapClicked", lat, lng);
    });
    addGridsWhenZoomed(state, element);
    const districts = await addDistricts(state, element);
    element.dataset.mapReady = "true";
    return districts;
}

// City map: districts, grids when zoomed in, and one dot per case in the user's scope.
export async function createCityMap(element, options) {
    const state = await createBaseMap(element, options);
    addGridsWhenZoomed(state, element);
    const districts = await addDistricts(state, element);

    let cases = 0;
    try {
        const points = await getJson("api/v1/cases/map-points");
        const layer = L.layerGroup();
        for (const p of points) {
            const stateName = typeof p.state === "number" ? stateNames[p.state] : p.state;
            const colour = p.overdue ? overdueColour : (stateColours[stateName] ?? "#8c8c8c");
            L.circleMarker([p.latitude, p.longitude], { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 })
                .bindPopup(`<a href="cases/${encodeURIComponent(p.id)}">${escapeHtml(p.caseNo)}</a><br>`
                    + `${escapeHtml(p.title)}<br>${escapeHtml(p.stateName)}${p.overdue ? "（超期）" : ""}`)
                .addTo(layer);
        }
        layer.addTo(state.map);
        cases = points.length;
        element.dataset.cases = String(cases);
    } catch (error) {
        console.warn(error);
        element.dataset.cases = "error";
    }
    element.dataset.mapReady = "true";
    return { districts, cases };
}

export function dispose(element) {
    const state = maps.get(element);
    if (state) {
        state.map.remove();
        maps.delete(element);
    }
}

// Pixel position of a coordinate inside the map element, so browser tests click a known place.
// The map first centres on the coordinate when it lies outside the current view.
export function containerPoint(element, latitude, longitude) {
    const map = maps.get(element)?.map;
    if (!map) {
        return null;
    }
    if (!map.getBounds().contains([latitude, longitude])) {
        map.setView([latitude, longitude], map.getZoom(), { animate: false });
    }
    const point = map.latLngToContainerPoint([latitude, longitude]);
    return { x: point.x, y: point.y };
}
