# skyfence locate: the bundled example's terminals are found where they are (the observations were
# simulated at known positions, scripts/simulate-observations.sh), the outputs' shape, the README
# example, bad input.
source "$(dirname "$0")/lib.bash"
OBS="$REPO_DATA/observations/example.csv"

# The README's example: top-1 rule over Ukraine, inside/outside Ukraine.
expect_exit 0 "locate top-k" -- "$SKYFENCE" locate --observations "$OBS" --catalog starlink --prior Ukraine \
  --rule top-k --region Ukraine -o "$WORK/cells.csv" --summary "$WORK/where.json"
[[ "$(head -n 1 "$WORK/cells.csv")" == "terminal_id,cell_id,lat_deg,lon_deg,area_km2" ]] && pass || fail "header"
expect_grep '^T-KHARKIV,[0-9a-f]+,49\.[0-9]+,36\.[0-9]+,[0-9.]+$' "$WORK/cells.csv" "cell rows"
expect_grep "T-KHARKIV: 60 observation" "$WORK/err" "per-terminal summary"
# Each terminal's estimate lies within 5 km of where its observations were simulated, its true cell is
# among the cells, and the summary has every field.
/usr/bin/python3 - "$WORK/where.json" "$WORK/cells.csv" <<'PY' && pass || fail "summary: $(cat "$WORK/where.json")"
import csv, json, math, sys
truth = {"T-KHARKIV": (49.99, 36.23), "T-ODESA": (46.48, 30.72)}
rows = json.load(open(sys.argv[1]))
assert [r["terminal_id"] for r in rows] == ["T-KHARKIV", "T-ODESA"]
cells = {}
for r in csv.DictReader(open(sys.argv[2])):
    cells.setdefault(r["terminal_id"], []).append(r)
for r in rows:
    lat, lon = truth[r["terminal_id"]]
    p1, p2 = math.radians(lat), math.radians(r["estimate_lat_deg"])
    dl = math.radians(r["estimate_lon_deg"] - lon)
    km = 6371.0 * math.acos(min(1.0, math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)))
    assert km < 5.0, (r, km)
    assert km <= r["radius_km"], r
    assert r["observations"] == r["observations_used"] == 60
    assert 0 < r["consistent_area_km2"] < 500
    assert abs(sum(float(c["area_km2"]) for c in cells[r["terminal_id"]]) - r["consistent_area_km2"]) < 0.01 * r["cells"]
    assert r["unused"] == []
kharkiv, odesa = rows
assert kharkiv["inside"] == "inside" and kharkiv["inside_share"] == 1.0
# Odesa is on the coast: some of its cells lie over the sea, outside the country's polygon.
assert odesa["inside"] == "undetermined" and 0.5 < odesa["inside_share"] < 1.0
PY

# GeoJSON cells; a bad column is a located error; a catalog without the satellites leaves the
# observations unused.
expect_exit 0 "locate geojson" -- "$SKYFENCE" locate --observations "$OBS" --catalog starlink --prior Ukraine \
  --rule top-k --level 11 -o "$WORK/cells.geojson" -q
/usr/bin/python3 -c "
import json, sys
d = json.load(open('$WORK/cells.geojson'))
assert d['type'] == 'FeatureCollection' and len(d['features']) > 10
f = d['features'][0]
assert f['geometry']['type'] == 'Polygon' and set(f['properties']) == {'terminal_id', 'cell_id', 'area_km2', 'misses'}
" && pass || fail "geojson"
printf 'time_utc,norad\n2026-04-27T12:00:00Z,1\n' > "$WORK/bad.csv"
expect_exit 2 "bad column" -- "$SKYFENCE" locate --observations "$WORK/bad.csv" --catalog starlink
expect_grep "bad.csv:1: header: unknown column \"norad\"" "$WORK/err" "located header error"
printf 'time_utc,norad_id\n2026-04-27T12:00:00Z,1\n2026-04-27T12:00:15Z,x\n2026-04-27T12:00:30Z,0\n' > "$WORK/bad2.csv"
expect_exit 2 "bad rows" -- "$SKYFENCE" locate --observations "$WORK/bad2.csv" --catalog starlink
expect_grep "bad2.csv:3: norad_id: expected a catalog number" "$WORK/err" "first bad row"
expect_grep "bad2.csv:4: norad_id: expected a catalog number" "$WORK/err" "second bad row"
expect_exit 0 "other catalog" -- "$SKYFENCE" locate --observations "$OBS" --catalog oneweb --level 4 -o "$WORK/all.csv"
expect_grep "not used: satellite not in the catalog" "$WORK/err" "unused observations listed"
expect_grep "T-KHARKIV: 40 more observation" "$WORK/err" "unused observations counted past 20"
expect_grep "no usable observation; every cell of the prior is kept" "$WORK/err" "no constraint warned about"
[[ $(wc -l < "$WORK/all.csv") -eq $((2 * 6 * 256 + 1)) ]] && pass || fail "every level-4 cell expected for each terminal"
# Observations no position meets: the Kharkiv terminal's, with one from Odesa's at the same time.
{ head -n 1 "$OBS"; grep T-KHARKIV "$OBS" | head -n 20; grep T-ODESA "$OBS" | sed -n 25p | sed 's/T-ODESA/T-KHARKIV/'; } > "$WORK/mixed.csv"
expect_exit 0 "inconsistent" -- "$SKYFENCE" locate --observations "$WORK/mixed.csv" --catalog starlink --rule top-k --prior Ukraine -o "$WORK/none.csv"
expect_grep "no position meets all of its 21 usable observations; some may be wrong" "$WORK/err" "no position warned about"
[[ $(wc -l < "$WORK/none.csv") -eq 1 ]] && pass || fail "no cells expected"
expect_exit 0 "one outlier" -- "$SKYFENCE" locate --observations "$WORK/mixed.csv" --catalog starlink --rule top-k --prior Ukraine --max-outliers 1 -o "$WORK/one.csv"
[[ $(wc -l < "$WORK/one.csv") -gt 1 ]] && pass || fail "--max-outliers 1 should find the terminal"
expect_exit 2 "k 0" -- "$SKYFENCE" locate --observations "$OBS" --catalog starlink --rule top-k --k 0
expect_exit 2 "unknown prior" -- "$SKYFENCE" locate --observations "$OBS" --catalog starlink --prior Atlantis
expect_exit 2 "no observations file" -- "$SKYFENCE" locate --observations "$WORK/missing.csv" --catalog starlink
finish
