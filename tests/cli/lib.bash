# Helpers for the CLI tests: each test script is run as `bash test.sh SKYFENCE TEST_DATA_DIR`.
set -uo pipefail
SKYFENCE="$1"
DATA="$2"
REPO_DATA="$(cd "$DATA/../../data" && pwd)"
WORK="$(mktemp -d)"
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

finish() {
  echo "$checks passed, $failures failed"
  [[ $failures -eq 0 ]]
}
