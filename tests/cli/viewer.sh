# skyfence view, and the viewer `skyfence run` writes: the folder it makes, its refusals, and the page in
# headless Chromium through `skyfence serve` (tests/viewer/browser_check.mjs: globe drawn, satellite count,
# positions against `skyfence propagate`, no console error, no request leaving 127.0.0.1).
source "$(dirname "$0")/lib.bash"
PY=/usr/bin/python3
SC="$DATA/scenario/small.toml"
WEB="${SKYFENCE_WEB:-$(cd "$(dirname "$0")/../../web" && pwd)}"
CHECK="$(dirname "$0")/../viewer/browser_check.mjs"

if [[ ! -f "$WEB/node_modules/cesium/Build/Cesium/Cesium.js" ]]; then
  echo "FAIL: the viewer's npm packages are not installed in $WEB/node_modules: run make deps" >&2
  exit 1
fi

expect_exit 0 "view --help" -- "$SKYFENCE" view --help
expect_grep "skyfence serve" "$WORK/out" "--help says how to open it"
expect_grep "make deps" "$WORK/out" "--help says how to install the packages"

# A run writes the viewer, and the report links to it (the README's commands, on the small scenario).
expect_exit 0 "run" -- "$SKYFENCE" run "$SC" -o "$WORK/res"
expect_grep "viewer/" "$WORK/err" "the run names the viewer"
for f in index.html viewer.js layers.js viewer.css orbits.js keys_worker.js scenario.json cesium/Cesium.js cesium/Widgets/widgets.css \
  cesium/Assets/Textures/NaturalEarthII/tilemapresource.xml satellite.js/io.js satellite.js/propagation.js; do
  [[ -s "$WORK/res/viewer/$f" ]] && pass || fail "viewer/$f missing"
done
[[ ! -e "$WORK/res/viewer/satellite.js/wasm" && ! -e "$WORK/res/viewer/cesium/Assets/Textures/SkyBox" ]] && pass ||
  fail "the viewer holds files it does not use"
expect_grep 'href="viewer/index.html"' "$WORK/res/report.html" "report.html links to the viewer"
expect_grep "skyfence serve" "$WORK/res/report.html" "report.html says how to open it"
size_kib=$(du -sk "$WORK/res/viewer" | cut -f1)
((size_kib < 13000)) && pass || fail "the viewer takes $size_kib KiB (13 MB expected at most)"

# The data file: every satellite of the store, and the store's cells and terminals.
"$PY" - "$WORK/res" >"$WORK/data.out" 2>&1 <<'EOF'
import json, sqlite3, sys
d = sys.argv[1]
db = sqlite3.connect(f"{d}/results.sqlite")
v = json.load(open(f"{d}/viewer/scenario.json"))
assert v["format"] == "skyfence-viewer", v["format"]
n_sat = db.execute("SELECT SUM(satellite_count) FROM providers").fetchone()[0]
assert len(v["satellites"]) == n_sat == db.execute("SELECT COUNT(*) FROM satellites").fetchone()[0], n_sat
assert len(v["cells"]) == db.execute("SELECT COUNT(*) FROM cells").fetchone()[0]
assert len(v["terminals"]) == db.execute("SELECT COUNT(*) FROM terminals").fetchone()[0]
layers = db.execute("SELECT COUNT(DISTINCT variant || '/' || provider) FROM cell_stats").fetchone()[0]
assert len(v["cell_layers"]) == layers, (len(v["cell_layers"]), layers)
token, served = db.execute("SELECT cell_token, served_fraction FROM cell_stats WHERE variant = 'baseline' "
                           "AND provider = 'any' ORDER BY cell_token LIMIT 1").fetchone()
