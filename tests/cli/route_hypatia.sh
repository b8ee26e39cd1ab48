# skyfence route configured as Hypatia: --hypatia-state against Hypatia's own RTTs and paths
# (tests/data/hypatia-starlink-550), the equivalent explicit forms (--isl-pairing same-index, --isls in
# both formats), --gsl-max-range, and bad input.
source "$(dirname "$0")/lib.bash"
H="$DATA/hypatia-starlink-550"
# 30 steps of Hypatia's 200 (the library test, HypatiaStarlink550.*, checks all of them).
WIN=(--start 2000-01-01T00:00:00Z --duration 30s --step 1s)
printf 'src,dst\nParis,Luanda\nNew-York-Newark,London\n' > "$WORK/pairs.csv"

expect_exit 0 "hypatia state" -- "$SKYFENCE" route --hypatia-state "$H" --pairs "$WORK/pairs.csv" "${WIN[@]}" -o "$WORK/h.csv"
expect_grep "2 pair\(s\) x 30 step\(s\), 1584 satellites .*0 gateways, 0 PoPs; ISLs up 100.0% of 3168 candidates" "$WORK/err" "summary line"
# Against Hypatia's rtt_by_step.csv: RTT within 1e-5 relative plus the CLI's rounding (0.0005 ms); the
# path identical once satellites are numbered as Hypatia does (its id = NORAD id - 1) and cities as nodes.
awk -F, '
  NR == FNR { if (FNR > 1) { key = $4 "," $5 "," int($1); rtt[key] = $6; path[key] = $8 }; next }
  FNR == 1 { next }
  {
    split($1, hms, ":"); t = hms[3] + 0; key = $2 "," $3 "," int(t)
    if (!(key in rtt)) { print "no Hypatia row for " key; bad = 1; next }
    d = $4 - rtt[key]; if (d < 0) d = -d
    if (d > 1e-5 * rtt[key] + 0.0005) { print "rtt " key ": " $4 " vs " rtt[key]; bad = 1 }
    n = split($7, p, ">"); m = split(path[key], q, "-")
    if (n != m) { print "path length " key; bad = 1; next }
    for (i = 2; i < n; ++i) if (p[i] - 1 != q[i]) { print "path " key ": " $7 " vs " path[key]; bad = 1; break }
    ++rows
  }
  END { if (rows != 60) { print "rows " rows; bad = 1 }; exit bad }' "$H/rtt_by_step.csv" "$WORK/h.csv" > "$WORK/cmp.txt" \
  && pass || fail "disagrees with Hypatia: $(head -5 "$WORK/cmp.txt")"

# The same network spelt out: same-index pairing on Hypatia's planes, its isls.txt, and the NORAD-id CSV.
expect_exit 0 "same-index" -- "$SKYFENCE" route --hypatia-state "$H" --isl-pairing same-index --isl-shift 0 --pairs "$WORK/pairs.csv" "${WIN[@]}" -q
cmp -s "$WORK/out" "$WORK/h.csv" && pass || fail "--isl-pairing same-index differs from isls.txt"
expect_exit 0 "isls.txt" -- "$SKYFENCE" route --hypatia-state "$H" --isls "$H/isls.txt" --pairs "$WORK/pairs.csv" "${WIN[@]}" -q
cmp -s "$WORK/out" "$WORK/h.csv" && pass || fail "--isls isls.txt differs"
{ echo "norad_b,norad_a"; awk '{ print $2 + 1 "," $1 + 1 }' "$H/isls.txt"; } > "$WORK/isls.csv"
expect_exit 0 "isls csv" -- "$SKYFENCE" route --hypatia-state "$H" --isls "$WORK/isls.csv" --pairs "$WORK/pairs.csv" "${WIN[@]}" -q
cmp -s "$WORK/out" "$WORK/h.csv" && pass || fail "--isls CSV of NORAD ids differs"
# skyfence's own rule (nearest) is another network: some step differs.
expect_exit 0 "nearest" -- "$SKYFENCE" route --hypatia-state "$H" --isl-pairing nearest --pairs "$WORK/pairs.csv" "${WIN[@]}" -q
cmp -s "$WORK/out" "$WORK/h.csv" && fail "--isl-pairing nearest gave Hypatia's network" || pass
# Elevation masks instead of Hypatia's slant range: 40 deg at both ends removes links, never adds them.
expect_exit 0 "elevation" -- "$SKYFENCE" route --hypatia-state "$H" --min-elevation 40 --pairs "$WORK/pairs.csv" "${WIN[@]}" -q
paste -d, <(cut -d, -f4 "$WORK/out") <(cut -d, -f4 "$WORK/h.csv") | awk -F, 'NR > 1 && $1 != "" && $1 < $2 - 0.0005 { exit 1 }' \
  && pass || fail "a 40 deg mask shortened a route"

