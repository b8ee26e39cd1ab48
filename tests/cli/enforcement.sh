# Enforcement: trajectories in `check` (speed cap, roaming, whitelist, service cells, delay), every bad
# trajectory row located, and `skyfence enforcement` (the README example, the table's invariants, the
# plot, bad input).
source "$(dirname "$0")/lib.bash"
POLICY="$REPO_DATA/policies/starlink-enforcement.toml"
MOVING="$REPO_DATA/terminals/moving.csv"

# One terminal at a speed: the cap denies above 90 km/h, and names the rule.
expect_exit 0 "check fast" -- "$SKYFENCE" check --policy "$POLICY" --terminal D --lat 49.0 --lon 30.0 \
  --time 2026-04-27T12:00:00Z --speed-kmh 120
expect_grep '"decision": "deny"' "$WORK/out" "fast terminal denied"
expect_grep 'speed-cap' "$WORK/out" "the speed cap named"
expect_exit 0 "check slow" -- "$SKYFENCE" check --policy "$POLICY" --terminal D --lat 49.0 --lon 30.0 \
  --time 2026-04-27T12:00:00Z --speed-kmh 80
expect_grep '"decision": "permit"' "$WORK/out" "slow terminal permitted"

# The bundled moving terminals over 150 minutes at 5 minutes.
expect_exit 0 "check trajectories" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$MOVING" \
  --start 2026-04-27T10:00:00Z --duration 150m --step 5m -o "$WORK/decisions.csv" --audit "$WORK/audit.jsonl"
expect_grep "103 of 150 terminal decisions permitted over 30 instants" "$WORK/err" "summary"
/usr/bin/python3 - "$WORK/decisions.csv" <<'PY' && pass || fail "decisions: $(head -5 "$WORK/decisions.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert list(rows[0]) == ["terminal_id", "provider", "decision", "matched_rules", "reason", "time_utc", "lat_deg",
                         "lon_deg", "speed_kmh", "roaming_days"]
by = {}
for r in rows:
    by.setdefault(r["terminal_id"], []).append(r)
assert [len(v) for v in by.values()] == [30] * 5
def states(t):
    return "".join("P" if r["decision"] == "permit" else "D" for r in by[t])
# The convoy's middle leg (10:50-11:38) is 95 km/h: denied from 10:55 (the 5-minute delay) to 11:35.
assert states("CONVOY-1") == "P" * 11 + "D" * 9 + "P" * 10, states("CONVOY-1")
c = by["CONVOY-1"]
assert "permitted until the denial takes effect (5m after it began)" in c[10]["reason"], c[10]["reason"]
assert abs(float(c[12]["speed_kmh"]) - 95.4) < 0.5, c[12]["speed_kmh"]
assert "speed-cap" in c[12]["matched_rules"]
# The drone starts inside the denied area (denied at once: it was there before the series), flies out
# at 221 km/h (the cap), then slows to 59 km/h and gets through.
assert states("DRONE-1") == "D" * 8 + "P" * 22, states("DRONE-1")
# The whitelisted post inside the area, and the boat, are always served; the terminal abroad since
# 1 February is past the 60-day roaming limit.
assert states("POST-1") == "P" * 30 and states("BOAT-1") == "P" * 30
assert states("EXILE-1") == "D" * 30 and "roaming" in by["EXILE-1"][0]["matched_rules"]
assert abs(float(by["EXILE-1"][0]["roaming_days"]) - 85.4167) < 1e-3, by["EXILE-1"][0]["roaming_days"]
assert "service cell" in c[0]["reason"] and "level 9, mode centre" in c[0]["reason"]
PY
expect_exit 0 "audit of the series" -- "$SKYFENCE" audit verify "$WORK/audit.jsonl"
expect_grep "150 records, chain intact" "$WORK/out" "one record per decision"
expect_grep '"speed_kmh":95\.' "$WORK/audit.jsonl" "speed in the audit log"

# GeoJSON trajectories decide alike.
expect_exit 0 "check geojson trajectories" -- "$SKYFENCE" check --policy "$POLICY" \
  --terminals "$REPO_DATA/terminals/moving.geojson" --start 2026-04-27T10:00:00Z --duration 30m --step 5m -q \
  -o "$WORK/geo.csv"
