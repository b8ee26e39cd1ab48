# Ctrl-C (SIGINT) during a long run stops it with exit 130 and leaves no output file behind.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/starlink_2026-04-27.tle"
expect_interrupted 2 "$WORK/big.csv" "propagate" -- "$SKYFENCE" propagate --tle "$TLE" \
  --start 2026-04-27T00:00:00Z --stop 2026-05-27T00:00:00Z --step 1m --frame geodetic --threads 1 -o "$WORK/big.csv"
expect_grep "interrupted" "$WORK/int.err" "interruption reported"
finish
