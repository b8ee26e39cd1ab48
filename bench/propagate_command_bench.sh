#!/usr/bin/env bash
# The whole `skyfence propagate` command next to satellite.js 7's BulkPropagator as a whole process,
# side by side in one run, alternating the two several times and reporting medians:
#   npy   skyfence propagate --format npy -o FILE.npy (all cores)   vs
#         node bench/satellitejs_propagate.mjs (2 threads), writing the same 707 MB of float64
#         workload: data/tle/starlink_2026-04-27.tle (10,238 satellites) x [2026-04-27T00:00Z,
#         2026-04-28T00:00Z) at 1 min (1,440 times) = 14.7 M propagations, TEME
#   csv   skyfence propagate (CSV) over the same day at 10 min (1.47 M rows, 206 MB) vs formatting those
#         rows alone (bench/state_writers_bench, BM_CsvFormat on 2 threads: no propagation, no I/O)
# Wall clock from process start to exit, and the process's CPU time (user + system).
#
#   bench/propagate_command_bench.sh <build-dir> [rounds (default 5)] [output-dir (default /dev/shm)]
#
# (build with: cmake --build <build-dir> --target skyfence state_writers_bench). Outputs go to a
# temporary folder under output-dir, removed at the end: the default tmpfs measures the commands, not
# the disk (skyfence fsyncs its output before renaming it into place; on a disk that dominates).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <build-dir> [rounds] [output-dir]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
rounds=${2:-5}
outroot=${3:-/dev/shm}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tle="$repo/data/tle/starlink_2026-04-27.tle"
for b in "$build/skyfence" "$build/bench/state_writers_bench"; do
  [[ -x "$b" ]] || { echo "$b not built" >&2; exit 1; }
done
if [[ ! -d "$here/node_modules/satellite.js" ]]; then
  npm install --prefix "$here" --no-audit --no-fund >&2
fi
work=$(mktemp -d "$outroot/skyfence-propagate-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "outputs: $work ($(df --output=fstype "$work" | tail -1))"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "node $(node --version), satellite.js $(node -p "require('$here/node_modules/satellite.js/package.json').version")"
echo

/usr/bin/python3 - "$build" "$here" "$tle" "$work" "$rounds" <<'PYEOF'
import json, os, resource, statistics, subprocess, sys, time

build, here, tle, work, rounds = sys.argv[1:6]
rounds = int(rounds)
sky = os.path.join(build, "skyfence")
day = ["--start", "2026-04-27T00:00:00Z", "--stop", "2026-04-28T00:00:00Z"]
cmds = {
    "skyfence npy": [sky, "propagate", "-q", "--tle", tle, *day, "--step", "1m", "--format", "npy",
                     "-o", os.path.join(work, "sky.npy")],
    "satellite.js": ["node", os.path.join(here, "satellitejs_propagate.mjs"), tle, "2",
                     os.path.join(work, "sjs.bin")],
    "skyfence csv": [sky, "propagate", "-q", "--tle", tle, *day, "--step", "10m", "-o",
                     os.path.join(work, "sky.csv")],
}
fmt_cmd = [os.path.join(build, "bench", "state_writers_bench"), "--benchmark_filter=BM_CsvFormat/threads:2",
           "--benchmark_format=json"]

def timed(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu

wall = {k: [] for k in [*cmds, "csv formatting alone"]}
cpu = {k: [] for k in cmds}
for r in range(rounds):
    order = list(cmds) if r % 2 == 0 else list(reversed(cmds))
    for k in order:
        w, c = timed(cmds[k])
        wall[k].append(w)
        cpu[k].append(c)
        for f in os.listdir(work):
            os.remove(os.path.join(work, f))
    out = subprocess.run(fmt_cmd, check=True, capture_output=True, text=True).stdout
    b = json.loads(out)["benchmarks"][0]
    wall["csv formatting alone"].append(b["real_time"] / 1e3)
    print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in wall.items()), file=sys.stderr)

props = 10238 * 1440
rows = 10238 * 144
med = {k: statistics.median(v) for k, v in wall.items()}
medcpu = {k: statistics.median(v) for k, v in cpu.items()}
print(f"medians of {rounds} alternating rounds (wall clock, whole process; CPU = user + system):")
print("| command | wall s | CPU s | M propagations/s (wall) |")
print("|---|---:|---:|---:|")
for k in ("skyfence npy", "satellite.js"):
    print(f"| {k} | {med[k]:.2f} | {medcpu[k]:.2f} | {props / med[k] / 1e6:.2f} |")
print(f"| skyfence csv (10 min steps, {rows:,} rows) | {med['skyfence csv']:.2f} | {medcpu['skyfence csv']:.2f} | "
      f"{rows / med['skyfence csv'] / 1e6:.2f} M rows/s |")
print(f"| CSV formatting alone (2 threads, in memory) | {med['csv formatting alone']:.2f} | | "
      f"{rows / med['csv formatting alone'] / 1e6:.2f} M rows/s |")
print()
print(f"npy: skyfence / satellite.js = {med['satellite.js'] / med['skyfence npy']:.1f}x (wall), "
      f"{medcpu['satellite.js'] / medcpu['skyfence npy']:.1f}x (CPU)")
print(f"csv: command / formatting alone = {med['skyfence csv'] / med['csv formatting alone']:.2f}")
PYEOF
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
