#!/bin/bash
# Visibility benchmark: skyfence (bench/visibility_bench.cpp) against python-sgp4 + numpy and Skyfield
# (bench/visibility_bench.py) on the same workloads, with ratios. Not a test.
#   bench/visibility_bench.sh [BUILD_DIR]      (default: build; needs the visibility_bench target built)
# Environment: PASSES_SUBSET (default 50) and SKYFIELD_SUBSET (default 10) satellites for the peers' 7-day
# passes, scaled to the whole snapshot (the peers would take hours on all of it).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
DRIVER="$BUILD/bench/visibility_bench"
[[ -x "$DRIVER" ]] || { echo "build the driver first: cmake --build $BUILD --target visibility_bench" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "load before: $(uptime | sed 's/.*load average: //')"
"$DRIVER" > "$OUT/all.txt"
"$DRIVER" --threads 1 --skip-brute-force > "$OUT/one.txt"
/usr/bin/python3 bench/visibility_bench.py --passes-subset "${PASSES_SUBSET:-50}" \
  --skyfield-subset "${SKYFIELD_SUBSET:-10}" > "$OUT/peer.txt"
echo "load after: $(uptime | sed 's/.*load average: //')"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
echo "--- skyfence (all cores)"; cat "$OUT/all.txt"
echo "--- skyfence (1 thread)"; grep -E "^(passes_s|in_view_s) " "$OUT/one.txt"
echo "--- peers (/usr/bin/python3)"; cat "$OUT/peer.txt"
echo "--- ratios (peer time / skyfence time; whole snapshot, peers scaled from their subsets)"
awk -v a="$(get passes_s "$OUT/all.txt")" -v o="$(get passes_s "$OUT/one.txt")" \
    -v n="$(get peer_sgp4_numpy_passes_scaled_s "$OUT/peer.txt")" -v s="$(get peer_skyfield_passes_scaled_s "$OUT/peer.txt")" \
    'BEGIN { printf "passes 7 d: python-sgp4+numpy %.0fx (1 thread %.0fx), Skyfield find_events %.0fx (1 thread %.0fx)\n", n / a, n / o, s / a, s / o }'
awk -v a="$(get in_view_s "$OUT/all.txt")" -v o="$(get in_view_s "$OUT/one.txt")" \
    -v n="$(get peer_sgp4_numpy_in_view_s "$OUT/peer.txt")" -v b="$(get in_view_brute_force_s "$OUT/all.txt")" \
    'BEGIN { printf "in-view 10,000 sites: python-sgp4+numpy %.0fx (1 thread %.0fx); skyfence brute force / indexed %.0fx\n", n / a, n / o, b / a }'
