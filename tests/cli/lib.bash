# Helpers for the CLI tests: each test script is run as `bash test.sh SKYFENCE TEST_DATA_DIR`.
set -uo pipefail
SKYFENCE="$1"
DATA="$2"
REPO_DATA="$(cd "$DATA/../../data" && pwd)"
WORK="$(mktemp -d)"
# 1 when the binary is the ASan+UBSan build (tests/CMakeLists.txt): a script's heaviest runs may then take
# fewer time steps through the same code paths and check that smaller run's values; the Release build
# runs and checks the full ones.
SANITIZED="${SKYFENCE_TEST_SANITIZED:-0}"
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# expect_exit CODE DESCRIPTION -- command...: runs the command, stdout to $WORK/out, stderr to $WORK/err.
expect_exit() {
  local want="$1" what="$2"; shift 3
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [[ "$got" != "$want" ]]; then
    fail "$what: exit $got, expected $want; stderr: $(head -c 600 "$WORK/err")"
  else
    pass
  fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
  if grep -qE -- "$1" "$2"; then pass; else fail "$3: no match for /$1/ in $2: $(head -c 600 "$2")"; fi
}

# expect_interrupted SECONDS OUTPUT DESCRIPTION -- command...: starts the command, sends SIGINT after
# SECONDS, and expects exit 130, no OUTPUT (file or folder) and nothing named OUTPUT.tmp-* or *tmp-* left
# beside it. stderr goes to $WORK/int.err.
expect_interrupted() {
  local secs="$1" output="$2" what="$3"; shift 4
  "$@" 2>"$WORK/int.err" &
  local pid=$!
  sleep "$secs"
  kill -INT "$pid"
  wait "$pid"
  local code=$?
  [[ "$code" -eq 130 ]] && pass || fail "$what: exit $code after SIGINT, expected 130; $(head -c 300 "$WORK/int.err")"
  [[ ! -e "$output" ]] && pass || fail "$what: $output exists after interruption"
  ls "$(dirname "$output")" | grep -q "tmp-" && fail "$what: temporary file left behind" || pass
}

finish() {
  echo "$checks passed, $failures failed"
  [[ $failures -eq 0 ]]
}
