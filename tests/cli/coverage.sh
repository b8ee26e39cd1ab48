# skyfence coverage: output shape, agreement with `visible`, providers and names, regions, GeoJSON cut at
# the antimeridian, thread invariance, interruption and bad input.
source "$(dirname "$0")/lib.bash"
IR="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
OW="$REPO_DATA/tle/oneweb_2026-03-26.tle"
SITES="$DATA/earth/terminals.csv"
HEADER="cell_id,lat_deg,lon_deg,area_km2,provider,coverage_fraction,mean_visible,min_visible,max_visible,max_gap_s,gap_count"
T0=2026-04-27T12:00:00Z

# Sites, one provider, one hour at 60 s.
expect_exit 0 "sites" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 1h --min-elevation 10 -o "$WORK/s.csv"
[[ "$(head -n 1 "$WORK/s.csv")" == "$HEADER" ]] && pass || fail "header: $(head -n 1 "$WORK/s.csv")"
NSITES=$(/usr/bin/python3 -c "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=''))))" "$SITES")
ROWS=$(/usr/bin/python3 -c "import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=''))))" "$WORK/s.csv")
[[ "$ROWS" -eq $((2 * NSITES)) ]] && pass || fail "expected $((2 * NSITES)) rows (sites x (provider + any)), found $ROWS"
expect_grep "60 steps of 60 s" "$WORK/err" "summary counts the steps"
expect_grep "pair tests" "$WORK/err" "summary gives pair tests"
/usr/bin/python3 - "$WORK/s.csv" <<'PY' && pass || fail "coverage values out of range or inconsistent"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
for r in rows:
    f, m = float(r['coverage_fraction']), float(r['mean_visible'])
    lo, hi, gap, gaps = int(r['min_visible']), int(r['max_visible']), float(r['max_gap_s']), int(r['gap_count'])
    assert 0 <= f <= 1 and lo <= m <= hi and r['area_km2'] == ''
    assert gap % 60 == 0 and 0 <= gap <= 3600 and (gaps == 0) == (gap == 0) and (f == 1) == (gaps == 0)
    assert abs(f - (1 - gap / 3600)) < 1e-9 if gaps == 1 and f < 1 else True
by = {}
for r in rows:
    by.setdefault(r['cell_id'], []).append(r)
for sid, rs in by.items():
    assert [r['provider'] for r in rs] == ['iridium-next_2026-04-27', 'any'], rs
    assert rs[0]['mean_visible'] == rs[1]['mean_visible']
PY

# One step: min_visible is the number of satellites `visible` lists at that instant.
expect_exit 0 "one step" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 60s --min-elevation 0 -q -o "$WORK/one.csv"
"$SKYFENCE" visible --tle "$IR" --site 50.45,30.52,180 --time $T0 --min-elevation 0 -q > "$WORK/vis.csv"
WANT=$(($(wc -l < "$WORK/vis.csv") - 1))
GOT=$(awk -F, '$1 == "T1" && $5 != "any" { print $8 }' "$WORK/one.csv")
[[ "$GOT" == "$WANT" ]] && pass || fail "site T1: coverage counts $GOT in view, visible lists $WANT"

# Two providers named in order; "any" adds them up; one thread gives the same bytes.
expect_exit 0 "two providers" -- "$SKYFENCE" coverage --tle "$OW" --catalog iridium --provider oneweb --provider iridium \
  --sites "$SITES" --start $T0 --duration 30m --step 5m --min-elevation 10 -q -o "$WORK/two.csv"
/usr/bin/python3 - "$WORK/two.csv" <<'PY' && pass || fail "providers' order or the any-provider sum"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
by = {}
for r in rows:
    by.setdefault(r['cell_id'], []).append(r)
for rs in by.values():
    assert [r['provider'] for r in rs] == ['oneweb', 'iridium', 'any'], [r['provider'] for r in rs]
    assert abs(float(rs[0]['mean_visible']) + float(rs[1]['mean_visible']) - float(rs[2]['mean_visible'])) < 2e-4
    assert float(rs[2]['coverage_fraction']) >= max(float(rs[0]['coverage_fraction']), float(rs[1]['coverage_fraction']))