i = [c[0] for c in v["cells"]].index(token)
layer = [l for l in v["cell_layers"] if l["variant"] == "baseline" and l["provider"] == "any"][0]
assert layer["served"][i] == served, (layer["served"][i], served)
# A failure variant's failed satellites: half of iridium's (llround of 0.5 x the fleet), all of them
# iridium's, listed in the variant's file.
failed = db.execute("SELECT variant, provider, norad_id FROM failed_satellites ORDER BY 3").fetchall()
fleet = {n for (n,) in db.execute("SELECT norad_id FROM satellites WHERE provider = 'iridium'")}
assert {(v, p) for v, p, _ in failed} == {("iridium-half-fails", "iridium")}, failed[:3]
assert len(failed) == round(0.5 * len(fleet)) and {n for _, _, n in failed} <= fleet, (len(failed), len(fleet))
k = [x["id"] for x in v["variants"]].index("iridium-half-fails")
vfile = json.load(open(f"{d}/viewer/variants/{k}.json"))
assert vfile["failed"] == [n for _, _, n in failed], vfile["failed"][:3]
# Forbidden regions: the store's rows (the small scenario: Moldova, which a variant's rule forbids).
regions = db.execute("SELECT variant, provider, rule_id, region FROM policy_regions ORDER BY 1, 2, 3, 4").fetchall()
assert [(r["variant"], r["provider"], r["rule"], r["region"]) for r in v["policy_regions"]] == regions, regions
assert regions == [("iridium-forbids-moldova", "iridium", "forbid-mda", "MDA")], regions
ring = v["policy_regions"][0]["polygons"][0][0]
assert ring[0] == ring[-1] and len(ring) > 10 and all(26 < x < 31 and 45 < y < 49 for x, y in ring), ring[:3]
# Terminal states: every change of the store, a series per (variant, provider, terminal) from step 0.
rows = db.execute("SELECT variant, provider, terminal_id, first_step, state, rule_ids FROM terminal_states "
                  "ORDER BY 1, 2, 3, 4").fetchall()
flat = [(s["variant"], s["provider"], s["terminal"], step, {"s": "served", "u": "uncovered", "d": "denied"}[c],
         s["rules"].get(str(k)) if c == "d" else None)
        for s in v["terminal_states"] for k, (step, c) in enumerate(zip(s["steps"], s["states"]))]
assert flat == rows, (flat[:3], rows[:3])
assert all(s["steps"][0] == 0 for s in v["terminal_states"])
assert ("iridium-forbids-moldova", "iridium", "C1", 0, "denied", "forbid-mda") in rows
print(n_sat)
EOF
[[ $? -eq 0 ]] && pass || fail "scenario.json does not match results.sqlite: $(cat "$WORK/data.out")"
satellites=$(tail -1 "$WORK/data.out")

# Routes and a catalog swap (tests/data/scenario/viewer_routes.toml): scenario.json holds the baseline's
# routes of results.sqlite, each variant's file (variants/K.json) the variant's routes and the satellites
# a catalog swap gives its provider (variant_satellites, epochs moved by the shift).
expect_exit 0 "run with routes" -- "$SKYFENCE" run "$DATA/scenario/viewer_routes.toml" -o "$WORK/routes" -q
"$PY" - "$WORK/routes" >"$WORK/routes.out" 2>&1 <<'EOF'
import json, sqlite3, sys
d = sys.argv[1]
db = sqlite3.connect(f"{d}/results.sqlite")
v = json.load(open(f"{d}/viewer/scenario.json"))
def routes_of(variant, routes):
    rows = db.execute("SELECT provider, terminal_id, rtt_ms, path FROM routes WHERE variant = ? "
                      "ORDER BY 1, 2, time_utc", (variant,)).fetchall()
    flat = [(r["provider"], r["terminal"], rtt, path) for r in routes for rtt, path in zip(r["rtt_ms"], r["paths"])]
    assert flat == rows and len(rows) > 0, (variant, flat[:2], rows[:2])
    return rows
rows = routes_of("baseline", v["routes"])
assert any(p.startswith("sat:") and " gateway:" in p and " pop:" in p for *_, p in rows), rows[:3]
ids = [x["id"] for x in v["variants"]]
assert ids == [r[0] for r in db.execute("SELECT variant FROM variants ORDER BY variant_index")], ids
assert v["variants"][0]["data"] is None
for k, x in enumerate(v["variants"][1:], 1):
    assert x["data"] == f"variants/{k}.json", x
    f = json.load(open(f"{d}/viewer/{x['data']}"))
    assert f["format"] == "skyfence-viewer-variant" and f["variant"] == x["id"], f["variant"]
    routes_of(x["id"], f["routes"])
    sats = db.execute("SELECT provider, norad_id, name, epoch_utc FROM variant_satellites WHERE variant = ? "
                      "ORDER BY 1, 2", (x["id"],)).fetchall()
    assert [tuple(r[:4]) for r in f["satellites"]] == sats, (x["id"], f["satellites"][:1], sats[:1])
    if x["kind"] == "catalog_swap":
        want = db.execute("SELECT satellite_count FROM variants WHERE variant = ?", (x["id"],)).fetchone()[0]
        assert len(sats) == want > 600, (len(sats), want)
    else:
        assert sats == [], x["id"]
