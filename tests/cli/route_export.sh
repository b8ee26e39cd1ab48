# skyfence route --export-hypatia: Hypatia's static and dynamic state, checked by a reference reader of
# its format (hypatia_export_check.py, /usr/bin/python3), hop by hop against route's own paths and
# Hypatia's published paths (tests/data/hypatia-starlink-550), on Hypatia's case and on the real
# Starlink catalog with gateways; thread invariance; refusal to overwrite; nothing left by a failed run.
source "$(dirname "$0")/lib.bash"
H="$DATA/hypatia-starlink-550"
PY=/usr/bin/python3
CHECK="$(dirname "$0")/hypatia_export_check.py"
HWIN=(--start 2000-01-01T00:00:00Z --duration 20s --step 1s)
printf 'src,dst\nParis,Luanda\nNew-York-Newark,London\nLuanda,Paris\nLondon,New-York-Newark\nTokyo,Sydney\n' > "$WORK/pairs.csv"

# Hypatia's case configured as Hypatia: the walk of the exported fstate is route's path and Hypatia's own
# path at each of the 20 steps (its paths change at 10 s and 16 s for New York -> London).
expect_exit 0 "export hypatia" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/h" --pairs "$WORK/pairs.csv" "${HWIN[@]}" -o "$WORK/h.csv"
expect_grep "exported 20 step\(s\) \(every 1000000000 ns\), 1584 satellites .*100 ground stations \(100 sites, 0 gateways\), 3168 ISLs" "$WORK/err" "export summary"
grep -q "epoch other than" "$WORK/err" && fail "Hypatia's TLEs are at --start: no epoch warning expected" || pass
expect_grep "0 of 1584 element set\(s\) re-fitted" "$WORK/err" "nothing re-fitted"
expect_exit 0 "check hypatia export" -- "$PY" "$CHECK" "$WORK/h" --routes "$WORK/h.csv" --hypatia-paths "$H" --same-epoch
expect_grep "^ok: 1584 satellites, 100 ground stations, 20 steps, 3168 ISLs" "$WORK/out" "checker summary"
# The static files say what Hypatia's do: the same element sets (line 2 verbatim), links and limits.
cmp -s <(grep '^2 ' "$H/tles.txt") <(grep '^2 ' "$WORK/h/tles.txt") && pass || fail "tles.txt line 2 differs"
# Hypatia's element sets are at --start already: passed through (line 1 too, but for its zero exponent
# "00000-0" written "00000+0" and the checksum that follows), none re-fitted.
cmp -s <(grep '^1 ' "$H/tles.txt" | cut -c1-68 | sed 's/00000-0/00000+0/g') <(grep '^1 ' "$WORK/h/tles.txt" | cut -c1-68) && pass || fail "tles.txt line 1 differs"
[[ "$(awk -F, 'NR > 1 && $5 == 0' "$WORK/h/epoch_refit.csv" | wc -l)" == 1584 ]] && pass || fail "Hypatia's sets re-fitted: $(head -3 "$WORK/h/epoch_refit.csv")"
[[ "$(head -1 "$WORK/h/tles.txt")" == "72 22" ]] && pass || fail "tles.txt header"
cmp -s <(sort "$H/isls.txt") <(sort "$WORK/h/isls.txt") && pass || fail "isls.txt has other links"
cmp -s "$H/description.txt" "$WORK/h/description.txt" && pass || fail "description.txt: $(cat "$WORK/h/description.txt")"
cmp -s <(cut -d, -f1-5 "$H/ground_stations.txt") <(cut -d, -f1-5 "$WORK/h/ground_stations.txt") && pass || fail "ground stations"
# satgenpy's first step: every entry (1684 nodes x 100 destinations - 100); later steps only changes.
[[ "$(wc -l < "$WORK/h/fstate_0.txt")" -eq 168300 ]] && pass || fail "fstate_0 has $(wc -l < "$WORK/h/fstate_0.txt") lines"
[[ "$(wc -l < "$WORK/h/fstate_1000000000.txt")" -lt 5000 ]] && pass || fail "fstate_1000000000 is not a delta"
[[ "$(wc -l < "$WORK/h/gsl_if_bandwidth_0.txt")" -eq 1684 && ! -s "$WORK/h/gsl_if_bandwidth_1000000000.txt" ]] && pass || fail "gsl_if_bandwidth files"

