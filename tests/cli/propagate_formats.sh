# The three output formats and three frames carry the same states; SGP4 errors stop a satellite's
# rows with a warning (exit 0, or 1 with --strict); TLE and OMM of the same record agree.
source "$(dirname "$0")/lib.bash"
TLE="$REPO_DATA/tle/iridium-next_2026-04-27.tle"
T=(--start 2026-04-27T12:00:00Z --stop 2026-04-27T12:30:00Z --step 7m --satellite "IRIDIUM 1*")
PY=/usr/bin/python3

expect_exit 0 "csv teme" -- "$SKYFENCE" propagate --tle "$TLE" "${T[@]}" -o "$WORK/teme.csv"
head -1 "$WORK/teme.csv" | grep -qx "norad_id,name,time_utc,tsince_min,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s" && pass || fail "teme header"
# [12:00, 12:30) by 7 minutes, half-open: 12:00, 12:07, 12:14, 12:21, 12:28 = 5 rows per satellite.
nsat=$(awk -F, 'NR > 1 { print $1 }' "$WORK/teme.csv" | sort -u | wc -l)
nrow=$(($(wc -l < "$WORK/teme.csv") - 1))
[[ "$nsat" -gt 5 && "$nrow" -eq $((nsat * 5)) ]] && pass || fail "rows: $nrow for $nsat satellites"
tail -1 "$WORK/teme.csv" | grep -q ",2026-04-27T12:28:00.000Z," && pass || fail "last row is the last step before STOP"
grep -q ",2026-04-27T12:30:00.000Z," "$WORK/teme.csv" && fail "STOP is excluded (half-open window)" || pass
# A STOP on the grid is excluded too: [12:00, 12:28) by 7 minutes has 4 rows per satellite.
expect_exit 0 "stop on the grid" -- "$SKYFENCE" propagate --tle "$TLE" --start 2026-04-27T12:00:00Z \
  --stop 2026-04-27T12:28:00Z --step 7m --satellite "IRIDIUM 1*" -o "$WORK/grid.csv"
[[ $(($(wc -l < "$WORK/grid.csv") - 1)) -eq $((nsat * 4)) ]] && pass || fail "on-grid STOP excluded"
expect_exit 0 "csv geodetic" -- "$SKYFENCE" propagate --tle "$TLE" "${T[@]}" --frame geodetic -o "$WORK/geo.csv"
head -1 "$WORK/geo.csv" | grep -qx "norad_id,name,time_utc,tsince_min,lat_deg,lon_deg,alt_km" && pass || fail "geodetic header"
# Iridium NEXT flies at about 780 km (spares and retiring ones lower), inclination 86.4 deg.
awk -F, 'NR > 1 && ($7 < 600 || $7 > 860 || $5 > 87 || $5 < -87) { bad = 1; print } END { exit bad }' "$WORK/geo.csv" >&2 \
  && pass || fail "Iridium altitudes and latitudes plausible"
expect_exit 0 "json itrf" -- "$SKYFENCE" propagate --tle "$TLE" "${T[@]}" --frame itrf --format json -o "$WORK/itrf.json"
expect_exit 0 "npy teme" -- "$SKYFENCE" propagate --tle "$TLE" "${T[@]}" --format npy -o "$WORK/teme.npy"
[[ -s "$WORK/teme.npy.json" ]] && pass || fail "npy metadata written"

# Cross-check the formats with numpy, and the frames against each other (|r| is frame-invariant).
if [[ -x $PY ]] && $PY -c "import numpy" 2>/dev/null; then
  $PY - "$WORK" <<'PYEOF' && pass || fail "formats agree"
import csv, json, sys, numpy as np
w = sys.argv[1]
a = np.load(f"{w}/teme.npy")
meta = json.load(open(f"{w}/teme.npy.json"))
assert a.shape == tuple(meta["shape"]) and a.shape[2] == 6, (a.shape, meta["shape"])
rows = list(csv.DictReader(open(f"{w}/teme.csv")))
assert len(rows) == a.shape[0] * a.shape[1]
for i, r in enumerate(rows):
    s, t = divmod(i, a.shape[1])
    assert int(r["norad_id"]) == meta["norad_id"][s]
    assert r["time_utc"] == meta["time_utc"][t]
    got = [float(r[k]) for k in ("x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s")]
    assert np.allclose(got[:3], a[s, t, :3], rtol=0, atol=1e-8), (got, a[s, t])
    assert np.allclose(got[3:], a[s, t, 3:], rtol=0, atol=1e-9)
