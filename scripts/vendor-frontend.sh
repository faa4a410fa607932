#!/usr/bin/env bash
# Copy the desk's front-end libraries from frontend/node_modules into the Python package,
# so that `pip install sitrep` serves the web page offline without npm.
#   cd frontend && npm ci --ignore-scripts && cd .. && scripts/vendor-frontend.sh
# The vendored files are committed; rerun this after changing frontend/package.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
modules="$root/frontend/node_modules"
vendor="$root/src/sitrep/api/static/vendor"

if [[ ! -d "$modules" ]]; then
    echo "error: $modules is missing; run 'npm ci --ignore-scripts' in frontend/ first" >&2
    exit 1
fi

rm -rf "$vendor"
mkdir -p "$vendor/leaflet/images" "$vendor/leaflet.markercluster" "$vendor/topojson-client" \
    "$vendor/world-atlas"

cp "$modules/leaflet/dist/leaflet.js" "$modules/leaflet/dist/leaflet.css" "$vendor/leaflet/"
cp "$modules/leaflet/dist/images/"*.png "$vendor/leaflet/images/"
cp "$modules/leaflet/LICENSE" "$vendor/leaflet/LICENSE"

cp "$modules/leaflet.markercluster/dist/leaflet.markercluster.js" \
    "$modules/leaflet.markercluster/dist/MarkerCluster.css" \
    "$modules/leaflet.markercluster/dist/MarkerCluster.Default.css" \
    "$vendor/leaflet.markercluster/"
cp "$modules/leaflet.markercluster/MIT-LICENCE.txt" "$vendor/leaflet.markercluster/LICENSE"

cp "$modules/topojson-client/dist/topojson-client.min.js" "$vendor/topojson-client/"
cp "$modules/topojson-client/LICENSE" "$vendor/topojson-client/LICENSE"

# Natural Earth 1:50m country outlines (public domain), TopoJSON by world-atlas (ISC).
cp "$modules/world-atlas/countries-50m.json" "$vendor/world-atlas/"
cp "$modules/world-atlas/LICENSE" "$vendor/world-atlas/LICENSE"

# Strip source-map comments: the maps are not vendored, and browsers would ask for them.
sed -i -e '/^\/\/# sourceMappingURL=/d' "$vendor/leaflet/leaflet.js" \
    "$vendor/leaflet.markercluster/leaflet.markercluster.js"

# Record exactly what was vendored.
node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const out = {};
for (const name of ["leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"]) {
  const p = lock.packages["node_modules/" + name];
  out[name] = { version: p.version, integrity: p.integrity, license: p.license || null };
}
fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + "\n");
' "$root/frontend/package-lock.json" "$vendor/VERSIONS.json"

echo "vendored into $vendor:"
(cd "$vendor" && find . -type f | sort)
