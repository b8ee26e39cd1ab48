# skyfence passes: CSV shape and order, edge flags, site files, selection, thread independence, bad input.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
W=(--start 2026-04-27T00:00:00Z --stop 2026-04-27T06:00:00Z)
HEADER="norad_id,name,site_id,aos_utc,tca_utc,los_utc,max_elevation_deg,aos_azimuth_deg,los_azimuth_deg,duration_s,aos_clipped,los_clipped"

expect_exit 0 "one site" -- "$SKYFENCE" passes --tle "$TLE" --site 50.45,30.52,180 "${W[@]}" -o "$WORK/p.csv"
[[ "$(head -n 1 "$WORK/p.csv")" == "$HEADER" ]] && pass || fail "header: $(head -n 1 "$WORK/p.csv")"
[[ $(wc -l < "$WORK/p.csv") -gt 10 ]] && pass || fail "expected passes of 80 Iridium satellites in 6 h"
expect_grep "^[0-9]+,IRIDIUM [0-9]+,\"50.45,30.52,180\",2026-04-27T[0-9:]{8}\.[0-9]{3}Z,2026-04-27T[0-9:]{8}\.[0-9]{3}Z,2026-04-27T[0-9:]{8}\.[0-9]{3}Z,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,(true|false),(true|false)$" "$WORK/p.csv" "row format"
# Sorted by AOS; every pass at or above 25 deg; duration = LOS - AOS.
# (fields counted from the end: the site id "LAT,LON,ALT" holds commas)
awk -F, 'NR > 2 && $(NF-8) < prev { exit 1 } NR > 1 { prev = $(NF-8) }' "$WORK/p.csv" && pass || fail "rows not sorted by aos_utc"
awk -F, 'NR > 1 && ($(NF-5) < 25 || $(NF-5) > 90) { exit 1 }' "$WORK/p.csv" && pass || fail "max elevation outside [25, 90]"
expect_grep "passes above 25 deg" "$WORK/err" "summary"
ls "$WORK" | grep -q tmp- && fail "temporary file left behind" || pass

# Same result on one thread; and to stdout.
expect_exit 0 "one thread" -- "$SKYFENCE" passes --tle "$TLE" --site 50.45,30.52,180 "${W[@]}" --threads 1 -q
cmp -s "$WORK/out" "$WORK/p.csv" && pass || fail "--threads 1 output differs"
[[ ! -s "$WORK/err" ]] && pass || fail "-q still wrote to stderr: $(head -c 300 "$WORK/err")"

# A window starting inside a pass: that pass is flagged and starts at --start.
TCA=$(awk -F, 'NR == 2 { print $(NF-7) }' "$WORK/p.csv")
ID=$(awk -F, 'NR == 2 { print $1 }' "$WORK/p.csv")
expect_exit 0 "clipped start" -- "$SKYFENCE" passes --tle "$TLE" --satellite "$ID" --site 50.45,30.52,180 --start "$TCA" --stop 2026-04-27T06:00:00Z
expect_grep "^$ID,.*,$TCA,.*,true,false$" "$WORK/out" "pass under way at start flagged aos_clipped"
expect_exit 0 "clipped stop" -- "$SKYFENCE" passes --tle "$TLE" --satellite "$ID" --site 50.45,30.52,180 --start 2026-04-27T00:00:00Z --stop "$TCA"
expect_grep "^$ID,.*,$TCA,[0-9.]+,[0-9.]+,[0-9.]+,[0-9.]+,false,true$" "$WORK/out" "pass under way at stop flagged los_clipped"

# Sites from a file (and --site together), by id; negative latitude; a bad row is skipped with a warning.
printf 'id,name,lat_deg,lon_deg,alt_m\nkyiv,Kyiv,50.45,30.52,180\ncape,Cape Town,-33.9,18.4,0\nbad,Bad,95,0,0\n' > "$WORK/sites.csv"
expect_exit 0 "sites file" -- "$SKYFENCE" passes --tle "$TLE" --sites "$WORK/sites.csv" --site=-77.85,166.67 "${W[@]}"
expect_grep ",kyiv,2026" "$WORK/out" "site id from the file"
expect_grep ",cape,2026" "$WORK/out" "second site"
expect_grep ",\"-77.85,166.67\",2026" "$WORK/out" "--site id"
expect_grep "sites.csv:4: .*lat" "$WORK/err" "bad row located"
expect_exit 2 "sites file strict" -- "$SKYFENCE" passes --tle "$TLE" --sites "$WORK/sites.csv" "${W[@]}" --strict -o "$WORK/strict.csv"
[[ ! -e "$WORK/strict.csv" ]] && pass || fail "strict failure left an output file"

# Selection and the minimum elevation.
expect_exit 0 "selection" -- "$SKYFENCE" passes --tle "$TLE" --satellite "IRIDIUM 106" --site 0,0 --start 2026-04-27T00:00:00Z --stop 2026-04-29T00:00:00Z --min-elevation 0
[[ $(awk -F, 'NR > 1 { print $1 }' "$WORK/out" | sort -u) == "41917" ]] && pass || fail "only NORAD 41917 expected"
awk -F, 'NR > 1 && $(NF-5) < 0 { exit 1 }' "$WORK/out" && pass || fail "max elevation below 0"

