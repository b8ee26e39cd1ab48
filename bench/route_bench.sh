#!/bin/bash
# Routing benchmark: all-pairs shortest-delay routes between the 100 most populous cities over the
# Starlink 550 km shell (72 x 22, 53 deg) with plus-grid ISLs, per time step: skyfence
# (bench/route_bench.cpp) against the same computation with python3-networkx (bench/route_bench.py) on
# the same satellite positions, with the agreement of the two and the ratio. Not a test.
#   bench/route_bench.sh [BUILD_DIR]      (default: build; needs the route_bench target built)
# Environment: STEPS (default 60) skyfence steps, PEER_STEPS (default 3) networkx steps.
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
"$DRIVER" --steps "${STEPS:-60}" > "$OUT/all.txt"
"$DRIVER" --steps "${STEPS:-60}" --threads 1 > "$OUT/one.txt"
"$DRIVER" --steps "${STEPS:-60}" --ground-relay > "$OUT/relay.txt"
mkdir -p "$OUT/dump"
"$DRIVER" --steps "${PEER_STEPS:-3}" --dump "$OUT/dump" > /dev/null
/usr/bin/python3 bench/route_bench.py "$OUT/dump" --steps "${PEER_STEPS:-3}" > "$OUT/peer.txt"
/usr/bin/python3 scripts/reference/route_networkx.py "$OUT/dump" --compare-dump > "$OUT/agree.txt"
echo "load after: $(uptime | sed 's/.*load average: //')"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
echo "--- skyfence (all cores)"; cat "$OUT/all.txt"
echo "--- skyfence (1 thread)"; grep -E "^step" "$OUT/one.txt"
echo "--- skyfence (all cores, gateways and PoPs as relays too)"; grep -E "^step" "$OUT/relay.txt"
echo "--- networkx (/usr/bin/python3, networkx $(/usr/bin/python3 -c 'import networkx; print(networkx.__version__)'))"
cat "$OUT/peer.txt"
echo "--- agreement (skyfence vs networkx, same positions)"; cat "$OUT/agree.txt"
echo "--- ratios (networkx time / skyfence time per step)"
awk -v a="$(get step_ms "$OUT/all.txt")" -v o="$(get step_ms "$OUT/one.txt")" \
    -v ac="$(get step_cpu_ms "$OUT/all.txt")" -v oc="$(get step_cpu_ms "$OUT/one.txt")" \
    -v n="$(get networkx_step_s "$OUT/peer.txt")" -v nc="$(get networkx_step_cpu_s "$OUT/peer.txt")" \
    'BEGIN { printf "wall: %.0fx (1 thread %.0fx); CPU time: %.0fx (1 thread %.0fx)\n", 1000 * n / a, 1000 * n / o, 1000 * nc / ac, 1000 * nc / oc }'
