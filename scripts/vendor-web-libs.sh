#!/usr/bin/env bash
# Copy the browser libraries the staff console uses from npm into src/Shanzhi.Web/wwwroot/lib.
# The platform runs on intranets without internet access, so nothing is loaded from a CDN.
# Versions are pinned; bump them here and rerun, then commit the changed files.
#   scripts/vendor-web-libs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

leaflet_version=1.9.4
echarts_version=6.1.0
lib=src/Shanzhi.Web/wwwroot/lib

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

unpack() {
    local name=$1 version=$2
    (cd "$work" && npm pack --silent "$name@$version" >/dev/null)
    mkdir -p "$work/$name"
    tar xzf "$work/$name-$version.tgz" -C "$work/$name"
}

unpack leaflet "$leaflet_version"
rm -rf "$lib/leaflet"
mkdir -p "$lib/leaflet/images"
cp "$work/leaflet/package/dist/leaflet.js" "$work/leaflet/package/dist/leaflet.css" "$work/leaflet/package/LICENSE" "$lib/leaflet/"
cp "$work/leaflet/package/dist/images/"*.png "$lib/leaflet/images/"

# The "common" build holds the bar, line and pie charts most pages draw, at two thirds of the full
# size; the full build adds the graph series of the investigation page and loads only there.
unpack echarts "$echarts_version"
rm -rf "$lib/echarts"
mkdir -p "$lib/echarts"
cp "$work/echarts/package/dist/echarts.common.min.js" "$work/echarts/package/dist/echarts.min.js" "$work/echarts/package/LICENSE" "$work/echarts/package/NOTICE" "$lib/echarts/"
cp "$work/echarts/package/licenses/"* "$lib/echarts/"

printf 'leaflet %s\necharts %s\n' "$leaflet_version" "$echarts_version" > "$lib/VERSIONS"
echo "Vendored leaflet $leaflet_version and echarts $echarts_version into $lib"
