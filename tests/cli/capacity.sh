# skyfence capacity: output shape and consistency (rows add up to "any", percentiles ordered), bundled
# service models by provider name, preferences, policies per site, regions with a demand density or a
# demand file (the same output for the same demand), GeoJSON, thread invariance, uplink demand (its
# columns, the downlink's unchanged), interruption and bad input.
source "$(dirname "$0")/lib.bash"
T0=2026-04-27T12:00:00Z
HEADER="cell_id,lat_deg,lon_deg,area_km2,provider,demand_mbps,mean_mbps,p5_mbps,min_mbps,demand_met_fraction,full_service_fraction"
cat > "$WORK/sites.csv" <<'CSV'
id,lat_deg,lon_deg,demand_mbps,customer,providers
KYIV,50.45,30.52,100,civil,oneweb;iridium
MIL-KHARKIV,49.99,36.23,20,military,oneweb;iridium
MIL-ZAPORIZHZHIA,47.84,35.14,20,military,oneweb
ODESA,46.48,30.72,0.5,civil,iridium;oneweb
CSV

expect_exit 0 "sites" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites.csv" \
  --start $T0 --duration 1h --step 120s -o "$WORK/c.csv"
[[ "$(head -n 1 "$WORK/c.csv")" == "$HEADER" ]] && pass || fail "header: $(head -n 1 "$WORK/c.csv")"
expect_grep "30 steps of 120 s" "$WORK/err" "summary counts the steps"
expect_grep "oneweb \(deployed, background load 0%\): offered" "$WORK/err" "summary per provider"
/usr/bin/python3 - "$WORK/c.csv" <<'PY' && pass || fail "capacity rows inconsistent"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
assert len(rows) == 4 * 3, len(rows)
by = {}
for r in rows:
    by.setdefault(r['cell_id'], {})[r['provider']] = r
for sid, rs in by.items():
    assert list(rs) == ['oneweb', 'iridium', 'any'], rs
    d = float(rs['any']['demand_mbps'])
    total = sum(float(rs[p]['mean_mbps']) for p in ('oneweb', 'iridium'))
    assert abs(total - float(rs['any']['mean_mbps'])) < 2e-3, (sid, total)
    for r in rs.values():
        lo, p5, mean = float(r['min_mbps']), float(r['p5_mbps']), float(r['mean_mbps'])
        assert lo <= p5 + 1e-9 and p5 <= mean + 1e-3 and mean <= d + 1e-3, r
        assert 0 <= float(r['demand_met_fraction']) <= 1 and 0 <= float(r['full_service_fraction']) <= 1
# Preferences: Zaporizhzhia lists only OneWeb, so Iridium carries nothing for it; Odesa prefers
# Iridium, whose 1.4 Mbps beams carry its 0.5 Mbps while a satellite is above 25 deg, and OneWeb takes
# the steps without one: the two shares add up to full service.
assert float(by['MIL-ZAPORIZHZHIA']['iridium']['mean_mbps']) == 0
odesa = by['ODESA']
assert float(odesa['iridium']['mean_mbps']) > 0.1 and float(odesa['oneweb']['mean_mbps']) > 0.1
assert abs(float(odesa['iridium']['full_service_fraction']) + float(odesa['oneweb']['full_service_fraction']) - 1) < 1e-6
assert float(odesa['any']['full_service_fraction']) == 1
# OneWeb carries Kyiv's 100 Mbps in full most of the time (bent pipe, gateways in Europe).
assert float(by['KYIV']['oneweb']['demand_met_fraction']) > 0.5
PY

# A policy asks per site: the example OneWeb policy permits military use only on listed terminals, so
# MIL-KHARKIV gets nothing from OneWeb and MIL-ZAPORIZHZHIA (listed) is served.
expect_exit 0 "policy" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites.csv" \
  --policy "$REPO_DATA/scenarios/policies/oneweb.toml" --start $T0 --duration 1h --step 120s -q -o "$WORK/p.csv"
/usr/bin/python3 - "$WORK/p.csv" <<'PY' && pass || fail "policy not applied per site"
import csv, sys
rows = {(r['cell_id'], r['provider']): r for r in csv.DictReader(open(sys.argv[1], newline=''))}
assert float(rows[('MIL-KHARKIV', 'oneweb')]['mean_mbps']) == 0
assert float(rows[('MIL-KHARKIV', 'iridium')]['mean_mbps']) > 0
assert float(rows[('MIL-ZAPORIZHZHIA', 'oneweb')]['mean_mbps']) > 0
PY