# Bad input: exit 2 with a message naming the option.
expect_exit 2 "no input" -- "$SKYFENCE" passes --site 0,0 "${W[@]}"
expect_exit 2 "no site" -- "$SKYFENCE" passes --tle "$TLE" "${W[@]}"
expect_exit 2 "no start" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 --stop 2026-04-27T06:00:00Z
expect_exit 2 "bad start" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 --start 2026-13-01 --stop 2026-04-27T06:00:00Z
expect_grep "^skyfence: error: --start: " "$WORK/err" "bad start message"
expect_exit 2 "stop before start" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 --start 2026-04-27T06:00:00Z --stop 2026-04-27T00:00:00Z
expect_grep "^skyfence: error: --stop: " "$WORK/err" "stop before start message"
expect_exit 2 "bad site" -- "$SKYFENCE" passes --tle "$TLE" --site 91,0 "${W[@]}"
expect_grep "^skyfence: error: --site" "$WORK/err" "bad site message"
expect_exit 2 "bad min elevation" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 "${W[@]}" --min-elevation 95
expect_grep "^skyfence: error: --min-elevation: " "$WORK/err" "bad min elevation message"
expect_exit 2 "unknown satellite" -- "$SKYFENCE" passes --tle "$TLE" --satellite "NO SUCH SAT" --site 0,0 "${W[@]}"
expect_grep "NO SUCH SAT" "$WORK/err" "unknown satellite named"
# Bug: a 20-digit --satellite number ended in std::stoul (exit 1) instead of an input error naming it.
expect_exit 2 "20-digit satellite number" -- "$SKYFENCE" passes --tle "$TLE" --satellite 99999999999999999999 --site 0,0 "${W[@]}"
expect_grep "^skyfence: error: --satellite: expected a NORAD catalog number of at most 9 digits" "$WORK/err" "20-digit number located"
expect_exit 2 "unknown preset" -- "$SKYFENCE" passes --preset no-such-preset --site 0,0 "${W[@]}"
expect_exit 2 "missing sites file" -- "$SKYFENCE" passes --tle "$TLE" --sites "$WORK/nope.csv" "${W[@]}"
expect_exit 2 "missing catalog" -- "$SKYFENCE" passes --tle "$WORK/nope.tle" --site 0,0 "${W[@]}"

# Help teaches: examples, the clipped columns and the exit statuses.
# Bug: Ctrl-C did not stop `passes` until its whole search ended. Now it stops within a block of
# satellites: exit 130 and no output.
expect_interrupted 3 "$WORK/long.csv" "passes" -- "$SKYFENCE" passes --catalog starlink --sites "$REPO_DATA/cities/cities_top100.csv" \
  --start 2026-04-27T00:00:00Z --stop 2026-05-27T00:00:00Z --threads 1 -o "$WORK/long.csv"

# Bug: --strict left a complete output file behind when it failed. Vallado's case 28872 decays about
# 50 minutes after its epoch: exit 1 and no file.
VER="$DATA/sgp4-verification/SGP4-VER.TLE"
expect_exit 1 "strict with an SGP4 failure" -- "$SKYFENCE" passes --tle "$VER" --accept-bad-checksums --satellite 28872 --site 0,0 --start 2005-11-29T00:30:00Z --stop 2005-11-29T03:00:00Z --strict -o "$WORK/strict-sgp4.csv"
[[ ! -e "$WORK/strict-sgp4.csv" ]] && pass || fail "a failed --strict run left its output"
expect_exit 0 "the same without --strict" -- "$SKYFENCE" passes --tle "$VER" --accept-bad-checksums --satellite 28872 --site 0,0 --start 2005-11-29T00:30:00Z --stop 2005-11-29T03:00:00Z -o "$WORK/lenient.csv"
expect_grep "NORAD 28872\): SGP4 error" "$WORK/err" "failure named"

# Bug: a zero-length window was accepted here and refused elsewhere: one convention, [START, STOP).
expect_exit 2 "zero-length window" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 --start 2026-04-27T00:00:00Z --stop 2026-04-27T00:00:00Z
expect_grep "skyfence: error: --stop: expected a time after --start" "$WORK/err" "zero-length window located"

# Bug: errors caught by the argument parser lacked the `skyfence: error:` prefix.
expect_exit 2 "unknown option" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0 "${W[@]}" --no-such-option
expect_grep "^skyfence: error: .*no-such-option" "$WORK/err" "usage error prefixed"
expect_exit 2 "missing required option" -- "$SKYFENCE" passes --tle "$TLE" --site 0,0
expect_grep "^skyfence: error: .*--start" "$WORK/err" "missing option prefixed"
expect_exit 2 "unknown command" -- "$SKYFENCE" no-such-command
expect_grep "^skyfence: error: " "$WORK/err" "unknown command prefixed"

expect_exit 0 "help" -- "$SKYFENCE" passes --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "aos_clipped=true" "$WORK/out" "help documents aos_clipped"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
finish
