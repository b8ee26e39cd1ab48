# Ctrl-C (SIGINT) during a long run stops it with exit 130 and leaves no output file behind.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/starlink_2026-04-27.tle"
"$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T00:00:00Z --stop 2026-05-27T00:00:00Z --step 1m \
  --frame geodetic --threads 1 -o "$WORK/big.csv" 2>"$WORK/err" &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
code=$?
[[ "$code" -eq 130 ]] && pass || fail "exit $code after SIGINT, expected 130; $(head -c 300 "$WORK/err")"
[[ ! -e "$WORK/big.csv" ]] && pass || fail "output file exists after interruption"
ls "$WORK" | grep -q tmp- && fail "temporary file left behind" || pass
expect_grep "interrupted" "$WORK/err" "interruption reported"
finish
