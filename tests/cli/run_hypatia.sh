# skyfence run on a provider read from Hypatia's static state (tests/data/scenario/hypatia.toml): every
# route to the internet the scenario stores (RTT and path, each city, each latency step) is the one
# `skyfence route --hypatia-state` computes on the same network, with the state's links and slant range
# and with the provider's own fields replacing them; the providers table and the report say how the
# routes were built; then the located errors of bad combinations.
source "$(dirname "$0")/lib.bash"
SC="$DATA/scenario/hypatia.toml"
H="$DATA/hypatia-starlink-550"
GW=(--gateways "$REPO_DATA/gateways/starlink_gateways.csv" --pops "$REPO_DATA/gateways/starlink_pops.csv")
WIN=(--start 2000-01-01T00:00:00Z --duration 2m --step 1m)

expect_exit 0 "run" -- "$SKYFENCE" run "$SC" -o "$WORK/res"
expect_exit 0 "route as Hypatia" -- "$SKYFENCE" route --hypatia-state "$H" --to-internet "${GW[@]}" "${WIN[@]}" -o "$WORK/h.csv"
expect_exit 0 "route, overridden" -- "$SKYFENCE" route --hypatia-state "$H" --to-internet --isl-pairing nearest \
  --gsl-max-range 1200 "${GW[@]}" "${WIN[@]}" -o "$WORK/n.csv"

# route's rows against the store's: same reachability, RTT to route's 3 decimals, the same nodes
# (route: city>NORAD>...>GATEWAY>POP; the store: sat:NORAD ... gateway:ID pop:ID).
compare() {
  /usr/bin/python3 - "$WORK/res/results.sqlite" "$1" "$2" <<'PY'
import csv, sqlite3, sys
db, route_csv, provider = sys.argv[1:]
stored = {}
for term, t, rtt, path in sqlite3.connect(db).execute(
        "select terminal_id, time_utc, rtt_ms, path from routes where variant = 'baseline' and provider = ?",
        (provider,)):
    stored[(term, t.replace("Z", "").split(".")[0])] = (rtt, path)
rows = list(csv.DictReader(open(route_csv)))
bad, reached = [], 0
for r in rows:
    key = (r["src"], r["time_utc"].replace("Z", "").split(".")[0])
    if key not in stored:
        bad.append(f"{key}: not in the store"); continue
    rtt, path = stored[key]
    if not r["rtt_ms"]:
        if rtt is not None or path: bad.append(f"{key}: unreachable in route, {rtt} in the store")
        continue
    reached += 1
    if rtt is None or abs(rtt - float(r["rtt_ms"])) > 0.0005 + 1e-12:
        bad.append(f"{key}: rtt {r['rtt_ms']} vs {rtt}"); continue
    nodes = r["path"].split(">")[1:]
    want = [f"sat:{n}" for n in nodes[:-2]] + [f"gateway:{nodes[-2]}", f"pop:{nodes[-1]}"]
    if path.split(" ") != want: bad.append(f"{key}: path {r['path']} vs {path}")
if len(rows) != len(stored): bad.append(f"{len(rows)} route rows, {len(stored)} stored")
if len(rows) != 200 or reached < 150: bad.append(f"{len(rows)} rows, {reached} reached")
print("\n".join(bad[:5]))
sys.exit(1 if bad else 0)
PY
}
compare "$WORK/h.csv" hypatia > "$WORK/cmp.txt" && pass || fail "the state's network: $(cat "$WORK/cmp.txt")"
compare "$WORK/n.csv" hypatia-nearest > "$WORK/cmp.txt" && pass || fail "overridden: $(cat "$WORK/cmp.txt")"
# The two networks differ (else the second comparison would prove nothing about the overrides).
cmp -s "$WORK/h.csv" "$WORK/n.csv" && fail "the overrides changed nothing" || pass

# The providers table says how each provider's routes were built (docs/results.md), and the report shows it.
/usr/bin/python3 - "$WORK/res/results.sqlite" <<'PY' > "$WORK/prov.txt" && pass || fail "providers' topology: $(cat "$WORK/prov.txt")"
import sqlite3, sys
rows = {r[0]: r[1:] for r in sqlite3.connect(sys.argv[1]).execute(
    "select provider, isl, isl_pairing, isl_shift, isl_file, isl_max_range_km, gateway_min_elevation_deg, "
    "gsl_max_range_km, hypatia_state from providers")}
h, n = rows["hypatia"], rows["hypatia-nearest"]
ok = (h[0] == "plus-grid" and h[1] is None and h[2] is None and h[3].endswith("hypatia-starlink-550/isls.txt")
      and abs(h[4] - 5016.5912330984278) < 1e-9 and h[5] is None and abs(h[6] - 1089.6864181956202) < 1e-9
      and h[7].endswith("hypatia-starlink-550")
      and n[1] == "nearest" and n[2] is None and n[3] is None and n[6] == 1200.0 and n[5] is None)
print(rows)
sys.exit(0 if ok else 1)
PY
expect_grep "from <code>[^<]*hypatia-starlink-550/isls.txt</code>" "$WORK/res/report.html" "report: the links' file"
expect_grep "slant range &#8804; 1089.686 km" "$WORK/res/report.html" "report: the slant range"
expect_grep "plus grid, nearest pairing" "$WORK/res/report.html" "report: the overriding pairing"

# Bad combinations, each located (file:line: field: message), all reported at once.
cp -r "$H" "$WORK/state"
cat > "$WORK/bad.toml" <<TOML
name = "bad"
start = 2000-01-01T00:00:00Z
duration = "2m"
[region]
country = "MDA"
[[provider]]
name = "a"
hypatia_state = "state"
tle = "state/tles.txt"
[[provider]]
name = "b"
hypatia_state = "no-such-state"
[[provider]]
name = "c"
hypatia_state = "state"
gateway_min_elevation_deg = 10
[[terminals]]
group = "g"
file = "$DATA/scenario/terminals_remote.csv"
hypatia_state = "state"
TOML
expect_exit 2 "bad combinations" -- "$SKYFENCE" run "$WORK/bad.toml" --check
expect_grep "bad.toml:6: provider\[0\].catalog: expected exactly one of catalog, tle, omm, preset or hypatia_state" "$WORK/err" "two sources"
expect_grep "bad.toml:12: provider\[1\].hypatia_state: no such folder: .*no-such-state" "$WORK/err" "missing folder"
expect_grep "bad.toml:16: provider\[2\].gateway_min_elevation_deg: hypatia_state limits ground links by slant range" "$WORK/err" "gateway mask"
expect_grep "bad.toml:20: terminals\[0\].hypatia_state: expected exactly one of file or hypatia_state" "$WORK/err" "group file and state"

# A broken state is refused at loading, at its file and line, and leaves no results.
printf 'name = "broken"\nstart = 2000-01-01T00:00:00Z\nduration = "2m"\n[region]\ncountry = "MDA"\n[[provider]]\nname = "a"\nhypatia_state = "state"\n' > "$WORK/broken.toml"
sed -i '5s/^.*$/Starlink-550 5/' "$WORK/state/tles.txt"
expect_exit 2 "broken tles.txt" -- "$SKYFENCE" run "$WORK/broken.toml" -o "$WORK/broken"
expect_grep "state/tles.txt:5" "$WORK/err" "located at tles.txt's line"
[[ ! -e "$WORK/broken" ]] && pass || fail "a refused run wrote results"
finish