expect_grep '^DRONE-2,starlink,deny,.*speed-cap' "$WORK/geo.csv" "geojson drone capped"
expect_grep '^POST-2,starlink,permit,' "$WORK/geo.csv" "geojson post served"

# Bad trajectories: every problem, located; nothing written.
printf 'id,time_utc,lat_deg,lon_deg\nA,2026-04-27T10:00:00Z,48,37\nA,2026-04-27T09:00:00Z,48,37.1\nB,2026-04-27T10:00:00Z,48,37\nB,2026-04-27T10:01:00Z,49,37\n' > "$WORK/bad.csv"
expect_exit 2 "bad trajectories" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$WORK/bad.csv" \
  --start 2026-04-27T10:00:00Z --duration 1h -o "$WORK/never.csv"
expect_grep "bad.csv:3: time_utc: expected a time after the previous sample" "$WORK/err" "time going back"
expect_grep "bad.csv:5: lat_deg: expected at most 1500.0 km/h" "$WORK/err" "impossible speed"
[[ ! -e "$WORK/never.csv" ]] && pass || fail "no output on bad input"
expect_exit 0 "speed limit option" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$MOVING" \
  --time 2026-04-27T10:00:00Z --max-plausible-speed 250 -q
expect_exit 2 "speed limit option refuses" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$MOVING" \
  --time 2026-04-27T10:00:00Z --max-plausible-speed 200 -q
expect_grep "moving.csv:10: lat_deg: expected at most 200.0 km/h" "$WORK/err" "the drone's leg refused"
expect_exit 2 "time and start" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$MOVING" \
  --time 2026-04-27T10:00:00Z --start 2026-04-27T10:00:00Z --duration 1h
expect_grep "give either --time, or --start" "$WORK/err" "time or series"

# The sweep (the README's example).
expect_exit 0 "enforcement sweep" -- "$SKYFENCE" enforcement --policy "$POLICY" \
  --region "$REPO_DATA/policies/areas.geojson#example-denied-area" --start 2026-04-27T10:00:00Z --duration 150m \
  --step 5m --terminals "$MOVING" --hostile-groups hostile -o "$WORK/sweep.csv" --groups "$WORK/groups.csv" \
  --plot "$WORK/tradeoff.svg"
expect_grep "16 settings over example-denied-area" "$WORK/err" "summary"
/usr/bin/python3 - "$WORK/sweep.csv" "$WORK/groups.csv" "$WORK/tradeoff.svg" <<'PY' && pass || fail "sweep: $(cat "$WORK/sweep.csv")"
import csv, sys
import xml.etree.ElementTree as ET
rows = list(csv.DictReader(open(sys.argv[1])))
assert [r["setting"] for r in rows][:3] == ["exact", "L7 centre", "L8 centre"], rows
exact = rows[0]
assert float(exact["leakage_km2_h"]) == 0 and float(exact["collateral_km2_h"]) == 0
for r in rows:
    if r["mode"] == "any":
        assert float(r["leakage_km2_h"]) == 0, r
    if r["mode"] == "all":
        assert float(r["collateral_km2_h"]) == 0, r
anys = [float(r["collateral_km2_h"]) for r in rows if r["mode"] == "any"]
alls = [float(r["leakage_km2_h"]) for r in rows if r["mode"] == "all"]
assert anys == sorted(anys, reverse=True) and alls == sorted(alls, reverse=True), (anys, alls)
# Terminals: the hostile drone's slow leg outside the area leaks; the convoy's capped leg and the
# exile's roaming are collateral at every setting.
assert float(exact["leakage_terminal_h"]) > 1.5 and float(exact["collateral_terminal_h"]) > 3.0, exact
groups = list(csv.DictReader(open(sys.argv[2])))
assert {(g["setting"], g["group"], g["role"]) for g in groups if g["setting"] == "exact"} == {
    ("exact", "friendly", "friendly"), ("exact", "hostile", "hostile"), ("exact", "whitelisted", "friendly"),
    ("exact", "civil", "friendly")}
