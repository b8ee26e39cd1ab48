#!/bin/bash
# Policy benchmark: skyfence decisions per second (bench/policy_bench.cpp, one thread) against the same
# region test with python3-shapely prepared geometries and an STRtree (bench/policy_peer.py).
#   bench/policy_bench.sh [BUILD_DIR] [POINTS] [PEER_POINTS]   (default: build, 1000000, 100000)
# Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
POINTS="${2:-1000000}"
PEER_POINTS="${3:-100000}"
DRIVER="$BUILD/bench/policy_bench"
[[ -x "$DRIVER" ]] || { echo "build the driver first: cmake --build $BUILD --target policy_bench" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "load before: $(uptime | sed 's/.*load average: //')"
"$DRIVER" --points "$POINTS" > "$OUT/cpp.txt"
/usr/bin/python3 -W ignore bench/policy_peer.py "$PEER_POINTS" > "$OUT/peer.txt"
echo "load after: $(uptime | sed 's/.*load average: //')"
echo "--- skyfence (one thread)"; cat "$OUT/cpp.txt"
echo "--- shapely (/usr/bin/python3, one thread)"; cat "$OUT/peer.txt"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
awk -v s="$(get permits_per_s "$OUT/cpp.txt")" -v d="$(get decide_per_s "$OUT/cpp.txt")" \
    -v p="$(get peer_shapely_per_s "$OUT/peer.txt")" \
    'BEGIN { printf "skyfence permits() %.0fx shapely, decide() with reasons %.0fx shapely\n", s / p, d / p }'
