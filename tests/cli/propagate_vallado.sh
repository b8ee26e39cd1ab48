# skyfence propagate --minutes reproduces Vallado's verification output (tcppver.out) for a
# near-earth case (00005) and a deep-space case (04632, negative times), through the CLI.
source "$(dirname "$0")/lib.bash"
TLE="$DATA/sgp4-verification/SGP4-VER.TLE"
REF="$DATA/sgp4-verification/tcppver.out"

check_case() {
  local sat="$1" minutes="$2"
  expect_exit 0 "propagate $sat" -- "$SKYFENCE" propagate --tle "$TLE" --accept-bad-checksums \
    --satellite "$sat" --minutes="$minutes" --quiet -o "$WORK/$sat.csv"
  # Reference rows of this case: from its "<sat> xx" header to the next header. Vallado's driver
  # prints the epoch state (tsince 0) first whatever the window: keep it only when START is 0.
  local first="${minutes%%:*}"
  awk -v sat="$sat" -v first="$first" '$2 == "xx" { on = ($1 == sat && !done); if (!on && seen) done = 1; if (on) { seen = 1; row = 0 }; next }
                     on { row++; if (row == 1 && $1 + 0 == 0 && first + 0 != 0) next; print $1, $2, $3, $4, $5, $6, $7 }' "$REF" > "$WORK/$sat.ref"
  awk -F, 'NR > 1 { print $4, $5, $6, $7, $8, $9, $10 }' "$WORK/$sat.csv" > "$WORK/$sat.got"
  local nref ngot
  nref=$(wc -l < "$WORK/$sat.ref"); ngot=$(wc -l < "$WORK/$sat.got")
  if [[ "$nref" -ne "$ngot" || "$nref" -eq 0 ]]; then fail "$sat: $ngot rows, reference has $nref"; return; fi
  paste -d' ' "$WORK/$sat.ref" "$WORK/$sat.got" | awk -v sat="$sat" '
    function abs(v) { return v < 0 ? -v : v }
    { if (abs($1 - $8) > 1e-9) { print sat ": tsince " $1 " vs " $8; bad = 1 }
      for (i = 2; i <= 4; i++) if (abs($i - $(i + 7)) > 2e-7) { print sat ": t=" $1 " position column " i - 1 " differs: " $i " vs " $(i + 7); bad = 1 }
      for (i = 5; i <= 7; i++) if (abs($i - $(i + 7)) > 2e-9) { print sat ": t=" $1 " velocity column " i - 4 " differs: " $i " vs " $(i + 7); bad = 1 } }
    END { exit bad }' >&2 && pass || fail "$sat rows differ from tcppver.out"
}

check_case 5 0:4320:360
check_case 4632 -5184:-4896:120
finish