# Threads do not change a byte.
expect_exit 0 "threads 1" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites.csv" --start $T0 --duration 30m --threads 1 -q -o "$WORK/t1.csv"
expect_exit 0 "threads 2" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites.csv" --start $T0 --duration 30m --threads 2 -q -o "$WORK/t2.csv"
cmp -s "$WORK/t1.csv" "$WORK/t2.csv" && pass || fail "results differ with the thread count"

# Cells of a region with a demand density, as GeoJSON polygons.
expect_exit 0 "region" -- "$SKYFENCE" capacity --catalog oneweb --region UKR --level 5 --demand-density 0.01 \
  --start $T0 --duration 30m --step 300s -q -o "$WORK/r.geojson"
/usr/bin/python3 - "$WORK/r.geojson" <<'PY' && pass || fail "region GeoJSON"
import json, sys
fc = json.load(open(sys.argv[1]))
feats = fc['features']
assert feats and len(feats) % 2 == 0
for f in feats:
    p = f['properties']
    assert f['geometry']['type'] in ('Polygon', 'MultiPolygon')
    assert abs(p['demand_mbps'] - 0.01 * p['area_km2']) < 1e-3 * max(1, p['demand_mbps'])
    assert p['provider'] in ('oneweb', 'any')
PY

# Demand from a file: a file giving every cell what the density gives it yields the same output, byte
# for byte. The density run's own output is such a file (demand_mbps is written in full; each cell
# appears once per provider with the same demand), as CSV and as GeoJSON, and so is a bare
# cell_id,demand_mbps table made from it. At this density four level-6 cells share each saturated
# level-5 OneWeb service cell, fairly by the fraction of demand met, so each share depends on the
# demands.
DEMAND_ARGS=(--catalog oneweb --region UKR --level 6 --start $T0 --duration 30m --step 300s -q)
expect_exit 0 "density csv" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-density 0.05 -o "$WORK/dd.csv"
expect_exit 0 "density geojson" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-density 0.05 -o "$WORK/dd.geojson"
expect_exit 0 "file csv" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/dd.csv" -o "$WORK/df.csv"
cmp -s "$WORK/dd.csv" "$WORK/df.csv" && pass || fail "--demand-file (its own CSV output) differs from --demand-density"
expect_exit 0 "file geojson" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/dd.geojson" -o "$WORK/df.geojson"
cmp -s "$WORK/dd.geojson" "$WORK/df.geojson" && pass || fail "--demand-file (its own GeoJSON output) differs from --demand-density"
/usr/bin/python3 - "$WORK/dd.csv" "$WORK/bare.csv" "$WORK/one.csv" <<'PY' && pass || fail "demand tables"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
demand = {}
for r in rows:
    demand.setdefault(r['cell_id'], r['demand_mbps'])
    assert demand[r['cell_id']] == r['demand_mbps']
assert len(demand) > 10 and any(float(r['demand_met_fraction']) < 0.99 for r in rows), 'not saturated'
with open(sys.argv[2], 'w') as f:
    f.write('cell_id,demand_mbps\n' + ''.join(f'{c},{d}\n' for c, d in demand.items()))
first = next(iter(demand))
with open(sys.argv[3], 'w') as f:
    f.write(f'demand_mbps,cell_id\n{demand[first]},{first}\n')
PY
expect_exit 0 "bare file" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/bare.csv" -o "$WORK/bare_out.csv"
cmp -s "$WORK/dd.csv" "$WORK/bare_out.csv" && pass || fail "--demand-file with cell_id,demand_mbps differs from --demand-density"
# Cells the file leaves out ask for nothing.
expect_exit 0 "one cell" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/one.csv" -o "$WORK/one_out.csv"
/usr/bin/python3 - "$WORK/one_out.csv" "$WORK/one.csv" <<'PY' && pass || fail "cells left out ask for nothing"
import csv, sys
given = next(csv.DictReader(open(sys.argv[2], newline='')))
for r in csv.DictReader(open(sys.argv[1], newline='')):
    want = given['demand_mbps'] if r['cell_id'] == given['cell_id'] else '0'
    assert r['demand_mbps'] == want, r
    if want == '0':
        assert float(r['mean_mbps']) == 0 and float(r['demand_met_fraction']) == 1, r
