# skyfence route: CSV shape, consistency of the columns, summaries, pairs files, to-internet, thread
# invariance, bent pipe, plane inference on a real catalog, bad input.
source "$(dirname "$0")/lib.bash"
CITIES="$REPO_DATA/cities/cities_top100.csv"
HEADER="time_utc,src,dst,rtt_ms,one_way_ms,hops,path,serving_satellite,slot_start"
SUMMARY="src,dst,steps,reachable_steps,unreachable_share,rtt_min_ms,rtt_median_ms,rtt_p95_ms,rtt_max_ms,rtt_mean_ms,path_changes,hops_min,hops_max,boundary_jumps,boundary_jump_median_ms,boundary_jump_p95_ms,boundary_jump_max_ms,inside_jumps,inside_jump_median_ms,inside_jump_p95_ms,inside_jump_max_ms,early_reassignments"
SHELL1=(--preset starlink-gen1 --satellite 'STARLINK_GEN1-0-*')
# The window is half-open (time/window.h): 25 s at 5 s is the 5 steps 0, 5, 10, 15 and 20 s.
WIN=(--start 2026-05-01T00:00:00Z --duration 25s --step 5s)

expect_exit 0 "from/to" -- "$SKYFENCE" route "${SHELL1[@]}" --satellites-only --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" -o "$WORK/r.csv"
[[ "$(head -n 1 "$WORK/r.csv")" == "$HEADER" ]] && pass || fail "header: $(head -n 1 "$WORK/r.csv")"
[[ $(wc -l < "$WORK/r.csv") -eq 6 ]] && pass || fail "expected 5 steps (0, 5, 10, 15, 20 s): $(wc -l < "$WORK/r.csv") lines"
expect_grep "^2026-05-01T00:00:00.000Z,Manila,Dalian,[0-9]+\.[0-9]{3},[0-9]+\.[0-9]{3},[0-9]+,Manila>([0-9]+>)+Dalian,[0-9]+,$" "$WORK/r.csv" "row format"
# serving_satellite is the first satellite of the path (no slots: slot_start empty).
awk -F, 'NR > 1 { split($7, p, ">"); if ($8 != p[2] || $9 != "") exit 1 }' "$WORK/r.csv" && pass || fail "serving satellite: $(sed -n 2p "$WORK/r.csv")"
# rtt = 2 x one way; hops = links on the path; Manila-Dalian (2600 km) is above 2 x 2600 / c = 17 ms.
awk -F, 'NR > 1 { d = $4 - 2 * $5; if (d < -0.0015 || d > 0.0015) exit 1; n = split($7, p, ">"); if (n - 1 != $6) exit 1; if ($4 < 17.0 || $4 > 100.0) exit 1 }' "$WORK/r.csv" \
  && pass || fail "rtt, one-way and hops disagree: $(sed -n 2p "$WORK/r.csv")"
expect_grep "1 pair\(s\) x 5 step\(s\), 1584 satellites" "$WORK/err" "stderr summary"

# One thread gives the same bytes.
expect_exit 0 "one thread" -- "$SKYFENCE" route "${SHELL1[@]}" --satellites-only --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --threads 1 -q
cmp -s "$WORK/out" "$WORK/r.csv" && pass || fail "--threads 1 output differs"
[[ ! -s "$WORK/err" ]] && pass || fail "-q still wrote to stderr: $(head -c 300 "$WORK/err")"
# Allowing gateways and fibre (the default) can only shorten a route, step by step.
expect_exit 0 "ground relay" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" -q
paste -d, <(cut -d, -f4 "$WORK/out") <(cut -d, -f4 "$WORK/r.csv") | awk -F, 'NR > 1 && $1 > $2 + 0.0005 { exit 1 }' \
  && pass || fail "ground relay made a route longer"

