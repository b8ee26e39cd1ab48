#!/usr/bin/env bash
# Propagation throughput of skyfence's BatchPropagator next to its peers, on this machine, in one go:
#   skyfence        bench/propagate_bench (Google Benchmark), 1 and 2 threads, each SIMD kernel
#   satellite.js 7  its WASM BulkPropagator (bench/satellitejs_bench.mjs), 1 and 2 threads
#   python-sgp4     Debian's python3-sgp4, pure Python (bench/python_sgp4_bench.py), 1 thread, on a
#                   subset (every 10th satellite, every 10th minute) and reported per propagation
# Workload: data/tle/starlink_2026-04-27.tle (10,238 satellites) x one day from 2026-04-27T00:00Z at
# 1-minute steps (1440 times) = 14.7 M propagations, TEME position and velocity.
#
#   bench/run.sh <build-dir>      (build with: cmake --build <build-dir> --target propagate_bench)
#
# Numbers mean something only on a quiet machine: the script prints the load average before and after.
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <build-dir>" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tle="$repo/data/tle/starlink_2026-04-27.tle"
py=/usr/bin/python3  # Debian's interpreter, which has python3-sgp4
bench_bin="$build/bench/propagate_bench"
[[ -x "$bench_bin" ]] || { echo "$bench_bin not built" >&2; exit 1; }
"$py" -c 'import sgp4' 2>/dev/null || { echo "python3-sgp4 missing: apt-get install python3-sgp4" >&2; exit 1; }
if [[ ! -d "$here/node_modules/satellite.js" ]]; then
  npm install --prefix "$here" --no-audit --no-fund >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
echo "date:    $(date)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "node $(node --version), satellite.js $(node -p "require('$here/node_modules/satellite.js/package.json').version"), python-sgp4 $("$py" -c 'import sgp4; print(sgp4.__version__)' 2>/dev/null || dpkg-query -W -f='${Version}' python3-sgp4)"
echo

echo "running skyfence (Google Benchmark) ..." >&2
"$bench_bin" --benchmark_filter='BM_Batch' --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out="$work/skyfence.json" --benchmark_out_format=json >/dev/null 2>"$work/skyfence.err" \
  || { cat "$work/skyfence.err" >&2; exit 1; }
echo "running satellite.js ..." >&2
node "$here/satellitejs_bench.mjs" "$tle" 1 2 >"$work/sjs1.txt"
node "$here/satellitejs_bench.mjs" "$tle" 2 2 >"$work/sjs2.txt"
echo "running python-sgp4 ..." >&2
"$py" "$here/python_sgp4_bench.py" "$tle" 10 10 >"$work/py.txt"

"$py" - "$work" <<'EOF'
import json, sys, os
work = sys.argv[1]
runs = json.load(open(os.path.join(work, "skyfence.json")))["benchmarks"]
# Best (max) rate of the repetitions' median, per benchmark name.
rate = {}
for b in runs:
    if b.get("aggregate_name") != "median":
        continue
    name = b["run_name"].replace("/min_time:2.000", "").replace("/real_time", "")
    rate[name] = b["items_per_second"] / 1e6
def peer(path):
    f = open(os.path.join(work, path)).read().split()
    return float(f[4])
sjs1, sjs2, pyr = peer("sjs1.txt"), peer("sjs2.txt"), peer("py.txt")
sf1, sf2 = rate["BM_BatchAuto/threads:1"], rate["BM_BatchAuto/threads:2"]
print("| implementation | threads | M props/s | skyfence / peer |")
print("|---|---:|---:|---:|")
for kernel in ("avx512", "avx2", "sse2"):
    for threads in (1, 2):
        name = f"BM_Batch/{kernel}/threads:{threads}"
        if name in rate:
            print(f"| skyfence BatchPropagator, {kernel} kernel forced | {threads} | {rate[name]:.2f} | |")
print(f"| skyfence BatchPropagator (run-time kernel) | 1 | {sf1:.2f} | 1 |")
print(f"| skyfence BatchPropagator (run-time kernel) | 2 | {sf2:.2f} | 1 |")
print(f"| satellite.js 7 BulkPropagator (WASM) | 1 | {sjs1:.2f} | {sf1 / sjs1:.1f} |")
print(f"| satellite.js 7 BulkPropagator (WASM) | 2 | {sjs2:.2f} | {sf2 / sjs2:.1f} |")
print(f"| python-sgp4 (Debian python3-sgp4, pure Python, subset) | 1 | {pyr:.3f} | {sf1 / pyr:.0f} |")
EOF
echo
read -r _ _ py_count py_secs _ _ py_subset <"$work/py.txt"
echo "python-sgp4 ran $py_count propagations (${py_subset#subset=} satellites x times) in $py_secs s"
echo "satellite.js runs (threads, propagations, best seconds, M/s): $(cut -d' ' -f2- "$work/sjs1.txt"); $(cut -d' ' -f2- "$work/sjs2.txt")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