# The speed cap's effect: the convoy's 9 capped steps and the drone's 8 fast ones; the exile's roaming is
# not the cap's.
speed = {g["group"]: float(g["speed_denied_h"]) for g in groups if g["setting"] == "exact"}
assert speed == {"friendly": 0.75, "hostile": 0.6667, "whitelisted": 0.0, "civil": 0.0}, speed
svg = ET.parse(sys.argv[3]).getroot()
assert svg.tag.endswith("svg")
circles = [e for e in svg.iter() if e.tag.endswith("circle")]
assert len(circles) == 16 + 4, len(circles)  # a marker per setting, one per legend entry
PY
expect_exit 2 "unknown hostile group" -- "$SKYFENCE" enforcement --policy "$POLICY" --region Ukraine \
  --start 2026-04-27T10:00:00Z --duration 1h --terminals "$MOVING" --hostile-groups nobody
expect_grep 'no terminal of .*moving.csv is in group "nobody"' "$WORK/err" "hostile group checked"
expect_exit 2 "level above the reference" -- "$SKYFENCE" enforcement --policy "$POLICY" --region Ukraine \
  --start 2026-04-27T10:00:00Z --duration 1h --levels 9,13
expect_grep "expected levels at most --reference-level \\(12\\), found 13" "$WORK/err" "levels checked"

# Coverage takes trajectories: each terminal counted where it is, decided with its speed; the served
# fractions follow the decisions of `check` (the convoy's 43 denied minutes of 150, the exile never).
# Under ASan+UBSan the same runs take 5-minute steps (a quarter of the work): the convoy is then served
# at 21 of the 30 instants, as `check` decided above.
if [[ "$SANITIZED" == 1 ]]; then
  MOVING_STEP=5m CONVOY_SERVED='0\.700000'
else
  MOVING_STEP=60s CONVOY_SERVED='0\.713333'
fi
expect_exit 0 "coverage of moving terminals" -- "$SKYFENCE" coverage --catalog starlink --sites "$MOVING" \
  --policy "$POLICY" --start 2026-04-27T10:00:00Z --duration 150m --step "$MOVING_STEP" -o "$WORK/cov.csv"
expect_grep "5 terminals of .*moving.csv, 3 moving" "$WORK/err" "coverage summary names the moving terminals"
expect_grep "^CONVOY-1,48\.464700,35\.046200,,starlink,1\.000000,.*,$CONVOY_SERVED\$" "$WORK/cov.csv" "convoy served 107 of 150 min (21 of 30 instants)"
expect_grep '^EXILE-1,.*,starlink,1\.000000,.*,0\.000000$' "$WORK/cov.csv" "exile past the roaming limit"
expect_grep '^POST-1,.*,starlink,1\.000000,.*,1\.000000$' "$WORK/cov.csv" "whitelisted post served"
# GeoJSON gives a moving terminal's trajectory (a LineString with the time of each vertex), a terminal at
# rest as a Point.
expect_exit 0 "coverage of moving terminals to GeoJSON" -- "$SKYFENCE" coverage --catalog starlink \
  --sites "$MOVING" --policy "$POLICY" --start 2026-04-27T10:00:00Z --duration 30m --step 5m -q \
  -o "$WORK/cov.geojson"
/usr/bin/python3 - "$WORK/cov.geojson" "$MOVING" <<'PY' && pass || fail "moving terminals in GeoJSON"
import csv, json, sys
features = {f["properties"]["cell_id"]: f for f in json.load(open(sys.argv[1]))["features"]}
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["id"] == "CONVOY-1"]
convoy = features["CONVOY-1"]
assert convoy["geometry"]["type"] == "LineString"
assert convoy["geometry"]["coordinates"] == [[float(r["lon_deg"]), float(r["lat_deg"])] for r in rows]
assert convoy["properties"]["times"] == [r["time_utc"].replace("Z", ".000Z") for r in rows]
assert features["EXILE-1"]["geometry"]["type"] == "Point" and "times" not in features["EXILE-1"]["properties"]
PY
# Capacity takes trajectories too: with 1 Mbps each, far below capacity, a terminal's demand is met
# exactly at the steps coverage serves it, where it is then and decided as check decides it.
awk 'NR == 1 { print $0 ",demand_mbps"; next } { print $0 ",1" }' "$MOVING" > "$WORK/moving_demand.csv"
expect_exit 0 "capacity of moving terminals" -- "$SKYFENCE" capacity --catalog starlink \
  --sites "$WORK/moving_demand.csv" --policy "$POLICY" --start 2026-04-27T10:00:00Z --duration 150m \
  --step "$MOVING_STEP" -o "$WORK/cap.csv"
