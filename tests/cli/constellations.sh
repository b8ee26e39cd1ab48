# skyfence constellations: listings (table, CSV, JSON), a preset's shells, presets written as TLE that
# the propagator reads, and bad input (exit 2, nothing written).
source "$(dirname "$0")/lib.bash"
E=2026-04-27T00:00:00Z

# The listing: every preset and bundled catalog, with counts and epoch spreads.
expect_exit 0 "listing" -- "$SKYFENCE" constellations
expect_grep "^starlink_gen1 +Starlink Gen1 +5 +4408 " "$WORK/out" "Starlink Gen1 row"
expect_grep "^kuiper +Kuiper +3 +3236 " "$WORK/out" "Kuiper row"
expect_grep "^iridium_next .* 66 " "$WORK/out" "Iridium row"
expect_grep "^telesat_lightspeed_2025 .*264 \(published total only\)" "$WORK/out" "total-only preset marked"
expect_grep "^starlink +tle/starlink_2026-04-27.tle +10238 +2026-04-22T02:25:21Z +2026-04-27T07:29:45Z +2026-04-27T17:57:07Z" \
  "$WORK/out" "Starlink catalog row with epoch spread"
expect_grep "^iridium +tle/iridium-next_2026-04-27.tle +80 " "$WORK/out" "Iridium catalog row"

expect_exit 0 "csv listing" -- "$SKYFENCE" constellations --format csv
expect_grep "^kind,id,system,shells,satellites,can_generate,filing,file,epoch_min_utc,epoch_median_utc,epoch_max_utc$" \
  "$WORK/out" "csv header"
expect_grep "^preset,starlink_gen2,Starlink Gen2,9,29988,true," "$WORK/out" "csv preset row"
expect_grep "^preset,telesat_lightspeed_2025,.*,2,264,false," "$WORK/out" "csv total-only preset"
expect_grep "^catalog,oneweb,,,651,,,tle/oneweb_2026-03-26.tle,2026-03-25T23:27:36Z," "$WORK/out" "csv catalog row"
[[ $(grep -c '^preset,' "$WORK/out") -eq 9 && $(grep -c '^catalog,' "$WORK/out") -eq 7 ]] && pass || fail "9 presets and 7 catalogs in csv"

expect_exit 0 "json listing" -- "$SKYFENCE" constellations --format json
if command -v python3 >/dev/null; then
  python3 - "$WORK/out" <<'EOF' && pass || fail "json listing content"
import json, sys
j = json.load(open(sys.argv[1]))
p = {x["id"]: x for x in j["presets"]}
assert p["kuiper"]["satellites"] == 3236 and [s["walker_f"] for s in p["kuiper"]["shells"]] == [3, 3, 1]
assert p["iridium_next"]["shells"][0]["pattern"] == "star" and p["iridium_next"]["shells"][0]["raan_step_deg"] == 31.6
assert p["telesat_lightspeed_2025"]["can_generate"] is False
assert p["telesat_lightspeed_2025"]["shells"][0]["planes"] is None
assert {c["name"]: c["satellites"] for c in j["catalogs"]} == {"starlink": 10238, "starlink-omm": 9984, "oneweb": 651, "iridium": 80, "kuiper": 210, "starlink-2024-07-16": 6227, "starlink-2025-09-01": 8140}
EOF
fi

# One preset's shells and the layout chosen, with its reasons and sources.
expect_exit 0 "preset shells" -- "$SKYFENCE" constellations --preset Iridium-Next
expect_grep "^0 +Iridium +780 +86.4 +6 +11 +66 +star +31.6 +3$" "$WORK/out" "Iridium shell row"
expect_grep "SaVi" "$WORK/out" "phasing source named"
expect_exit 0 "preset shells csv" -- "$SKYFENCE" constellations --preset starlink_gen1 --format csv
expect_grep "^starlink_gen1,0,Gen1 shell 1,550,53,72,22,1584,delta,5,36," "$WORK/out" "Gen1 shell 1 csv row"

