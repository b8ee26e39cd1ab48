#!/usr/bin/env bash
# The globe viewer's frame rate and time to first frame for a results folder (default: the default scenario,
# run into /tmp/skyfence-viewer-bench when absent), in headless Chromium through `skyfence serve`.
# Usage: bench/viewer_bench.sh BUILD_DIR [RESULTS_DIR] [SECONDS] [MULTIPLIER] [WIDTHxHEIGHT] [QUERY]
# QUERY is added to the page's address, e.g. resolution=1 (the full resolution on a software renderer).
# SKYFENCE_WEBGL=llvmpipe draws with Mesa's llvmpipe instead of SwiftShader (web/headless_chromium.mjs).
set -euo pipefail
build="${1:?usage: bench/viewer_bench.sh BUILD_DIR [RESULTS_DIR] [SECONDS] [MULTIPLIER]}"
results="${2:-/tmp/skyfence-viewer-bench}"
seconds="${3:-10}"
multiplier="${4:-60}"
size="${5:-1280x800}"
query="${6:-}"
here="$(cd "$(dirname "$0")" && pwd)"
if [[ ! -f "$results/viewer/scenario.json" ]]; then
  "$build/skyfence" run -o "$results" -q
fi
out="$(mktemp)"
"$build/skyfence" serve "$results" --port 0 -q >"$out" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; rm -f "$out"' EXIT
until grep -q '^http' "$out" 2>/dev/null; do sleep 0.05; done
echo "load average $(cut -d" " -f1-3 /proc/loadavg); $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
node "$here/viewer_bench.mjs" "$(head -1 "$out")viewer/${query:+?$query}" "$seconds" "$multiplier" "$size"