PY
expect_exit 0 "one thread" -- "$SKYFENCE" coverage --tle "$OW" --catalog iridium --provider oneweb --provider iridium \
  --sites "$SITES" --start $T0 --duration 30m --step 5m --min-elevation 10 -q --threads 1
cmp -s "$WORK/out" "$WORK/two.csv" && pass || fail "--threads 1 output differs"

# A country's cells: each cell centre inside, areas summing to about the country's area.
expect_exit 0 "region" -- "$SKYFENCE" coverage --catalog iridium --region UKR --level 6 --start $T0 --duration 20m --step 5m -o "$WORK/ukr.csv"
expect_grep "level-6 cells of Ukraine" "$WORK/err" "region named in the summary"
/usr/bin/python3 - "$WORK/ukr.csv" <<'PY' && pass || fail "Ukraine cells"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='')) if r['provider'] == 'any']
area = sum(float(r['area_km2']) for r in rows)
assert 500000 < area < 700000, area  # Ukraine: 603,550 km2
assert all(44 < float(r['lat_deg']) < 53 and 22 < float(r['lon_deg']) < 41 for r in rows)
PY

# GeoJSON: one feature per cell and provider; polygons stay within [-180, 180] (S2 cells meet the
# antimeridian along their edges: those of Chukotka must lie on the side of their centre).
expect_exit 0 "geojson" -- "$SKYFENCE" coverage --catalog iridium --region RUS --level 4 --start $T0 --duration 10m --step 5m -o "$WORK/rus.geojson"
/usr/bin/python3 - "$WORK/rus.geojson" <<'PY' && pass || fail "GeoJSON output"
import json, sys
fc = json.load(open(sys.argv[1]))
assert fc['type'] == 'FeatureCollection'
feats = fc['features']
assert len(feats) > 20 and len(feats) % 2 == 0
edge = 0
for f in feats:
    g, p = f['geometry'], f['properties']
    assert set(p) == {'cell_id', 'lat_deg', 'lon_deg', 'area_km2', 'provider', 'coverage_fraction', 'mean_visible',
                      'min_visible', 'max_visible', 'max_gap_s', 'gap_count'}, p
    polys = [g['coordinates']] if g['type'] == 'Polygon' else g['coordinates']
    for poly in polys:
        ring = poly[0]
        assert ring[0] == ring[-1] and len(ring) >= 4
        lons = [c[0] for c in ring]
        assert -180 <= min(lons) and max(lons) <= 180 and max(lons) - min(lons) < 90, lons
        if 180 in map(abs, lons):
            edge += 1
            assert all(l * p['lon_deg'] >= 0 for l in lons), (lons, p['lon_deg'])
assert edge >= 2, edge  # Chukotka's cells on 180 deg
PY

# Sites as GeoJSON: one Point feature per site and provider, no area.
expect_exit 0 "sites geojson" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 10m --step 5m -q -o "$WORK/s.geojson"
/usr/bin/python3 - "$WORK/s.geojson" "$WORK/s.csv" <<'PY' && pass || fail "sites GeoJSON"
import csv, json, sys
feats = json.load(open(sys.argv[1]))['features']
ids = [r['cell_id'] for r in csv.DictReader(open(sys.argv[2], newline=''))]
assert [f['properties']['cell_id'] for f in feats] == ids, ids
assert all(f['geometry']['type'] == 'Point' and f['properties']['area_km2'] is None for f in feats)
PY

# Under a policy: served_fraction per provider; a forbidden region is served only by the others.
cp "$DATA/policy/iridium_no_military_in_ukraine.toml" "$WORK/ir.toml"
for customer in military civil; do
  expect_exit 0 "policy $customer" -- "$SKYFENCE" coverage --catalog iridium --provider ir --tle "$OW" --provider ow \
    --policy "$WORK/ir.toml" --customer $customer --region UKR --level 6 --start $T0 --duration 20m --step 5m -o "$WORK/pol-$customer.csv"