EOF
[[ $? -eq 0 ]] && pass || fail "the viewer's routes and variants' files do not match results.sqlite: $(cat "$WORK/routes.out")"

# view rebuilds it from the folder alone, replacing its own viewer only.
rm -rf "$WORK/res/viewer"
expect_exit 0 "view" -- "$SKYFENCE" view "$WORK/res"
[[ -s "$WORK/res/viewer/scenario.json" ]] && pass || fail "view wrote no scenario.json"
expect_exit 0 "view again replaces its viewer" -- "$SKYFENCE" view "$WORK/res/" -q
[[ ! -s "$WORK/err" ]] && pass || fail "-q printed: $(cat "$WORK/err")"
ls "$WORK/res" | grep -q "tmp-\|old-" && fail "staging folders left behind" || pass

# Refusals: not a results folder, a viewer/ folder skyfence did not write, the packages missing.
mkdir -p "$WORK/plain"
expect_exit 2 "view of a plain folder" -- "$SKYFENCE" view "$WORK/plain"
expect_grep "not a skyfence results folder" "$WORK/err" "plain folder named"
cp -r "$WORK/res" "$WORK/mine"
rm -rf "$WORK/mine/viewer" && mkdir "$WORK/mine/viewer" && echo "my notes" >"$WORK/mine/viewer/notes.txt"
expect_exit 2 "view onto a user's viewer/ folder" -- "$SKYFENCE" view "$WORK/mine"
expect_grep "not a skyfence viewer" "$WORK/err" "the user's folder named"
[[ "$(cat "$WORK/mine/viewer/notes.txt")" == "my notes" ]] && pass || fail "the user's file was touched"
expect_exit 1 "view without the packages" -- env SKYFENCE_WEB="$WORK/no-web" "$SKYFENCE" view "$WORK/res"
expect_grep "make deps" "$WORK/err" "the missing packages name make deps"
[[ -s "$WORK/res/viewer/scenario.json" ]] && pass || fail "a failed view removed the viewer"
expect_exit 0 "run without the packages" -- env SKYFENCE_WEB="$WORK/no-web" "$SKYFENCE" run "$SC" -o "$WORK/res2"
expect_grep "warning: the globe viewer was not written" "$WORK/err" "the run warns"
expect_grep "viewer was not written" "$WORK/res2/report.html" "the report says it was not written"
[[ ! -e "$WORK/res2/viewer" ]] && pass || fail "a viewer/ folder without the packages"
"$PY" -c "import sqlite3; db = sqlite3.connect('$WORK/res2/results.sqlite'); db.execute('DROP TABLE satellites'); db.commit()"
expect_exit 2 "view of a store without the satellites table" -- "$SKYFENCE" view "$WORK/res2"
expect_grep 'no table "satellites".*run the scenario again' "$WORK/err" "an older store explained"

# The page in headless Chromium. Under ASan+UBSan the C++ side is only `serve`, which serve.sh covers there:
# the browser run (about 20 s of software rendering) is left to the Release suite.
if [[ "$SANITIZED" == 1 ]]; then
  echo "skip: the browser check runs in the Release suite only"
  finish
  exit $?
fi
if [[ ! -x /usr/bin/chromium ]]; then
  echo "SKIP: /usr/bin/chromium is absent (Debian's chromium package; scripts/install-deps.sh installs it):" \
    "the browser check did not run"
  finish
  exit $?
fi
# Expected positions: `skyfence propagate --frame itrf` on the catalogs the scenario's providers read, at
# three instants of the window (start, inside, end).
for t in 2026-04-27T00:00:00 2026-04-27T00:47:13 2026-04-27T01:55:00; do
  for cat in iridium:iridium-next_2026-04-27.tle oneweb:oneweb_2026-03-26.tle; do
    "$SKYFENCE" propagate --tle "$REPO_DATA/tle/${cat#*:}" --frame itrf --start "${t}Z" \
      --stop "${t}.001Z" --step 1s -q -o "$WORK/prop-${cat%%:*}-$t.csv" 2>>"$WORK/prop.err" ||
      fail "propagate ${cat#*:} at $t"
  done
