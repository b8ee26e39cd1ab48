# Bad input gives exit 2 and a message naming what was wrong; nothing is written on failure.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
T=(--start 2026-04-27T12:00:00Z --stop 2026-04-27T13:00:00Z --step 10m)

expect_exit 2 "missing file" -- "$SKYFENCE" propagate --tle "$WORK/nope.tle" "${T[@]}"
expect_grep "nope.tle" "$WORK/err" "missing file named"
expect_exit 2 "no input" -- "$SKYFENCE" propagate "${T[@]}"
expect_exit 2 "both inputs" -- "$SKYFENCE" propagate --tle "$TLE" --omm "$TLE" "${T[@]}"
expect_exit 2 "no times" -- "$SKYFENCE" propagate --tle "$TLE"
expect_grep "--minutes" "$WORK/err" "no times explains the choice"
expect_exit 2 "bad start" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-13-01 --stop 2026-04-27T13:00:00Z --step 1m
expect_grep "^skyfence: error: --start: .*2024-10-25T00:00:00Z" "$WORK/err" "bad start message"
expect_exit 2 "bad step" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:00:00Z --step 10
expect_grep "^skyfence: error: --step: .*90s, 15m" "$WORK/err" "bad step message"
expect_exit 2 "zero step" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:00:00Z --step 0s
expect_exit 2 "stop before start" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T12:00:00Z --stop 2026-04-27T11:00:00Z --step 1m
# Bug: a zero-length window wrote one row at START; [START, START) has no instants, so it is an error.
expect_exit 2 "a zero-length window is an error" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T12:00:00Z --stop 2026-04-27T12:00:00Z --step 1m -o "$WORK/zero.csv"
expect_grep "^skyfence: error: --stop: .*positive length" "$WORK/err" "zero-length window message names --stop"
[[ ! -e "$WORK/zero.csv" ]] && pass || fail "zero-length window left an output file"
expect_exit 2 "bad minutes" -- "$SKYFENCE" propagate --tle "$TLE" --minutes=0:10
expect_grep "START:STOP:STEP" "$WORK/err" "bad minutes message"
expect_exit 2 "minutes and start" -- "$SKYFENCE" propagate --tle "$TLE" --minutes=0:10:1 "${T[@]}"
# Bug: a 20-digit --satellite number ended in std::stoul (exit 1, "stoul") instead of an input error.
expect_exit 2 "20-digit satellite number" -- "$SKYFENCE" propagate --tle "$TLE" --satellite 99999999999999999999 --minutes=0:10:1
expect_grep "^skyfence: error: --satellite: expected a NORAD catalog number of at most 9 digits" "$WORK/err" "20-digit number located"
expect_exit 2 "unknown satellite" -- "$SKYFENCE" propagate --tle "$TLE" --satellite "NO SUCH SAT" "${T[@]}"
expect_grep "NO SUCH SAT" "$WORK/err" "unknown satellite named"
expect_exit 2 "bad frame" -- "$SKYFENCE" propagate --tle "$TLE" --frame ecef "${T[@]}"
expect_exit 2 "npy to stdout" -- "$SKYFENCE" propagate --tle "$TLE" --format npy "${T[@]}"
expect_grep "npy" "$WORK/err" "npy needs -o"

# A catalog with one corrupted record: the good ones load with a warning naming file and line;
# --strict fails with exit 2 and writes nothing.
head -n 6 "$TLE" > "$WORK/mixed.tle"
sed -n '7,9p' "$TLE" | sed '3s/^\(.\{20\}\)./\1X/' >> "$WORK/mixed.tle"
sed -n '10,12p' "$TLE" >> "$WORK/mixed.tle"
expect_exit 0 "partly bad catalog" -- "$SKYFENCE" propagate --tle "$WORK/mixed.tle" "${T[@]}" -o "$WORK/mixed.csv"
expect_grep "mixed.tle:9: " "$WORK/err" "bad record located at file:line"
expect_grep "1 record\(s\) skipped, 3 loaded" "$WORK/err" "skipped count"
[[ $(awk -F, 'NR > 1 { print $1 }' "$WORK/mixed.csv" | sort -u | wc -l) -eq 3 ]] && pass || fail "3 good satellites expected"
expect_exit 2 "strict" -- "$SKYFENCE" propagate --tle "$WORK/mixed.tle" "${T[@]}" --strict -o "$WORK/strict.csv"
[[ ! -e "$WORK/strict.csv" ]] && pass || fail "strict failure left an output file"
ls "$WORK" | grep -q tmp- && fail "temporary file left behind" || pass

# Help teaches: examples and the exit statuses.
expect_exit 0 "help" -- "$SKYFENCE" propagate --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
expect_exit 2 "no command" -- "$SKYFENCE"
finish