# Pairs file and summary: one row per pair, in file order; p95 between median and max.
expect_exit 0 "pairs summary" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs.csv" "${WIN[@]}" --summary -q
[[ "$(head -n 1 "$WORK/out")" == "$SUMMARY" ]] && pass || fail "summary header: $(head -n 1 "$WORK/out")"
[[ "$(cut -d, -f1,2 "$WORK/out" | tail -n +2 | tr '\n' ' ')" == "Manila,Dalian Istanbul,Nairobi Paris,Moskva-(Moscow) " ]] && pass || fail "pairs order: $(cat "$WORK/out")"
awk -F, 'NR > 1 { if ($3 != 5 || !($6 <= $7 && $7 <= $8 && $8 <= $9)) exit 1 }' "$WORK/out" && pass || fail "summary values: $(cat "$WORK/out")"
# The summary agrees with the per-step rows.
"$SKYFENCE" route "${SHELL1[@]}" --satellites-only --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --summary -q > "$WORK/s.csv"
MIN=$(awk -F, 'NR > 1 { if (m == "" || $4 < m) m = $4 } END { print m }' "$WORK/r.csv")
[[ "$(sed -n 2p "$WORK/s.csv" | cut -d, -f6)" == "$MIN" ]] && pass || fail "summary min $(sed -n 2p "$WORK/s.csv") vs rows $MIN"

# To the internet: every site to a PoP through a gateway.
printf 'id,lat_deg,lon_deg\nseattle,47.6,-122.3\nmadrid,40.4,-3.7\n' > "$WORK/terminals.csv"
expect_exit 0 "to internet" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$WORK/terminals.csv" --to-internet "${WIN[@]}" -q
awk -F, 'NR > 1 && $3 !~ /^POP[0-9]+$/ { exit 1 }' "$WORK/out" && pass || fail "dst is not a PoP: $(sed -n 2p "$WORK/out")"
expect_grep "^[^,]+,seattle,POP[0-9]+,[0-9.]+,[0-9.]+,[0-9]+,seattle>([0-9]+>)+GS[0-9]+>POP[0-9]+,[0-9]+,$" "$WORK/out" "path ends gateway>PoP"

# Bent pipe over satellites only: Paris and Moscow never share a satellite, so no route (empty fields).
expect_exit 0 "bent pipe" -- "$SKYFENCE" route "${SHELL1[@]}" --isl none --satellites-only --sites "$CITIES" --from Paris --to "Moskva-(Moscow)" "${WIN[@]}" -q
expect_grep "^2026-05-01T00:00:00.000Z,Paris,Moskva-\(Moscow\),,,,,,$" "$WORK/out" "unreachable row"
expect_exit 0 "bent pipe summary" -- "$SKYFENCE" route "${SHELL1[@]}" --isl none --satellites-only --sites "$CITIES" --from Paris --to "Moskva-(Moscow)" "${WIN[@]}" -q --summary
expect_grep "^Paris,Moskva-\(Moscow\),5,0,1.000000,,,,,,0,,,0,,,,0,,,,0$" "$WORK/out" "all unreachable summary"
# With gateways and fibre the bent pipe gets through.
expect_exit 0 "bent pipe via ground" -- "$SKYFENCE" route "${SHELL1[@]}" --isl none --sites "$CITIES" --from Paris --to "Moskva-(Moscow)" "${WIN[@]}" -q
expect_grep ">GS[0-9]+>POP[0-9]+>" "$WORK/out" "ground relay path"

# A real catalog: planes inferred and reported, misfits listed.
expect_exit 0 "real catalog" -- "$SKYFENCE" route --catalog starlink --sites "$CITIES" --from Paris --to Istanbul --start 2026-04-27T00:00:00Z --duration 1s --step 1s
expect_grep "planes inferred from the elements: [0-9]+ shell" "$WORK/err" "inference report"
expect_grep "fit no plane and get no inter-satellite links" "$WORK/err" "misfits listed"
[[ $(wc -l < "$WORK/out") -eq 2 ]] && pass || fail "one step: $(cat "$WORK/out")"

