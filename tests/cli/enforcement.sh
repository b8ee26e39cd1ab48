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
finish