done
"$PY" - "$WORK" "$WORK/res/viewer/scenario.json" >"$WORK/expected.json" <<'EOF'
import csv, glob, json, sys
work, data = sys.argv[1], json.load(open(sys.argv[2]))
ids = {(r[0], str(r[1])) for r in data["satellites"]}
out = {}
for f in sorted(glob.glob(f"{work}/prop-*.csv")):
    provider, t = f.rsplit("/", 1)[1][5:-4].split("-", 1)
    rows = out.setdefault(t + "Z", {})
    for r in csv.DictReader(open(f)):
        if (provider, r["norad_id"]) in ids:
            rows[f"{provider}/{r['norad_id']}"] = [float(r["x_km"]), float(r["y_km"]), float(r["z_km"])]
json.dump(out, sys.stdout)
EOF
"$PY" -c "import json,sys; d=json.load(open('$WORK/expected.json')); assert len(d)==3 and all(len(v)>700 for v in d.values()), {k: len(v) for k, v in d.items()}" &&
  pass || fail "expected positions incomplete"
# Expected positions of the catalog swap's satellites at two instants t of the second viewer: `skyfence
# propagate` of the catalog at t minus the variant's shift (docs/scenario.md "Catalog swaps").
"$PY" - "$WORK/routes/results.sqlite" >"$WORK/swap-times.txt" <<'EOF'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
variant, shift = db.execute("SELECT variant, time_shift_days FROM variants WHERE kind = 'catalog_swap'").fetchone()
for t in ("2026-04-27T00:10:00", "2026-04-27T00:24:30"):
    at = datetime.datetime.fromisoformat(t) - datetime.timedelta(days=shift)
    print(variant, t + "Z", at.isoformat(timespec="milliseconds") + "Z", (at + datetime.timedelta(milliseconds=1)).isoformat(timespec="milliseconds") + "Z")
EOF
while read -r variant t from to; do
  "$SKYFENCE" propagate --tle "$REPO_DATA/tle/oneweb_2026-03-26.tle" --frame itrf --start "$from" --stop "$to" \
    --step 1s -q -o "$WORK/swap-$t.csv" 2>>"$WORK/prop.err" || fail "propagate the swapped catalog at $from"
done <"$WORK/swap-times.txt"
"$PY" - "$WORK" "$WORK/routes/viewer" >"$WORK/expected-swap.json" <<'EOF'
import csv, glob, json, sys
work, viewer = sys.argv[1], sys.argv[2]
v = json.load(open(f"{viewer}/scenario.json"))
swap = [x for x in v["variants"] if x["kind"] == "catalog_swap"][0]
ids = {str(r[1]) for r in json.load(open(f"{viewer}/{swap['data']}"))["satellites"]}
out = {"variant": swap["id"], "positions": {}}
for f in sorted(glob.glob(f"{work}/swap-*.csv")):
    rows = out["positions"].setdefault(f.rsplit("/", 1)[1][5:-4], {})
    for r in csv.DictReader(open(f)):
        if r["norad_id"] in ids:
            rows[f"{swap['provider']}/{r['norad_id']}"] = [float(r["x_km"]), float(r["y_km"]), float(r["z_km"])]
json.dump(out, sys.stdout)
EOF
"$PY" -c "import json; d=json.load(open('$WORK/expected-swap.json'))['positions']; assert len(d)==2 and all(len(v)>600 for v in d.values()), {k: len(v) for k, v in d.items()}" &&
  pass || fail "expected positions of the swapped catalog incomplete"

"$SKYFENCE" serve "$WORK/res" --port 0 -q >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
# The server stops with the script, however it ends.
trap 'kill -TERM "$server" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 200); do
  grep -qE '^http://127\.0\.0\.1:[0-9]+/$' "$WORK/serve.out" 2>/dev/null && break
  sleep 0.05
done
url="$(head -1 "$WORK/serve.out")"
"$SKYFENCE" serve "$WORK/routes" --port 0 -q >"$WORK/serve2.out" 2>"$WORK/serve2.err" &
server2=$!
trap 'kill -TERM "$server" "$server2" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 200); do
  grep -qE '^http://127\.0\.0\.1:[0-9]+/$' "$WORK/serve2.out" 2>/dev/null && break
  sleep 0.05
done
url2="$(head -1 "$WORK/serve2.out")"
timeout 150 node "$CHECK" "${url}viewer/" "$satellites" "$WORK/expected.json" "$WORK/shot.png" "${url2}viewer/" \
  "$WORK/expected-swap.json" >"$WORK/browser.out" 2>&1
code=$?
cat "$WORK/browser.out"
[[ $code -eq 0 ]] && pass || fail "browser checks (exit $code)"
kill -TERM "$server" "$server2"
wait "$server" "$server2"
finish