expect_grep "5 terminals of .*moving_demand.csv, 3 moving" "$WORK/err" "capacity summary names the moving terminals"
expect_grep "^CONVOY-1,48\.464700,35\.046200,,starlink,1,.*,$CONVOY_SERVED\$" "$WORK/cap.csv" "convoy's demand met 107 of 150 min (21 of 30 instants)"
expect_grep '^EXILE-1,.*,starlink,1,.*,0\.000000$' "$WORK/cap.csv" "exile's demand not met past the roaming limit"
expect_grep '^POST-1,.*,starlink,1,.*,1\.000000$' "$WORK/cap.csv" "whitelisted post's demand met"

# Passes over moving terminals: a terminal at rest in the trajectories file gets the passes of its place
# as a --site; the convoy's are seen from where it is (they differ from those of its starting point).
IRIDIUM="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
expect_exit 0 "passes of moving terminals" -- "$SKYFENCE" passes --tle "$IRIDIUM" --sites "$MOVING" \
  --start 2026-04-27T10:00:00Z --stop 2026-04-27T12:30:00Z --min-elevation 10 -o "$WORK/mpasses.csv"
expect_grep "80 satellites x 5 sites" "$WORK/err" "passes summary counts the terminals"
expect_exit 0 "passes of the exile's place" -- "$SKYFENCE" passes --tle "$IRIDIUM" --site 52.2300,21.0100 \
  --start 2026-04-27T10:00:00Z --stop 2026-04-27T12:30:00Z --min-elevation 10 -q -o "$WORK/epasses.csv"
expect_exit 0 "passes of the convoy's start" -- "$SKYFENCE" passes --tle "$IRIDIUM" --site 48.4647,35.0462 \
  --start 2026-04-27T10:00:00Z --stop 2026-04-27T12:30:00Z --min-elevation 10 -q -o "$WORK/cpasses.csv"
/usr/bin/python3 - "$WORK/mpasses.csv" "$WORK/epasses.csv" "$WORK/cpasses.csv" <<'PY' && pass || fail "passes of moving terminals"
import csv, sys
def rows(path, site=None):
    out = []
    for r in csv.DictReader(open(path)):
        if site is None or r.pop("site_id") == site:
            r.pop("site_id", None)
            out.append(r)
    return out
moving = sys.argv[1]
assert rows(moving, "EXILE-1") == rows(sys.argv[2]) and len(rows(sys.argv[2])) > 20
convoy, start = rows(moving, "CONVOY-1"), rows(sys.argv[3])
assert len(convoy) > 20 and convoy != start
# Before the convoy leaves (10:00) the two see the same satellites rise.
key = lambda r: (r["norad_id"], r["aos_utc"])
assert convoy[0]["aos_clipped"] == "true" and key(convoy[0]) == key(start[0]), (convoy[0], start[0])
PY

# Satellites in view of moving terminals at an instant: each where it is then, the range rate relative to
# its motion (the drone flies at 221 km/h at 10:20: its range rates equal the change of its ranges).
for t in 10:19:59 10:20:00 10:20:01; do
  expect_exit 0 "visible from moving terminals at $t" -- "$SKYFENCE" visible --catalog starlink --sites "$MOVING" \
    --time "2026-04-27T${t}Z" -q -o "$WORK/vis_${t//:/}.csv"
done
/usr/bin/python3 - "$WORK"/vis_101959.csv "$WORK"/vis_102000.csv "$WORK"/vis_102001.csv <<'PY' && pass || fail "visible from moving terminals"
import csv, sys
before, now, after = ({r["norad_id"]: r for r in csv.DictReader(open(f)) if r["site_id"] == "DRONE-1"} for f in sys.argv[1:])
common = set(before) & set(now) & set(after)
assert len(common) > 5, len(common)
worst = max(abs(float(now[n]["range_rate_km_s"]) - (float(after[n]["range_km"]) - float(before[n]["range_km"])) / 2)
            for n in common)
assert worst < 0.002, worst
PY

