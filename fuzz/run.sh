#!/bin/bash
# Builds the libFuzzer targets with clang (ASan+UBSan, in build-fuzz beside the sources) and runs each
# for a while from its seed corpus. New inputs found go to build-fuzz/corpus/<target> (the seeds in
# fuzz/corpus are not modified); a crash leaves its input in build-fuzz/crashes/ and fails the run.
# Targets run one after another, never two at once.
#   fuzz/run.sh [--seconds N] [--jobs N] [TARGET...]
#   (default: 60 s each; every target: policy geojson audit tle omm sites scenario service_model
#   cell_values observations)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=60
JOBS=2
TARGETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_EACH="$2"; shift 2 ;;
    --jobs) JOBS="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(policy geojson audit tle omm sites scenario service_model cell_values observations)
BUILD=build-fuzz
command -v clang++ > /dev/null || { echo "fuzz/run.sh: clang++ not found (apt-get install clang libclang-rt-dev)" >&2; exit 2; }
mkdir -p "$BUILD"
if [[ ! -f "$BUILD/build.ninja" ]]; then
  # Warnings are not errors here: -Werror is enforced by the g++ builds, and clang warns differently
  # (g++-only flags such as -Wno-restrict, C++20 reversed operators in s2's vector type).
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSKYFENCE_FUZZ=ON -DSKYFENCE_SANITIZE=ON -DSKYFENCE_WERROR=OFF -DSKYFENCE_BUILD_TESTS=OFF -DSKYFENCE_BUILD_BENCH=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link -Wno-unknown-warning-option" > "$BUILD/configure.log" 2>&1 ||
    { cat "$BUILD/configure.log" >&2; exit 1; }
fi
ninja -C "$BUILD" -j"$JOBS" "${TARGETS[@]/%/_fuzz}" > "$BUILD/build.log" 2>&1 || { tail -40 "$BUILD/build.log" >&2; exit 1; }
mkdir -p "$BUILD/crashes"
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "$BUILD/corpus/$t"
  echo "fuzz $t for ${SECONDS_EACH}s"
  if ! "$BUILD/fuzz/${t}_fuzz" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 \
      -artifact_prefix="$BUILD/crashes/${t}-" -print_final_stats=1 \
      "$BUILD/corpus/$t" "fuzz/corpus/$t" > "$BUILD/fuzz-$t.log" 2>&1; then
    echo "fuzz $t: FAILED (see $BUILD/fuzz-$t.log and $BUILD/crashes/)" >&2
    tail -30 "$BUILD/fuzz-$t.log" >&2
    status=1
  else
    grep -E "^stat::number_of_executed_units|^stat::new_units_added" "$BUILD/fuzz-$t.log" | tr '\n' ' '
    echo
  fi
done
exit $status
