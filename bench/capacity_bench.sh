#!/bin/bash
# Capacity benchmark: the allocation of one step (bench/capacity_bench.cpp) against the LP reference
# (scipy's HiGHS, bench/capacity_lp.py) on the same instances, then the `capacity` command on the
# workloads of docs/performance.md: Ukraine with 1,000 terminals (Starlink, OneWeb, Kuiper, a day at 60 s)
# and the whole Earth at level 7 with a uniform demand (Starlink, MINUTES of steps at 60 s).
#   bench/capacity_bench.sh [BUILD_DIR] [MINUTES]   (default: build, 60; needs the capacity_bench target)
# Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
MINUTES="${2:-60}"
DRIVER="$BUILD/bench/capacity_bench"
[[ -x "$DRIVER" ]] || { echo "build the driver first: cmake --build $BUILD --target capacity_bench" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
"$DRIVER" --instances 20 --export "$OUT/instances.json" | tee "$OUT/cpp.txt"
/usr/bin/python3 bench/capacity_lp.py "$OUT/instances.json" --repeat 1 | tee "$OUT/lp.txt"
cpp=$(awk '/^allocate_median_s/ {print $2}' "$OUT/cpp.txt")
lp=$(awk '/^lp_median_s/ {print $2}' "$OUT/lp.txt")
/usr/bin/python3 -c "print(f'per step: LP / skyfence = {float(\"$lp\") / float(\"$cpp\"):.0f}x')"

# 1,000 terminals spread over Ukraine (fixed seed), 25-200 Mbps each, three customer classes.
/usr/bin/python3 - "$OUT/terminals.csv" <<'PY'
import random, sys
random.seed(1000)
with open(sys.argv[1], "w") as f:
    f.write("id,lat_deg,lon_deg,demand_mbps,customer,providers\n")
    for i in range(1000):
        f.write(f"T{i},{random.uniform(45.5, 51.5):.4f},{random.uniform(23.5, 39.5):.4f},"
                f"{random.choice([25, 50, 100, 200])},{random.choice(['civil', 'government', 'military'])},"
                "starlink;oneweb;kuiper\n")
PY
SKYFENCE="$BUILD/skyfence"
timed() {
  local start_ns=$(date +%s%N)
  "$@" 2> "$OUT/err.txt"
  echo "$(( ($(date +%s%N) - start_ns) / 1000000 ))e-3 s"
  grep -E "met|gateways" "$OUT/err.txt" | sed 's/^/  /'
}
echo "ukraine 1000 terminals, starlink+oneweb+kuiper, 24 h at 60 s: $(timed "$SKYFENCE" capacity --catalog starlink \
  --catalog oneweb --catalog kuiper --sites "$OUT/terminals.csv" --start 2026-04-27T00:00:00Z --duration 24h \
  --step 60s -o "$OUT/ukraine.csv")"
echo "global level 7, 0.01 Mbps/km2, starlink, $MINUTES min at 60 s: $(timed "$SKYFENCE" capacity --catalog starlink \
  --level 7 --demand-density 0.01 --start 2026-04-27T00:00:00Z --duration ${MINUTES}m --step 60s -o "$OUT/global.csv")"