itrf = json.load(open(f"{w}/itrf.json"))
assert [o["norad_id"] for o in itrf] == meta["norad_id"]
for s, o in enumerate(itrf):
    assert o["error"] is None and len(o["states"]) == a.shape[1]
    for t, st in enumerate(o["states"]):
        r_itrf = np.linalg.norm(st[2:5]); r_teme = np.linalg.norm(a[s, t, :3])
        assert abs(r_itrf - r_teme) < 1e-6, (r_itrf, r_teme)
        assert abs(st[4] - a[s, t, 2]) < 1e-6  # the rotation is about z
PYEOF
else
  fail "/usr/bin/python3 with numpy is required (scripts/install-deps.sh installs it)"
fi

# Vallado's case 28872 decays between 50 and 55 minutes (tcppver.out's last row is at 50): rows stop with a warning naming it.
VER="$DATA/sgp4-verification/SGP4-VER.TLE"
expect_exit 0 "decay" -- "$SKYFENCE" propagate --tle "$VER" --accept-bad-checksums --satellite 28872 --minutes=0:60:5 -o "$WORK/decay.csv"
expect_grep "NORAD 28872\): SGP4 error 6 .*tsince 55\.000 min" "$WORK/err" "decay warning names satellite, time and code"
[[ $(($(wc -l < "$WORK/decay.csv") - 1)) -eq 11 ]] && pass || fail "decay rows stop after tsince 50 (11 rows)"
# --minutes keeps the verification set's convention: STOP included, even off the grid (0, 5, ..., 60).
expect_exit 0 "minutes include STOP" -- "$SKYFENCE" propagate --tle "$VER" --accept-bad-checksums --satellite 5 --minutes=0:62:5 -o "$WORK/m.csv"
[[ $(($(wc -l < "$WORK/m.csv") - 1)) -eq 14 ]] && tail -1 "$WORK/m.csv" | grep -q ",62.00000000," && pass || fail "--minutes STOP included"
expect_exit 1 "decay strict" -- "$SKYFENCE" propagate --tle "$VER" --accept-bad-checksums --satellite 28872 --minutes=0:60:5 --strict -o "$WORK/decay2.csv"
# Bug: --strict with an SGP4 error still committed its output file. A failing --strict run leaves no
# output and no temporary file, in every format.
[[ ! -e "$WORK/decay2.csv" ]] && pass || fail "--strict with an SGP4 error left an output file"
expect_exit 1 "decay strict npy" -- "$SKYFENCE" propagate --tle "$VER" --accept-bad-checksums --satellite 28872 --minutes=0:60:5 --strict --format npy -o "$WORK/decay2.npy"
[[ ! -e "$WORK/decay2.npy" && ! -e "$WORK/decay2.npy.json" ]] && pass || fail "--strict with an SGP4 error left an npy file"
ls "$WORK" | grep -q "decay2.*tmp-" && fail "--strict with an SGP4 error left a temporary file" || pass

# The same element set as TLE and as OMM XML propagates identically (VANGUARD 1, epoch 2020-10-13).
cat > "$WORK/vanguard.tle" <<'TLEEOF'
VANGUARD 1
1 00005U 58002B   20287.20333880 -.00000016  00000-0 -22483-4 0  9998
2 00005  34.2443 225.5254 1845686 162.2516 205.2356 10.84869164218149
TLEEOF
expect_exit 0 "vanguard tle" -- "$SKYFENCE" propagate --tle "$WORK/vanguard.tle" --minutes=0:1440:60 -o "$WORK/v_tle.csv"
expect_exit 0 "vanguard omm" -- "$SKYFENCE" propagate --omm "$DATA/sgp4-verification/sample_omm.xml" --minutes=0:1440:60 -o "$WORK/v_omm.csv"
cmp -s "$WORK/v_tle.csv" "$WORK/v_omm.csv" && pass || fail "TLE and OMM outputs differ: $(diff "$WORK/v_tle.csv" "$WORK/v_omm.csv" | head -5)"
finish