done
/usr/bin/python3 - "$WORK/pol-military.csv" "$WORK/pol-civil.csv" <<'PY' && pass || fail "served_fraction under the policy"
import csv, sys
mil = list(csv.DictReader(open(sys.argv[1], newline='')))
civ = list(csv.DictReader(open(sys.argv[2], newline='')))
assert mil[0].keys() >= {'served_fraction'} and len(mil) == len(civ) > 0
for m, c in zip(mil, civ):
    assert m['coverage_fraction'] == c['coverage_fraction']
    if m['provider'] == 'ir':
        assert float(m['served_fraction']) == 0.0 and c['served_fraction'] == c['coverage_fraction']
    if m['provider'] == 'ow':
        assert m['served_fraction'] == m['coverage_fraction']
by = {}
for m in mil:
    by.setdefault(m['cell_id'], {})[m['provider']] = m
assert all(r['any']['served_fraction'] == r['ow']['served_fraction'] for r in by.values())
PY
expect_exit 2 "policy for no provider" -- "$SKYFENCE" coverage --catalog iridium --policy "$WORK/ir.toml" --sites "$SITES" --start $T0 --duration 1h
expect_grep "none of the providers" "$WORK/err" "policy provider message"
expect_exit 2 "customer without policy" -- "$SKYFENCE" coverage --catalog iridium --customer civil --sites "$SITES" --start $T0 --duration 1h
printf 'provider = "ir"\n[[rule]]\nid = "x"\neffect = "maybe"\n' > "$WORK/bad.toml"
expect_exit 2 "invalid policy" -- "$SKYFENCE" coverage --catalog iridium --provider ir --policy "$WORK/bad.toml" --sites "$SITES" --start $T0 --duration 1h
expect_grep "bad.toml:4" "$WORK/err" "invalid policy located"
# Bug: only the first problem of a bad policy was shown ("and N more problems"). Every one now, each on
# its own line, then the count, as `policy validate` prints them.
printf 'provider = "ir"\ncolour = "red"\n[[rule]]\nid = "x"\neffect = "maybe"\n[[rule]]\nid = "x"\neffect = "permit"\n' > "$WORK/bad3.toml"
"$SKYFENCE" policy validate "$WORK/bad3.toml" 2> "$WORK/validate.err"
expect_exit 2 "every policy problem" -- "$SKYFENCE" coverage --catalog iridium --provider ir --policy "$WORK/bad3.toml" --sites "$SITES" --start $T0 --duration 1h
grep -q "more problems" "$WORK/err" && fail "problems still cut short" || pass
expect_grep "^skyfence: 3 problems in .*bad3.toml$" "$WORK/err" "problem count"
cmp -s "$WORK/err" "$WORK/validate.err" && pass || fail "coverage and policy validate print problems differently"

# Bug: `coverage --sites FILE --policy P` ignored each site's customer, group and id, so authorised
# military terminals showed served_fraction 0. The README's example, shortened.
MIL="$REPO_DATA/scenarios/terminals_military.csv"
expect_exit 0 "sites with their own customer and group" -- "$SKYFENCE" coverage --catalog starlink --sites "$MIL" \
  --policy "$REPO_DATA/policies/starlink.toml" --customer military --start $T0 --duration 1h --step 10m -o "$WORK/mil.csv"
/usr/bin/python3 - "$WORK/mil.csv" "$MIL" <<'PY' && pass || fail "served_fraction per site under the policy"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], newline='')) if r['provider'] == 'starlink']
group = {r['id']: r['group'] for r in csv.DictReader(open(sys.argv[2], newline=''))}
assert len(rows) == len(group) and any(g == 'authorised' for g in group.values()), rows
for r in rows:
    served, covered = float(r['served_fraction']), float(r['coverage_fraction'])
    if group[r['cell_id']] == 'authorised':
        assert covered > 0 and served == covered, r      # authorised terminals: served whenever covered
    else:
        assert served == 0.0, r                          # others: military use refused
PY
# A policy evaluated with no customer class at all warns instead of silently reporting 0 %.
expect_exit 0 "policy without a customer" -- "$SKYFENCE" coverage --catalog iridium --provider ir --policy "$WORK/ir.toml" --region UKR --level 5 --start $T0 --duration 10m -q
expect_grep "skyfence: warning: .*ir.toml: evaluated for [0-9]+ of [0-9]+ cells with no customer class" "$WORK/err" "no-customer warning"
expect_exit 0 "a customer silences it" -- "$SKYFENCE" coverage --catalog iridium --provider ir --policy "$WORK/ir.toml" --customer civil --region UKR --level 5 --start $T0 --duration 10m -q
grep -q "no customer class" "$WORK/err" && fail "warned although --customer was given" || pass