# Seven cities on Hypatia's satellites (a small export): thread invariance, pairs optional, and the
# reference reader can fail (a wrong interface, a route that is not the walk).
{ head -1 "$REPO_DATA/cities/cities_top100.csv"; grep -E "^(London|Paris|Madrid|Lagos|New-York-Newark|Sydney|Tokyo)," "$REPO_DATA/cities/cities_top100.csv"; } > "$WORK/cities.csv"
printf 'src,dst\nLondon,Madrid\nParis,Lagos\nNew-York-Newark,London\nSydney,Tokyo\nTokyo,Paris\n' > "$WORK/rpairs.csv"
W5=(--start 2000-01-01T00:00:00Z --duration 5s --step 1s)
SMALL=(--hypatia-state "$H" --sites "$WORK/cities.csv" "${W5[@]}")
expect_exit 0 "1 thread" -- "$SKYFENCE" route "${SMALL[@]}" --pairs "$WORK/rpairs.csv" --export-hypatia "$WORK/t1" --threads 1 -q -o "$WORK/t1.csv"
expect_exit 0 "2 threads" -- "$SKYFENCE" route "${SMALL[@]}" --pairs "$WORK/rpairs.csv" --export-hypatia "$WORK/t2" --threads 2 -q -o "$WORK/t2.csv"
diff -r "$WORK/t1" "$WORK/t2" > /dev/null && pass || fail "the export depends on the thread count"
cmp -s "$WORK/t1.csv" "$WORK/t2.csv" && pass || fail "the routes depend on the thread count"
expect_exit 0 "check small export" -- "$PY" "$CHECK" "$WORK/t1" --routes "$WORK/t1.csv" --all-pairs --same-epoch
expect_grep "^ok: 1584 satellites, 7 ground stations, 5 steps" "$WORK/out" "small checker summary"
expect_exit 0 "no pairs" -- "$SKYFENCE" route "${SMALL[@]}" --export-hypatia "$WORK/t3" -q
[[ ! -s "$WORK/out" ]] && pass || fail "no pairs: nothing expected on stdout"
diff -r "$WORK/t1" "$WORK/t3" > /dev/null && pass || fail "the pairs changed the export"
cp -r "$WORK/t1" "$WORK/bad"
sed -i '1s/^\([0-9]*,[0-9]*,[0-9]*\),\([0-9]*\),/\1,7,/' "$WORK/bad/fstate_0.txt"
expect_exit 1 "checker sees a bad interface" -- "$PY" "$CHECK" "$WORK/bad"
expect_grep "ISL 7 of 0 does not lead|invalid current interface" "$WORK/err" "bad interface named"
# Another satellite in the middle of the first row's path.
awk -F, 'NR == 2 { n = split($7, p, ">"); p[2] = p[2] + 1; $7 = p[1]; for (i = 2; i <= n; ++i) $7 = $7 ">" p[i] } { print }' OFS=, "$WORK/t1.csv" > "$WORK/bad.csv"
cmp -s "$WORK/t1.csv" "$WORK/bad.csv" && fail "bad.csv unchanged" || pass
expect_exit 1 "checker sees another path" -- "$PY" "$CHECK" "$WORK/t1" --routes "$WORK/bad.csv"
expect_grep "routes: .*: route \[" "$WORK/err" "path mismatch named"

# The real catalog (10,238 Starlink satellites, planes inferred) with cities and gateways as ground
# stations: every ordered pair walked at every step, route's paths reproduced.
{ head -1 "$REPO_DATA/gateways/starlink_gateways.csv"; grep -E "^GS(1|2|100|150|200|251|261)," "$REPO_DATA/gateways/starlink_gateways.csv"; } > "$WORK/gw.csv"
expect_exit 0 "export real catalog" -- "$SKYFENCE" route --tle "$REPO_DATA/tle/starlink_2026-04-27.tle" --sites "$WORK/cities.csv" --gateways "$WORK/gw.csv" \
  --export-hypatia "$WORK/real" --pairs "$WORK/rpairs.csv" --start 2026-04-27T00:00:00Z --duration 2m --step 1m -o "$WORK/real.csv"
expect_grep "exported 2 step\(s\) .* 10238 satellites .* 14 ground stations \(7 sites, 7 gateways\)" "$WORK/err" "real export summary"
expect_grep "10238 of 10238 element set\(s\) re-fitted to --start 2026-04-27T00:00:00.000Z" "$WORK/err" "refit summary"
grep -q "epoch other than\|differ from their element sets" "$WORK/err" && fail "refit warnings: $(cat "$WORK/err")" || pass
expect_grep "^13,GS261," "$WORK/real/ground_stations.txt" "gateways after the sites"
# One epoch for all (satgenpy's rule), and every re-fitted set within 1 km of the catalog's over the
# window by python-sgp4, as ns-3 propagates it (docs/network.md, "Epochs").
expect_exit 0 "check real export" -- "$PY" "$CHECK" "$WORK/real" --routes "$WORK/real.csv" --all-pairs --same-epoch \
  --refit-from "$REPO_DATA/tle/starlink_2026-04-27.tle" --start 2026-04-27T00:00:00Z
expect_grep "^ok: 10238 satellites, 14 ground stations, 2 steps.*; 10238 re-fitted sets within 0\.0[0-9]* km" "$WORK/out" "real checker summary"
# The check can fail: a bound below the residuals, and the element sets written as they are.
expect_exit 1 "refit bound" -- "$PY" "$CHECK" "$WORK/real" --refit-from "$REPO_DATA/tle/starlink_2026-04-27.tle" \
  --start 2026-04-27T00:00:00Z --refit-bound 0.001