# Routes from moving terminals: at each step the convoy is routed from where it is, as a site at rest
# there (its samples at 10:00 and 10:50) is.
expect_exit 0 "route from moving terminals" -- "$SKYFENCE" route --catalog starlink --sites "$MOVING" \
  --to-internet --start 2026-04-27T10:00:00Z --duration 100m --step 50m -q -o "$WORK/route_moving.csv"
for at in "0 48.4647 35.0462" "1 48.5300 35.8700"; do
  read -r k lat lon <<< "$at"
  printf 'id,lat_deg,lon_deg\nCONVOY-1,%s,%s\n' "$lat" "$lon" > "$WORK/convoy_at.csv"
  expect_exit 0 "route from the convoy's sample $k" -- "$SKYFENCE" route --catalog starlink --sites "$WORK/convoy_at.csv" \
    --to-internet --start 2026-04-27T10:00:00Z --duration 100m --step 50m -q -o "$WORK/route_at.csv"
  want=$(grep '^2026' "$WORK/route_at.csv" | sed -n "$((k + 1))p")
  grep -qxF "$want" "$WORK/route_moving.csv" && pass || fail "convoy's route at step $k: $want"
done

# Terminals at rest with an activation country roam too: coverage, capacity and check decide them alike
# (the exile, past the limit all along, and one whose 60 days run out at 11:00, denied from 11:06 after
# the 5-minute delay).
cat > "$WORK/roaming.csv" <<'CSV'
id,name,lat_deg,lon_deg,group,customer,activation_country,roaming_since,demand_mbps
EXILE-9,At rest abroad since February,52.2300,21.0100,civil,civil,UKR,2026-02-01T00:00:00Z,1
LATE-9,At rest abroad since 26 February 11:00,52.2300,21.0100,civil,civil,UKR,2026-02-26T11:00:00Z,1
HOME-9,At rest at home,50.4500,30.5200,civil,civil,UKR,,1
CSV
expect_exit 0 "check roaming at rest" -- "$SKYFENCE" check --policy "$POLICY" --terminals "$WORK/roaming.csv" \
  --start 2026-04-27T10:00:00Z --duration 150m --step "$MOVING_STEP" -q -o "$WORK/roam_check.csv"
expect_exit 0 "coverage roaming at rest" -- "$SKYFENCE" coverage --catalog starlink --sites "$WORK/roaming.csv" \
  --policy "$POLICY" --start 2026-04-27T10:00:00Z --duration 150m --step "$MOVING_STEP" -o "$WORK/roam_cov.csv"
expect_exit 0 "capacity roaming at rest" -- "$SKYFENCE" capacity --catalog starlink --sites "$WORK/roaming.csv" \
  --policy "$POLICY" --start 2026-04-27T10:00:00Z --duration 150m --step "$MOVING_STEP" -o "$WORK/roam_cap.csv"
/usr/bin/python3 - "$WORK/roam_check.csv" "$WORK/roam_cov.csv" "$WORK/roam_cap.csv" "$MOVING_STEP" <<'PY' && pass || fail "roaming at rest: $(cat "$WORK/roam_cov.csv")"
import csv, sys
checked = {}
for r in csv.DictReader(open(sys.argv[1])):
    checked.setdefault(r["terminal_id"], []).append(r["decision"] == "permit")
share = {t: sum(v) / len(v) for t, v in checked.items()}
# Steps of 60 s: 10:00 to 11:05 of 150 permitted; of 5 minutes (under ASan+UBSan): 14 of 30.
n, late = (150, 66) if sys.argv[4] == "60s" else (30, 14)
assert [len(v) for v in checked.values()] == [n] * 3
assert share == {"EXILE-9": 0.0, "LATE-9": late / n, "HOME-9": 1.0}, share
cov = {r["cell_id"]: r for r in csv.DictReader(open(sys.argv[2])) if r["provider"] == "starlink"}
cap = {r["cell_id"]: r for r in csv.DictReader(open(sys.argv[3])) if r["provider"] == "starlink"}
for t, s in share.items():
    assert cov[t]["coverage_fraction"] == "1.000000", cov[t]
    assert abs(float(cov[t]["served_fraction"]) - s) < 1e-6, (t, cov[t]["served_fraction"], s)
    assert abs(float(cap[t]["demand_met_fraction"]) - s) < 1e-6, (t, cap[t]["demand_met_fraction"], s)
PY
finish