# --sites replaces Hypatia's ground stations (the bundled cities have the same names); --gateways and
# --pops bring ground relay back.
expect_exit 0 "state with sites and gateways" -- "$SKYFENCE" route --hypatia-state "$H" --sites "$REPO_DATA/cities/cities_top100.csv" \
  --gateways "$REPO_DATA/gateways/starlink_gateways.csv" --pops "$REPO_DATA/gateways/starlink_pops.csv" --from Paris --to Luanda "${WIN[@]}"
expect_grep "1 pair\(s\) x 30 step\(s\), 1584 satellites .*261 gateways, 23 PoPs" "$WORK/err" "gateways loaded"
expect_grep "^2000-01-01T00:00:00.000Z,Paris,Luanda,[0-9]+\.[0-9]{3}," "$WORK/out" "routed with the cities file"

# --gsl-max-range on a preset: a range below the 550 km altitude leaves no ground link.
SHELL1=(--preset starlink-gen1 --satellite 'STARLINK_GEN1-0-*' --satellites-only --sites "$REPO_DATA/cities/cities_top100.csv" --from Paris --to London --start 2026-05-01T00:00:00Z --duration 2s --step 1s)
expect_exit 0 "gsl range" -- "$SKYFENCE" route "${SHELL1[@]}" --gsl-max-range 1500 -q
expect_grep "^2026-05-01T00:00:00.000Z,Paris,London,[0-9]+\.[0-9]{3}," "$WORK/out" "reachable with 1500 km"
expect_exit 0 "gsl range too short" -- "$SKYFENCE" route "${SHELL1[@]}" --gsl-max-range 500 -q
expect_grep "^2026-05-01T00:00:00.000Z,Paris,London,,,,,,$" "$WORK/out" "unreachable with 500 km"

# Bad input.
printf '0 1\n0 1584\n' > "$WORK/bad_isls.txt"
expect_exit 2 "isl index out of range" -- "$SKYFENCE" route --hypatia-state "$H" --isls "$WORK/bad_isls.txt" --from Paris --to Luanda "${WIN[@]}"
expect_grep "bad_isls.txt:2: b: expected a satellite index below 1584" "$WORK/err" "located isl error"
printf 'norad_a,norad_b\n1,2\n3,3\n' > "$WORK/bad_isls.csv"
expect_exit 2 "isl self link" -- "$SKYFENCE" route --hypatia-state "$H" --isls "$WORK/bad_isls.csv" --from Paris --to Luanda "${WIN[@]}"
expect_grep "bad_isls.csv:3: norad_b: expected two distinct satellites" "$WORK/err" "located self link"
expect_exit 2 "shift needs same-index" -- "$SKYFENCE" route --hypatia-state "$H" --isl-shift 1 --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "shift needs same-index, not nearest" -- "$SKYFENCE" route --hypatia-state "$H" --isl-pairing nearest --isl-shift 1 --from Paris --to Luanda "${WIN[@]}"
expect_grep "applies to --isl-pairing same-index only" "$WORK/err" "shift with nearest"
expect_exit 2 "no links excludes a link list" -- "$SKYFENCE" route --hypatia-state "$H" --isl none --isls "$H/isls.txt" --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "range excludes elevation" -- "$SKYFENCE" route "${SHELL1[@]}" --gsl-max-range 1000 --min-elevation 10
expect_exit 2 "range must be positive" -- "$SKYFENCE" route "${SHELL1[@]}" --gsl-max-range -5
expect_exit 2 "isls excludes pairing" -- "$SKYFENCE" route --hypatia-state "$H" --isls "$H/isls.txt" --isl-pairing nearest --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "state excludes --satellite" -- "$SKYFENCE" route --hypatia-state "$H" --satellite 5 --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "state excludes --tle" -- "$SKYFENCE" route --hypatia-state "$H" --tle "$H/tles.txt" --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "sites needed" -- "$SKYFENCE" route --preset starlink-gen1 --from Paris --to Luanda "${WIN[@]}"
expect_exit 2 "unknown city" -- "$SKYFENCE" route --hypatia-state "$H" --from Paris --to Atlantis "${WIN[@]}"
expect_grep "expected the id of a site in .*hypatia-starlink-550/ground_stations.txt, got \"Atlantis\"" "$WORK/err" "unknown city named"
mkdir -p "$WORK/state" && cp "$H"/*.txt "$WORK/state/" && printf 'max_gsl_length_m=1e6\n' > "$WORK/state/description.txt"
expect_exit 2 "description without max_isl" -- "$SKYFENCE" route --hypatia-state "$WORK/state" --from Paris --to Luanda "${WIN[@]}"
expect_grep "description.txt: max_isl_length_m: expected max_isl_length_m=..., found none" "$WORK/err" "description error"
finish