# The options' behaviour on 200 of the sets (the first 600 lines: name and two lines each), not the whole
# catalog again.
head -n 600 "$REPO_DATA/tle/starlink_2026-04-27.tle" > "$WORK/some.tle"
expect_exit 0 "keep epochs" -- "$SKYFENCE" route --tle "$WORK/some.tle" --sites "$WORK/cities.csv" --gateways "$WORK/gw.csv" \
  --export-hypatia "$WORK/kept" --keep-epochs --start 2026-04-27T00:00:00Z --duration 2m --step 1m -q
expect_grep "element set\(s\) have an epoch other than --start" "$WORK/err" "epoch warning with --keep-epochs"
[[ ! -e "$WORK/kept/epoch_refit.csv" ]] && pass || fail "--keep-epochs wrote epoch_refit.csv"
expect_exit 1 "kept epochs fail the one-epoch check" -- "$PY" "$CHECK" "$WORK/kept" --same-epoch
# A threshold below the residuals warns, naming satellites; --keep-epochs excludes it.
expect_exit 0 "refit threshold" -- "$SKYFENCE" route --tle "$WORK/some.tle" --sites "$WORK/cities.csv" --gateways "$WORK/gw.csv" \
  --export-hypatia "$WORK/strict" --refit-max-error 0.001 --start 2026-04-27T00:00:00Z --duration 2m --step 1m -q
expect_grep "re-fitted satellite\(s\) differ from their element sets by more than 0.001 km over the window \(NORAD [0-9]+" "$WORK/err" "threshold warning"
expect_exit 2 "--refit-max-error with --keep-epochs" -- "$SKYFENCE" route --tle "$REPO_DATA/tle/starlink_2026-04-27.tle" --sites "$WORK/cities.csv" \
  --export-hypatia "$WORK/x" --keep-epochs --refit-max-error 2 --start 2026-04-27T00:00:00Z --duration 2m --step 1m
expect_exit 2 "--refit-max-error without the export" -- "$SKYFENCE" route --tle "$REPO_DATA/tle/starlink_2026-04-27.tle" --sites "$WORK/cities.csv" \
  --to-internet --refit-max-error 2 --start 2026-04-27T00:00:00Z --duration 2m --step 1m

# Bad input: a folder with files is never replaced without --overwrite, and is left as it was.
mkdir -p "$WORK/full" && echo keep > "$WORK/full/mine.txt"
expect_exit 2 "non-empty folder" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/full" "${W5[@]}"
expect_grep "full: expected a new or empty folder, found one with files in it \(give --overwrite" "$WORK/err" "refusal message"
[[ "$(ls "$WORK/full")" == "mine.txt" ]] && pass || fail "the folder was changed: $(ls "$WORK/full")"
ls "$WORK" | grep -q "tmp-" && fail "temporary folder left" || pass
expect_exit 0 "overwrite" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/full" "${W5[@]}" --overwrite -q
[[ ! -e "$WORK/full/mine.txt" && -e "$WORK/full/fstate_4000000000.txt" ]] && pass || fail "--overwrite did not replace the folder"
ls "$WORK" | grep -qE "tmp-|old-" && fail "temporary or old folder left after --overwrite" || pass
mkdir "$WORK/empty"
expect_exit 0 "empty folder" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/empty" "${W5[@]}" -q
[[ -e "$WORK/empty/tles.txt" ]] && pass || fail "empty folder not written"
expect_exit 0 "trailing slash" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/slash/" "${W5[@]}" -q
[[ -e "$WORK/slash/tles.txt" ]] && pass || fail "DIR/ not written"
expect_exit 2 "dot" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/." "${W5[@]}" --overwrite
expect_grep "expected the name of a folder to create or replace" "$WORK/err" "dot message"
touch "$WORK/afile"
expect_exit 2 "a file" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/afile" "${W5[@]}"
expect_grep "afile: expected a folder for Hypatia's state, found a file" "$WORK/err" "file message"
expect_exit 2 "no parent" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/no/such" "${W5[@]}"
expect_grep "expected an existing parent folder" "$WORK/err" "parent message"
expect_exit 2 "overwrite alone" -- "$SKYFENCE" route --hypatia-state "$H" --from Paris --to Luanda "${W5[@]}" --overwrite
expect_exit 2 "to-internet" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/x" --to-internet "${W5[@]}"
expect_exit 2 "gateway mask" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/x" --min-elevation 25 --gateway-min-elevation 10 "${W5[@]}"
expect_grep "gateways are ground stations under --min-elevation" "$WORK/err" "gateway mask message"
[[ ! -e "$WORK/x" ]] && pass || fail "a refused export wrote its folder"
expect_exit 2 "no pairs without export" -- "$SKYFENCE" route --hypatia-state "$H" "${W5[@]}"
# An interrupted export leaves neither the folder nor its temporary.
expect_interrupted 1 "$WORK/int" "interrupted export" -- "$SKYFENCE" route --hypatia-state "$H" --export-hypatia "$WORK/int" \
  --start 2000-01-01T00:00:00Z --duration 2000s --step 100ms -q

finish