# Bug: windows meant different things in different commands (route included STOP, coverage did not; a
# zero-length window was accepted here and refused there). One convention now: [START, STOP).
expect_exit 0 "half-open window" -- "$SKYFENCE" route "${SHELL1[@]}" --satellites-only --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --stop 2026-05-01T00:00:20Z --step 5s -q
[[ $(wc -l < "$WORK/out") -eq 5 ]] && pass || fail "20 s at 5 s is 4 steps, STOP excluded: $(wc -l < "$WORK/out") lines"
tail -n 1 "$WORK/out" | grep -q "^2026-05-01T00:00:15.000Z," && pass || fail "last step is 15 s: $(tail -n 1 "$WORK/out")"
expect_exit 0 "window off the step grid" -- "$SKYFENCE" route "${SHELL1[@]}" --satellites-only --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --duration 12s --step 5s -q
[[ $(wc -l < "$WORK/out") -eq 4 ]] && pass || fail "12 s at 5 s is 3 steps (0, 5, 10): $(wc -l < "$WORK/out") lines"
expect_exit 2 "zero-length window" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --duration 0s --step 1s
expect_grep "skyfence: error: --duration: expected a time after --start" "$WORK/err" "zero-length window located"

# Bad input.
expect_exit 2 "unknown from" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Atlantis --to Dalian "${WIN[@]}"
expect_grep "^skyfence: error: --from: expected the id of a site in .*cities_top100.csv, got \"Atlantis\"" "$WORK/err" "unknown id message"
expect_exit 2 "from without to" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila "${WIN[@]}"
expect_exit 2 "no pairs" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" "${WIN[@]}"
expect_exit 2 "pairs and to-internet" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs.csv" --to-internet "${WIN[@]}"
expect_exit 2 "pairs unknown id" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs_unknown_id.csv" "${WIN[@]}"
expect_grep "pairs_unknown_id.csv:2: dst: expected the id of a site" "$WORK/err" "pairs file location"
expect_exit 2 "pairs no header" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs_no_header.csv" "${WIN[@]}"
expect_grep "pairs_no_header.csv:1: header: expected a header row with columns src and dst" "$WORK/err" "pairs header message"
expect_exit 2 "pairs extra field" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs_extra_field.csv" "${WIN[@]}"
expect_grep "pairs_extra_field.csv:2: expected 2 fields as in the header, found 3" "$WORK/err" "field count message"
expect_exit 2 "bad site row, strict" -- "$SKYFENCE" route "${SHELL1[@]}" --strict --sites "$DATA/network/sites_bad_lat.csv" --from A --to A "${WIN[@]}"
expect_grep "sites_bad_lat.csv:3: lat_deg" "$WORK/err" "site row location"
expect_exit 2 "zero step" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --duration 20s --step 0s
expect_grep "^skyfence: error: --step: expected a positive step" "$WORK/err" "zero step message"
expect_exit 2 "too many steps" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --duration 365d --step 1s
expect_exit 2 "stop and duration" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --stop 2026-05-01T00:01:00Z --duration 20s --step 5s
expect_exit 2 "neither stop nor duration" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --step 5s
expect_exit 2 "stop before start" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian --start 2026-05-01T00:00:00Z --stop 2026-04-30T00:00:00Z --step 5s
expect_exit 2 "bad isl" -- "$SKYFENCE" route "${SHELL1[@]}" --isl ring --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}"
expect_exit 2 "bad elevation" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --gateway-min-elevation 95
expect_grep "^skyfence: error: network: gateway_min_elevation_rad must lie in \[-pi/2, pi/2\]" "$WORK/err" "elevation message"
expect_exit 2 "bad route factor" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --fibre-route-factor 0.5
expect_grep "^skyfence: error: network: fibre_route_factor must lie in \[1, 100\]" "$WORK/err" "route factor message"
expect_exit 2 "bad isl range" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --isl-max-range -1
expect_exit 2 "bad grazing altitude" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --grazing-altitude 20000
expect_exit 2 "bad fibre index" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --fibre-index 11
expect_exit 2 "missing gateways file" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}" --gateways "$WORK/none.csv"
expect_exit 2 "no input" -- "$SKYFENCE" route --sites "$CITIES" --from Manila --to Dalian "${WIN[@]}"
# A failed run leaves no output file.
expect_exit 2 "no half file" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Atlantis "${WIN[@]}" -o "$WORK/half.csv"
[[ ! -e "$WORK/half.csv" ]] && pass || fail "an output file was left behind"

expect_exit 0 "help" -- "$SKYFENCE" route --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
expect_grep "plus-grid" "$WORK/out" "help explains ISLs"
finish
