#!/bin/bash
# Coverage benchmark: skyfence (bench/coverage_bench.cpp) against the numpy brute force and the scipy
# cKDTree counting of bench/coverage_peer.py on the same satellite positions, with per-step ratios.
#   bench/coverage_bench.sh [BUILD_DIR] [STEPS]   (default: build, 60; needs the coverage_bench target)
# Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
STEPS="${2:-60}"
DRIVER="$BUILD/bench/coverage_bench"
[[ -x "$DRIVER" ]] || { echo "build the driver first: cmake --build $BUILD --target coverage_bench" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "load before: $(uptime | sed 's/.*load average: //')"
"$DRIVER" --steps "$STEPS" --export "$OUT" --growth > "$OUT/cpp.txt"
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, set on some machines for old OpenBLAS builds, slow numpy down.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/coverage_peer.py "$OUT" > "$OUT/peer.txt"
# The issue's whole workload end to end through the command: the bundled Starlink snapshot, the global
# level-7 grid (98,304 cells), 24 hours at 60-second steps (1,440), minimum elevation 25 deg, CSV out.
SKYFENCE="$BUILD/skyfence"
if [[ -x "$SKYFENCE" ]]; then
  start_ns=$(date +%s%N)
  "$SKYFENCE" coverage --catalog starlink --level 7 --start 2026-04-27T00:00:00Z --duration 24h --step 60s \
    --min-elevation 25 -o "$OUT/global.csv" 2> "$OUT/cli.txt"
  echo "whole_day_cli_s $(( ($(date +%s%N) - start_ns) / 1000000 ))e-3" >> "$OUT/cpp.txt"
fi
echo "load after: $(uptime | sed 's/.*load average: //')"
echo "--- skyfence (all cores)"; cat "$OUT/cpp.txt"
[[ -s "$OUT/cli.txt" ]] && { echo "--- skyfence coverage, whole day"; cat "$OUT/cli.txt"; }
echo "--- peers (/usr/bin/python3, one step)"; cat "$OUT/peer.txt"
get() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
awk -v s="$(get per_step_s "$OUT/cpp.txt")" -v b="$(get peer_numpy_brute_step_s "$OUT/peer.txt")" \
    -v t="$(get peer_ckdtree_step_s "$OUT/peer.txt")" -v h="$(get peer_numpy_spherical_step_s "$OUT/peer.txt")" \
    'BEGIN { printf "per step (skyfence incl. propagation and statistics): numpy brute force %.0fx, numpy spherical shortcut %.0fx, cKDTree %.0fx\n", b / s, h / s, t / s }'