# Generation: TLE the propagator reads; counts, names, ids; the SGP4 radius near 6378.135 + 780 km.
expect_exit 0 "generate iridium" -- "$SKYFENCE" constellations --preset iridium_next --epoch "$E" -o "$WORK/iridium.tle"
expect_grep "66 satellites in 1 shell\(s\) at 2026-04-27T00:00:00Z, NORAD ids 270000-270065" "$WORK/err" "summary"
[[ $(wc -l < "$WORK/iridium.tle") -eq 198 ]] && pass || fail "66 three-line sets expected"
expect_grep "^IRIDIUM_NEXT-0-5-10$" "$WORK/iridium.tle" "last satellite's name"
expect_exit 0 "propagate generated" -- "$SKYFENCE" propagate --tle "$WORK/iridium.tle" --minutes=0:200:5 -q -o "$WORK/states.csv"
awk -F, 'NR > 1 { r = sqrt($5*$5 + $6*$6 + $7*$7) - 6378.135 - 780; if (r < -10 || r > 10) bad++ } END { exit bad > 0 }' \
  "$WORK/states.csv" && pass || fail "generated radius more than 10 km from nominal"
[[ $(awk 'END { print NR }' "$WORK/states.csv") -eq $((66 * 41 + 1)) ]] && pass || fail "66 x 41 states expected"

expect_exit 0 "generate to stdout" -- "$SKYFENCE" constellations --preset kuiper --epoch "$E" --first-id 300000 -q
[[ $(grep -c '^KUIPER-' "$WORK/out") -eq 3236 ]] && pass || fail "3236 Kuiper satellites expected"
expect_grep "^1 W0000U " "$WORK/out" "first id 300000 in Alpha-5 (W0000)"
[[ ! -s "$WORK/err" ]] && pass || fail "quiet run printed to stderr"
expect_exit 0 "generate gen2" -- "$SKYFENCE" constellations --preset starlink_gen2 --epoch "$E" -o "$WORK/gen2.tle"
[[ $(grep -c '^STARLINK_GEN2-' "$WORK/gen2.tle") -eq 29988 ]] && pass || fail "29988 Gen2 satellites expected"

# Bad input: exit 2, a message saying what is wrong, nothing written.
expect_exit 2 "total-only preset" -- "$SKYFENCE" constellations --preset telesat_lightspeed_2025 --epoch "$E" -o "$WORK/t.tle"
expect_grep "only a total of 156 satellites .* cannot be generated" "$WORK/err" "total-only explained"
[[ ! -e "$WORK/t.tle" ]] && pass || fail "failed generation left a file"
expect_exit 2 "unknown preset" -- "$SKYFENCE" constellations --preset globalstar
expect_grep "no constellation preset \"globalstar\"; known: starlink_gen1" "$WORK/err" "known presets listed"
expect_exit 2 "bad epoch" -- "$SKYFENCE" constellations --preset kuiper --epoch 2026-13-01
expect_grep "^skyfence: error: --epoch: " "$WORK/err" "bad epoch named"
expect_exit 2 "epoch without preset" -- "$SKYFENCE" constellations --epoch "$E"
expect_exit 2 "format with generation" -- "$SKYFENCE" constellations --preset kuiper --epoch "$E" --format csv
expect_exit 2 "bad format" -- "$SKYFENCE" constellations --format xml
expect_exit 2 "first id without epoch" -- "$SKYFENCE" constellations --first-id 300000
expect_exit 2 "ids past Alpha-5" -- "$SKYFENCE" constellations --preset starlink_gen2 --epoch "$E" --first-id 320000
expect_grep "--first-id: .*349987" "$WORK/err" "id overflow explained"

# SKYFENCE_DATA overrides the data directory; a broken shells file is located.
mkdir -p "$WORK/data/constellations"
printf '{"sources": {}, "constellations": [{"id": "x", "system": "X", "shells": [{"name": "A", "altitude_km": 550, "total": "six"}]}]}\n' \
  > "$WORK/data/constellations/shells.json"
expect_exit 2 "bad shells file" -- env SKYFENCE_DATA="$WORK/data" "$SKYFENCE" constellations --preset x
expect_grep "shells.json: constellations\[0\].shells\[0\].total: expected an integer" "$WORK/err" "bad shells file located"
expect_exit 2 "missing data dir" -- env SKYFENCE_DATA="$WORK/nowhere" "$SKYFENCE" constellations
expect_grep "nowhere/constellations/shells.json" "$WORK/err" "missing file named"
ls "$WORK" | grep -q tmp- && fail "temporary file left behind" || pass

# Help teaches: examples and the exit statuses.
expect_exit 0 "help" -- "$SKYFENCE" constellations --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
finish