PY
# Bad demand files: exit 2, the file, line and field, nothing written.
/usr/bin/python3 - "$WORK/bare.csv" "$WORK" <<'PY' && pass || fail "bad demand files"
import sys
first = open(sys.argv[1]).read().split('\n')[1].split(',')[0]
cell = int(first.ljust(16, '0'), 16)
lsb = cell & -cell
child = ('%016x' % (cell - lsb + (lsb >> 2))).rstrip('0')   # its first child, level 7
away = ('%016x' % ((5 << 61) | (1 << 48))).rstrip('0')       # a level-6 cell of face 5 (the south pole)
for name, row in (('deep', f'{child},1'), ('away', f'{away},1'), ('lots', f'{first},lots')):
    open(f'{sys.argv[2]}/{name}.csv', 'w').write(f'cell_id,demand_mbps\n{row}\n')
PY
expect_exit 2 "cell of another level" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/deep.csv" -o "$WORK/x.csv"
expect_grep "deep.csv:2: cell_id: expected a cell of level 6, found \"[0-9a-f]+\", a cell of level 7" "$WORK/err" "names the level"
expect_exit 2 "cell outside the region" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/away.csv" -o "$WORK/x.csv"
expect_grep "away.csv:2: cell_id: expected a cell of Ukraine \([0-9]+ cells of level 6\), found \"[0-9a-f]+\" outside it" "$WORK/err" "names the region"
expect_exit 2 "bad demand value" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/lots.csv" -o "$WORK/x.csv"
expect_grep "lots.csv:2: demand_mbps: expected a demand >= 0 Mbps, found \"lots\"" "$WORK/err" "names the value"
expect_exit 2 "file and density" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/bare.csv" --demand-density 1 -o "$WORK/x.csv"
expect_grep "excludes" "$WORK/err" "says the two exclude each other"
expect_exit 2 "file with sites" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/sites.csv" --demand-file "$WORK/bare.csv" --start $T0 --duration 1h -o "$WORK/x.csv"
expect_grep "--demand-file: applies to cells" "$WORK/err" "says the file is for cells"
expect_exit 2 "missing demand file" -- "$SKYFENCE" capacity "${DEMAND_ARGS[@]}" --demand-file "$WORK/none.csv" -o "$WORK/x.csv"
expect_grep "none.csv" "$WORK/err" "names the missing file"
[[ ! -e "$WORK/x.csv" ]] && pass || fail "a failed run left its output"

# Uplink demand: a demand_up_mbps column adds the uplink's columns and summary; the downlink's columns
# are those of the run without it, byte for byte.
cat > "$WORK/sites_up.csv" <<'CSV'
id,lat_deg,lon_deg,demand_mbps,customer,providers,demand_up_mbps
KYIV,50.45,30.52,100,civil,oneweb;iridium,20
MIL-KHARKIV,49.99,36.23,20,military,oneweb;iridium,5000
MIL-ZAPORIZHZHIA,47.84,35.14,20,military,oneweb,0
ODESA,46.48,30.72,0.5,civil,iridium;oneweb,0.25
CSV
expect_exit 0 "uplink" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites_up.csv" \
  --start $T0 --duration 1h --step 120s -o "$WORK/up.csv"
[[ "$(head -n 1 "$WORK/up.csv")" == "$HEADER,demand_up_mbps,mean_up_mbps,p5_up_mbps,min_up_mbps,demand_up_met_fraction,full_service_up_fraction" ]] \
  && pass || fail "uplink header: $(head -n 1 "$WORK/up.csv")"
expect_grep "uplink demand 5.020 Gbps, met" "$WORK/err" "summary of the uplink"
expect_grep "oneweb uplink: offered [0-9.]+ Gbps, carried [0-9.]+ Gbps; satellites receiving" "$WORK/err" "uplink per provider"
/usr/bin/python3 - "$WORK/up.csv" "$WORK/c.csv" <<'PY' && pass || fail "uplink rows inconsistent"
import csv, sys
up = list(csv.reader(open(sys.argv[1], newline='')))
down = list(csv.reader(open(sys.argv[2], newline='')))
assert len(up) == len(down) == 13
for u, d in zip(up, down):
    assert u[:11] == d, (u, d)     # the downlink's columns, unchanged
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
by = {}
for r in rows:
    by.setdefault(r['cell_id'], {})[r['provider']] = r
for sid, rs in by.items():
    d = float(rs['any']['demand_up_mbps'])
    total = sum(float(rs[p]['mean_up_mbps']) for p in ('oneweb', 'iridium'))
    assert abs(total - float(rs['any']['mean_up_mbps'])) < 2e-3, (sid, total)
    for r in rs.values():
        lo, p5, mean = float(r['min_up_mbps']), float(r['p5_up_mbps']), float(r['mean_up_mbps'])
        assert lo <= p5 + 1e-9 and p5 <= mean + 1e-3 and mean <= d + 1e-3, r
        assert 0 <= float(r['demand_up_met_fraction']) <= 1 and 0 <= float(r['full_service_up_fraction']) <= 1