# Bug: --strict left a complete output file behind when it failed. Vallado's case 28872 decays about
# 50 minutes after its epoch (2005-11-29T00:29Z).
VER="$DATA/sgp4-verification/SGP4-VER.TLE"
expect_exit 1 "strict with an SGP4 failure" -- "$SKYFENCE" coverage --tle "$VER" --accept-bad-checksums --sites "$SITES" --start 2005-11-29T00:30:00Z --duration 2h --step 5m --strict -o "$WORK/strict.csv"
[[ ! -e "$WORK/strict.csv" ]] && pass || fail "a failed --strict run left its output"
ls "$WORK" | grep -q "strict.csv.tmp" && fail "temporary file left" || pass
expect_exit 0 "the same without --strict" -- "$SKYFENCE" coverage --tle "$VER" --accept-bad-checksums --sites "$SITES" --start 2005-11-29T00:30:00Z --duration 2h --step 5m -o "$WORK/lenient.csv"
[[ -s "$WORK/lenient.csv" ]] && pass || fail "no output without --strict"

# Ctrl-C stops a long run: exit 130, no output, no temporary file.
expect_interrupted 3 "$WORK/big.csv" "coverage" -- \
  "$SKYFENCE" coverage --catalog starlink --level 7 --start $T0 --duration 30d --threads 1 -o "$WORK/big.csv"

# Bad input.
expect_exit 2 "no constellation" -- "$SKYFENCE" coverage --sites "$SITES" --start $T0 --duration 1h
expect_grep "expected at least one constellation" "$WORK/err" "no constellation message"
expect_exit 2 "no stop" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0
expect_exit 2 "stop before start" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --stop 2026-04-27T11:00:00Z
expect_grep "positive length" "$WORK/err" "empty window message"
expect_exit 2 "bad step" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 1h --step 0s
expect_exit 2 "bad duration" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration soon
expect_grep "^skyfence: error: --duration" "$WORK/err" "bad duration names the option"
expect_exit 2 "unknown country" -- "$SKYFENCE" coverage --tle "$IR" --region NOSUCHLAND --start $T0 --duration 1h
expect_exit 2 "sites and level" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --level 5 --start $T0 --duration 1h
expect_exit 2 "bad level" -- "$SKYFENCE" coverage --tle "$IR" --level 11 --start $T0 --duration 1h
expect_grep "level from 0 to 10" "$WORK/err" "bad level message"
expect_exit 2 "too many names" -- "$SKYFENCE" coverage --tle "$IR" --provider a --provider b --sites "$SITES" --start $T0 --duration 1h
expect_exit 2 "duplicate names" -- "$SKYFENCE" coverage --tle "$IR" --tle "$IR" --sites "$SITES" --start $T0 --duration 1h
expect_grep "two constellations are named" "$WORK/err" "duplicate name message"
expect_exit 2 "reserved name" -- "$SKYFENCE" coverage --tle "$IR" --provider any --sites "$SITES" --start $T0 --duration 1h
expect_exit 2 "bad format" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 1h --format xls
expect_exit 2 "bad min sats" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 1h --min-sats 0
expect_exit 2 "missing sites file" -- "$SKYFENCE" coverage --tle "$IR" --sites "$WORK/none.csv" --start $T0 --duration 1h
expect_exit 2 "tiny region" -- "$SKYFENCE" coverage --tle "$IR" --region VAT --level 3 --start $T0 --duration 1h
expect_grep "no cell centre at level 3" "$WORK/err" "tiny region message"
expect_exit 1 "unwritable output" -- "$SKYFENCE" coverage --tle "$IR" --sites "$SITES" --start $T0 --duration 1h -o "$WORK/no/dir/x.csv"

expect_exit 0 "help" -- "$SKYFENCE" coverage --help
expect_grep "Examples:" "$WORK/out" "help has examples"
expect_grep "Exit status" "$WORK/out" "help documents exit status"
finish
