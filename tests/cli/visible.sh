# skyfence visible: CSV shape and order, agreement with passes at TCA, bad input.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/starlink_2026-04-27.tle"
HEADER="norad_id,name,azimuth_deg,elevation_deg,range_km,range_rate_km_s,site_id"

expect_exit 0 "visible" -- "$SKYFENCE" visible --tle "$TLE" --site 50.45,30.52,180 --time 2026-04-27T12:00:00Z -o "$WORK/v.csv"
[[ "$(head -n 1 "$WORK/v.csv")" == "$HEADER" ]] && pass || fail "header: $(head -n 1 "$WORK/v.csv")"
[[ $(wc -l < "$WORK/v.csv") -gt 10 ]] && pass || fail "expected a few dozen Starlink satellites above 25 deg"
expect_grep '^[0-9]+,STARLINK-[0-9]+,[0-9.]+,[0-9.]+,[0-9.]+,-?[0-9.]+,"50.45,30.52,180"$' "$WORK/v.csv" "row format"
awk -F, 'NR > 2 && $4 > prev { exit 1 } NR > 1 { prev = $4 }' "$WORK/v.csv" && pass || fail "not highest elevation first"
awk -F, 'NR > 1 && ($4 < 25 || $3 < 0 || $3 >= 360 || $5 < 300) { exit 1 }' "$WORK/v.csv" && pass || fail "values out of range"
expect_grep "satellites at or above 25 deg" "$WORK/err" "summary"

# Bug: the README documented `visible --sites FILE`, which did not exist. Each site's rows carry its id
# and equal what --site gives for the same place.
printf 'id,lat_deg,lon_deg,alt_m\nkyiv,50.45,30.52,180\ncapetown,-33.9,18.4,0\n' > "$WORK/sites.csv"
expect_exit 0 "visible --sites" -- "$SKYFENCE" visible --tle "$TLE" --sites "$WORK/sites.csv" --time 2026-04-27T12:00:00Z -o "$WORK/vs.csv"
cmp -s <(awk -F, '$NF == "kyiv"' "$WORK/vs.csv" | cut -d, -f1-6) <(tail -n +2 "$WORK/v.csv" | cut -d, -f1-6) && pass || fail "--sites kyiv rows differ from --site"
awk -F, 'NR > 1 && $NF != "kyiv" && $NF != "capetown" { exit 1 }' "$WORK/vs.csv" && pass || fail "site ids"
grep -q ',capetown$' "$WORK/vs.csv" && pass || fail "no rows for the second site"
expect_grep "from 2 sites" "$WORK/err" "summary counts sites"

# A lower minimum sees more; one thread gives the same bytes.
expect_exit 0 "min elevation 0" -- "$SKYFENCE" visible --tle "$TLE" --site 50.45,30.52,180 --time 2026-04-27T12:00:00Z --min-elevation 0 -q
[[ $(wc -l < "$WORK/out") -gt $(wc -l < "$WORK/v.csv") ]] && pass || fail "0 deg should see more than 25 deg"
expect_exit 0 "one thread" -- "$SKYFENCE" visible --tle "$TLE" --site 50.45,30.52,180 --time 2026-04-27T12:00:00Z --threads 1 -q
cmp -s "$WORK/out" "$WORK/v.csv" && pass || fail "--threads 1 output differs"

# At a pass's TCA the satellite is visible at the pass's maximum elevation.
IR="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
"$SKYFENCE" passes --tle "$IR" --site=-33.9,18.4 --start 2026-04-27T00:00:00Z --stop 2026-04-27T03:00:00Z -q > "$WORK/p.csv"
# (fields counted from the end: the site id "LAT,LON" holds a comma)
ROW=$(awk -F, 'NR > 1 && $NF == "false" && $(NF-1) == "false" { print; exit }' "$WORK/p.csv")
ID=$(awk -F, '{ print $1 }' <<< "$ROW"); TCA=$(awk -F, '{ print $(NF-7) }' <<< "$ROW"); MAXEL=$(awk -F, '{ print $(NF-5) }' <<< "$ROW")
expect_exit 0 "visible at tca" -- "$SKYFENCE" visible --tle "$IR" --site=-33.9,18.4 --time "$TCA" -q
EL=$(awk -F, -v id="$ID" '$1 == id { print $4 }' "$WORK/out")
awk -v a="$EL" -v b="$MAXEL" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a != "" && d < 0.01) }' && pass || fail "elevation at TCA $EL vs pass max $MAXEL"

# Bad input.
expect_exit 2 "no time" -- "$SKYFENCE" visible --tle "$TLE" --site 0,0
expect_exit 2 "bad time" -- "$SKYFENCE" visible --tle "$TLE" --site 0,0 --time yesterday
expect_grep "^skyfence: error: --time: " "$WORK/err" "bad time message"
expect_exit 2 "bad site" -- "$SKYFENCE" visible --tle "$TLE" --site 0 --time 2026-04-27T12:00:00Z
expect_grep "^skyfence: error: --site" "$WORK/err" "bad site message"
expect_exit 2 "bad min elevation" -- "$SKYFENCE" visible --tle "$TLE" --site 0,0 --time 2026-04-27T12:00:00Z --min-elevation -91
expect_exit 2 "no input" -- "$SKYFENCE" visible --site 0,0 --time 2026-04-27T12:00:00Z
expect_exit 2 "unknown satellite" -- "$SKYFENCE" visible --tle "$TLE" --satellite 1 --site 0,0 --time 2026-04-27T12:00:00Z

# --strict with an SGP4 failure: exit 1 and no file (Vallado's 28872 has decayed two hours after epoch).
VER="$DATA/sgp4-verification/SGP4-VER.TLE"
expect_exit 1 "strict with an SGP4 failure" -- "$SKYFENCE" visible --tle "$VER" --accept-bad-checksums --site 0,0 --time 2005-11-29T02:30:00Z --strict -o "$WORK/strict.csv"
[[ ! -e "$WORK/strict.csv" ]] && pass || fail "a failed --strict run left its output"

expect_exit 0 "help" -- "$SKYFENCE" visible --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
# Bundled snapshots by name; debris and rocket bodies are left out and listed unless --all-objects.
expect_exit 0 "bundled catalog" -- "$SKYFENCE" visible --catalog IRIDIUM --site 50.45,30.52 --time 2026-04-27T12:00:00Z --min-elevation 0
[[ $(($(wc -l < "$WORK/out") - 1)) -ge 1 ]] && pass || fail "bundled catalog gives satellites in view"
expect_exit 2 "unknown bundled catalog" -- "$SKYFENCE" visible --catalog nosuch --site 50.45,30.52 --time 2026-04-27T12:00:00Z
MIXED="$DATA/orbits/const_mixed.tle"
expect_exit 0 "payloads only" -- "$SKYFENCE" visible --tle "$MIXED" --site 50.45,30.52 --time 2026-04-27T12:00:00Z --min-elevation -90
expect_grep "left out NORAD 41920 FENGYUN 1C DEB: debris" "$WORK/err" "debris listed"
expect_grep "left out NORAD 41919 CZ-2C R/B: rocket body" "$WORK/err" "rocket body listed"
grep -qE "FENGYUN 1C DEB|R/B|AKM" "$WORK/out" && fail "debris in the output" || pass
expect_exit 0 "all objects" -- "$SKYFENCE" visible --tle "$MIXED" --site 50.45,30.52 --time 2026-04-27T12:00:00Z --min-elevation -90 --all-objects
expect_grep "FENGYUN 1C DEB" "$WORK/out" "--all-objects keeps debris"
finish