# Zaporizhzhia asks nothing up: all of it met. Kharkiv's 5 Gbps is more than a OneWeb cell takes (2
# return beams of 120 MHz at <= 1.25 b/s/Hz: 300 Mbps), so it is short; Kyiv's 20 Mbps is carried
# most of the time, as its downlink.
z = by['MIL-ZAPORIZHZHIA']['any']
assert float(z['mean_up_mbps']) == 0 and float(z['demand_up_met_fraction']) == 1, z
k = by['MIL-KHARKIV']['oneweb']
assert 0 < float(k['mean_up_mbps']) <= 300 + 1e-3 and float(k['full_service_up_fraction']) == 0, k
assert float(by['KYIV']['oneweb']['demand_up_met_fraction']) > 0.5
PY
expect_exit 0 "uplink geojson" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --sites "$WORK/sites_up.csv" \
  --start $T0 --duration 10m -q -o "$WORK/up.geojson"
/usr/bin/python3 - "$WORK/up.geojson" <<'PY' && pass || fail "uplink GeoJSON properties"
import json, sys
for f in json.load(open(sys.argv[1]))['features']:
    p = f['properties']
    assert isinstance(p['demand_up_mbps'], (int, float)) and 0 <= p['demand_up_met_fraction'] <= 1, p
PY
# Uplink demand of a provider whose model has no uplink figures; a site without a value; a bad value.
printf 'name = "down-only"\ncell_level = 5\nmax_beams_per_cell = 2\nisl = true\n[spectral_efficiency]\nelevation_deg = [10.0]\nbps_per_hz = [1.8]\n[[satellite_class]]\nname = "all"\ncapacity_down_gbps = 7.2\nbeams = 16\nbeam_bandwidth_mhz = 250.0\n' > "$WORK/down_only.toml"
expect_exit 2 "uplink without uplink model" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium \
  --service-model "$WORK/down_only.toml" --service-model "$REPO_DATA/providers/iridium.toml" \
  --sites "$WORK/sites_up.csv" --start $T0 --duration 10m -o "$WORK/x.csv"
expect_grep "down_only.toml: satellite_class: expected uplink figures \(capacity_up_gbps, beams_up and beam_bandwidth_up_mhz in every \[\[satellite_class\]\]\): .*sites_up.csv asks for uplink demand \(demand_up_mbps\), and provider \"oneweb\" does not model the uplink" "$WORK/err" "names the model and the sites"
expect_exit 0 "no uplink demand, no uplink model" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium \
  --service-model "$WORK/down_only.toml" --service-model "$REPO_DATA/providers/iridium.toml" \
  --sites "$WORK/sites.csv" --start $T0 --duration 10m -q -o "$WORK/down_only.csv"
printf 'id,lat_deg,lon_deg,demand_mbps,demand_up_mbps\nA,50,30,1,2\nB,50,31,1,\n' > "$WORK/upmissing.csv"
expect_exit 2 "site without uplink value" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/upmissing.csv" --start $T0 --duration 10m -o "$WORK/x.csv"
expect_grep "site B: demand_up_mbps: expected an uplink demand >= 0 Mbps \(demand_up_mbps\), found none \(the file gives demand_up_mbps to other sites: give every site one, 0 for none\)" "$WORK/err" "names the site without a value"
printf 'id,lat_deg,lon_deg,demand_mbps,demand_up_mbps\nA,50,30,1,-3\n' > "$WORK/upbad.csv"
expect_exit 2 "bad uplink value" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/upbad.csv" --start $T0 --duration 10m -o "$WORK/x.csv"
expect_grep "site A: demand_up_mbps: expected a demand >= 0 Mbps, found \"-3\"" "$WORK/err" "names the bad value"
[[ ! -e "$WORK/x.csv" ]] && pass || fail "a failed run left its output"

# Interruption leaves nothing behind.
expect_interrupted 1.5 "$WORK/int.csv" "interrupted" -- "$SKYFENCE" capacity --catalog starlink --region UKR --level 8 \
  --demand-density 1 --start $T0 --duration 7d -q -o "$WORK/int.csv"

