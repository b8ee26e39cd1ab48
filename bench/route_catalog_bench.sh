#!/bin/bash
# Routing at the scale of the real catalog: all-pairs shortest-delay routes between the 100 most populous
# cities over the bundled Starlink snapshot (10,238 satellites, planes inferred from the elements, the
# bundled 261 gateways and 23 PoPs, routes that may go down through gateways and over PoP fibre), per
# time step: skyfence (bench/route_bench.cpp --catalog starlink) against networkx routing the very graphs
# skyfence built (bench/route_graph_bench.py on --dump-graph), with the agreement of their delays. Not a
# test.
#   bench/route_catalog_bench.sh [BUILD_DIR]      (default: build; needs the route_bench target built)
# Environment: STEPS (default 30) skyfence steps, PEER_STEPS (default 3) networkx steps.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
DRIVER="$BUILD/bench/route_bench"
[[ -x "$DRIVER" ]] || { echo "build the driver first: cmake --build $BUILD --target route_bench" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "load before: $(uptime | sed 's/.*load average: //')"
"$DRIVER" --catalog starlink --ground-relay --steps "${STEPS:-30}" > "$OUT/relay.txt"
"$DRIVER" --catalog starlink --ground-relay --steps "${STEPS:-30}" --threads 1 > "$OUT/relay1.txt"
"$DRIVER" --catalog starlink --ground-relay --steps "${STEPS:-30}" --cold > "$OUT/cold.txt"
"$DRIVER" --catalog starlink --steps "${STEPS:-30}" > "$OUT/isl.txt"
mkdir -p "$OUT/graph"
"$DRIVER" --catalog starlink --ground-relay --steps "${PEER_STEPS:-3}" --dump-graph "$OUT/graph" > /dev/null
/usr/bin/python3 bench/route_graph_bench.py "$OUT/graph" --steps "${PEER_STEPS:-3}" > "$OUT/peer.txt"
echo "load after: $(uptime | sed 's/.*load average: //')"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
echo "--- skyfence, gateways and PoPs as relays (all cores)"; cat "$OUT/relay.txt"
echo "--- the same, 1 thread"; grep -E "^step" "$OUT/relay1.txt"
echo "--- the same, every search fresh (all cores)"; grep -E "^step" "$OUT/cold.txt"
echo "--- satellites only (all cores)"; grep -E "^(edges|step|searches|settled)" "$OUT/isl.txt"
echo "--- networkx $(/usr/bin/python3 -c 'import networkx; print(networkx.__version__)') on skyfence's graphs (/usr/bin/python3)"
cat "$OUT/peer.txt"
echo "--- ratios (networkx time / skyfence time per step, gateways and PoPs as relays)"
awk -v a="$(get step_ms "$OUT/relay.txt")" -v o="$(get step_ms "$OUT/relay1.txt")" \
    -v ac="$(get step_cpu_ms "$OUT/relay.txt")" -v oc="$(get step_cpu_ms "$OUT/relay1.txt")" \
    -v n="$(get networkx_step_s "$OUT/peer.txt")" -v nc="$(get networkx_step_cpu_s "$OUT/peer.txt")" \
    'BEGIN { printf "wall: %.0fx (1 thread %.0fx); CPU time: %.0fx (1 thread %.0fx)\n", 1000 * n / a, 1000 * n / o, 1000 * nc / ac, 1000 * nc / oc }'
