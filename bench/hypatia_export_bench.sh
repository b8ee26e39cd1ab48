#!/bin/bash
# Export benchmark: Hypatia's dynamic state for its Starlink-550 +Grid case with the top-100 cities
# (tests/data/hypatia-starlink-550, configured as Hypatia) over 200 s at 100 ms steps (2,000 steps),
# written by `skyfence route --export-hypatia`, on all cores and on one thread; the two folders must be
# identical. The peer figure is satgenpy's own cost for the same state on this machine, about 5.5 s a
# step with 2 threads (issue 16); it is not rerun here (satgenpy is not installed). Not a test.
#   bench/hypatia_export_bench.sh [BUILD_DIR]      (default: build; needs the skyfence target built)
# Environment: DURATION (default 200s), STEP (default 100ms), CHECK=1 to run the reference reader
# (tests/cli/hypatia_export_check.py) on the result too.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD="${1:-build}"
SKYFENCE="$BUILD/skyfence"
[[ -x "$SKYFENCE" ]] || { echo "build the command first: cmake --build $BUILD --target skyfence" >&2; exit 2; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
DURATION="${DURATION:-200s}"
STEP="${STEP:-100ms}"
SATGENPY_STEP_S=5.5

echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores)"
echo "load before: $(uptime | sed 's/.*load average: //')"
run() {  # run THREADS DIR: prints "wall_s cpu_s"
  /usr/bin/time -f "%e %U %S" -o "$OUT/time" "$SKYFENCE" route --hypatia-state tests/data/hypatia-starlink-550 \
    --export-hypatia "$2" --start 2000-01-01T00:00:00Z --duration "$DURATION" --step "$STEP" --threads "$1" -q
  awk '{ print $1, $2 + $3 }' "$OUT/time"
}
read -r wall2 cpu2 < <(run 2 "$OUT/t2")
read -r wall1 cpu1 < <(run 1 "$OUT/t1")
echo "load after: $(uptime | sed 's/.*load average: //')"
steps=$(ls "$OUT/t2" | grep -c '^fstate_')
diff -r "$OUT/t1" "$OUT/t2" > /dev/null && same=identical || same=DIFFERENT
echo "workload: $steps steps of $STEP ($DURATION), 1584 satellites, 100 ground stations"
echo "output: $(du -sh "$OUT/t2" | cut -f1), $(ls "$OUT/t2" | wc -l) files, $(cat "$OUT"/t2/fstate_*.txt | wc -l) fstate lines"
awk -v s="$steps" -v w2="$wall2" -v c2="$cpu2" -v w1="$wall1" -v c1="$cpu1" -v p="$SATGENPY_STEP_S" 'BEGIN {
  printf "skyfence, 2 threads: %.2f s wall, %.2f s CPU: %.1f ms a step (CPU %.1f ms)\n", w2, c2, 1000 * w2 / s, 1000 * c2 / s
  printf "skyfence, 1 thread:  %.2f s wall, %.2f s CPU: %.1f ms a step (CPU %.1f ms)\n", w1, c1, 1000 * w1 / s, 1000 * c1 / s
  printf "satgenpy (2 threads, measured before): %.1f s a step\n", p
  printf "ratio satgenpy / skyfence (wall, 2 threads): %.0fx (1 thread %.0fx)\n", p * s / w2, p * s / w1
}'
echo "1 thread and 2 threads: $same"
if [[ "${CHECK:-0}" == 1 ]]; then
  /usr/bin/python3 tests/cli/hypatia_export_check.py "$OUT/t2" --hypatia-paths tests/data/hypatia-starlink-550 --same-epoch
fi