# Bad input: exit 2, located, nothing written.
printf 'id,lat_deg,lon_deg\nA,50,30\n' > "$WORK/nodemand.csv"
expect_exit 2 "no demand column" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/nodemand.csv" --start $T0 --duration 1h -o "$WORK/x.csv"
expect_grep "demand_mbps: expected a demand_mbps column" "$WORK/err" "names the missing column"
printf 'id,lat_deg,lon_deg,demand_mbps\nA,50,30,lots\n' > "$WORK/baddemand.csv"
expect_exit 2 "bad demand" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/baddemand.csv" --start $T0 --duration 1h
expect_grep "site A: demand_mbps: expected a demand >= 0 Mbps, found \"lots\"" "$WORK/err" "names the site and value"
printf 'id,lat_deg,lon_deg,demand_mbps,providers\nA,50,30,1,oneweb;telesat\n' > "$WORK/badpref.csv"
expect_exit 2 "unknown preference" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/badpref.csv" --start $T0 --duration 1h
expect_grep "\"telesat\" is none of the providers \(oneweb\)" "$WORK/err" "names the unknown provider"
expect_exit 2 "model count" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --service-model "$REPO_DATA/providers/oneweb.toml" \
  --sites "$WORK/sites.csv" --start $T0 --duration 1h
expect_grep "1 given for 2 providers" "$WORK/err" "explains the count"
expect_exit 2 "no bundled model" -- "$SKYFENCE" capacity --tle "$REPO_DATA/tle/oneweb_2026-03-26.tle" --sites "$WORK/sites.csv" --start $T0 --duration 1h
expect_grep "no bundled service model for provider 'oneweb_2026-03-26' \(bundled: iridium, kuiper, kuiper-planned, oneweb, starlink\)" "$WORK/err" "says how to name a model"
printf 'name = "x"\ncell_level = 9\nmax_beams_per_cell = 0\nisl = false\n' > "$WORK/bad.toml"
expect_exit 2 "bad model" -- "$SKYFENCE" capacity --catalog oneweb --service-model "$WORK/bad.toml" --sites "$WORK/sites.csv" --start $T0 --duration 1h
expect_grep "bad.toml:3: max_beams_per_cell: expected an integer in \[1, 100000\]" "$WORK/err" "locates the bad key"
expect_grep "spectral_efficiency: missing" "$WORK/err" "lists every problem"
expect_exit 2 "density with sites" -- "$SKYFENCE" capacity --catalog oneweb --sites "$WORK/sites.csv" --demand-density 1 --start $T0 --duration 1h
expect_exit 2 "cells without density" -- "$SKYFENCE" capacity --catalog oneweb --region UKR --level 4 --start $T0 --duration 1h
expect_grep "expected a demand density" "$WORK/err" "asks for the density"
expect_exit 2 "elevations" -- "$SKYFENCE" capacity --catalog oneweb --catalog iridium --min-elevation 20 --min-elevation 30 --min-elevation 40 --sites "$WORK/sites.csv" --start $T0 --duration 1h
[[ ! -e "$WORK/x.csv" ]] && pass || fail "a failed run left its output"
# The README's examples, shortened.
expect_exit 0 "README terminals" -- "$SKYFENCE" capacity --catalog starlink --catalog oneweb --catalog kuiper \
  --sites "$REPO_DATA/scenarios/terminals_demand.csv" --start 2026-04-27T00:00:00Z --duration 20m -o "$WORK/demand.csv"
[[ $(($(wc -l < "$WORK/demand.csv") - 1)) -eq $((15 * 4)) ]] && pass || fail "README terminals: 15 terminals x 4 rows expected"
expect_exit 0 "README region" -- "$SKYFENCE" capacity --catalog oneweb --region UKR --level 7 --demand-density 0.1 \
  --start 2026-04-27T00:00:00Z --duration 10m -o "$WORK/oneweb_ukraine.geojson"
expect_grep "oneweb \(deployed" "$WORK/err" "README region summary"
expect_exit 0 "README demand file" -- "$SKYFENCE" capacity --catalog oneweb --region UKR --level 7 \
  --demand-file "$WORK/oneweb_ukraine.geojson" --start 2026-04-27T00:00:00Z --duration 10m -o "$WORK/oneweb_edited.geojson"
cmp -s "$WORK/oneweb_ukraine.geojson" "$WORK/oneweb_edited.geojson" && pass || fail "README demand file: not the same map"
expect_exit 0 "help" -- "$SKYFENCE" capacity --help
expect_grep "demand_met_fraction" "$WORK/out" "help documents the columns"
finish
