#!/usr/bin/python3
"""Reference passes from Skyfield, an independent implementation, for skyfence's pass finder.

Writes tests/data/visibility/skyfield_passes.csv, read by
tests/validation/visibility/skyfield_passes_test.cpp. Run with Debian's interpreter, which has
python3-skyfield (1.45) and python3-sgp4:

    /usr/bin/python3 scripts/reference/passes_skyfield.py [OUTPUT]

What it does: takes every 200th element set of data/tle/starlink_2026-04-27.tle (52 satellites), three
sites (Kyiv, Cape Town, Suva: both hemispheres, next to the antimeridian) and the two days
2026-04-27T00:00Z to 2026-04-29T00:00Z, and calls EarthSatellite.find_events(site, t0, t1,
altitude_degrees=25). Each event is then refined with Skyfield's own altitude function: find_events
stops its searches at half a second (its epsilon) and its times can be seconds off (13 s seen), so the script
samples Skyfield's altitude every 100 ms within 30 s of each event, then every 1 ms within 0.15 s of what
that finds, and takes the threshold crossing (linear interpolation) and the highest point (parabola
through the top three samples). Both the raw find_events times and the refined values
are written.

Time scales, so that both sides compute the same thing:
  - SGP4's time argument: Skyfield passes SGP4 a UTC-based Julian date (TAI minus the leap seconds of
    the moment); skyfence uses the TAI difference from the epoch. They agree when no leap second lies
    between the epoch and the time, as here (none since 2017).
  - Earth rotation: Skyfield turns TEME into ITRS with GMST 1982 of UT1, taking UT1 from its Delta T
    tables (extrapolated for 2026); skyfence takes UT1 = UTC. The timescale below fixes Delta T =
    TT - UT1 = 69.184 s = 32.184 s + 37 leap seconds, which makes UT1 = UTC in Skyfield too.
  - Neither side applies polar motion or refraction; both use WGS84 geodetic sites and elevations.
"""
import sys
from pathlib import Path

import numpy as np
import skyfield
from skyfield.api import EarthSatellite, load, wgs84

ROOT = Path(__file__).resolve().parents[2]
TLE = ROOT / "data" / "tle" / "starlink_2026-04-27.tle"
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "visibility" / "skyfield_passes.csv"

SITES = [  # id, lat_deg, lon_deg, alt_m
    ("kyiv", 50.45, 30.52, 180.0),
    ("cape_town", -33.92, 18.42, 10.0),
    ("suva", -18.14, 178.44, 5.0),
]
START = (2026, 4, 27)
STOP = (2026, 4, 29)
MIN_ELEVATION_DEG = 25.0
EVERY = 200
SEARCH_S = 30.0  # find_events' own times can be seconds off (13 s seen; its bracket searches stop at 0.5 s)
GRID_S = 0.001
COARSE = np.arange(-SEARCH_S, SEARCH_S + 0.05, 0.1)
FINE = np.arange(-0.15, 0.15 + GRID_S / 2, GRID_S)


def read_tle(path):
    lines = [l.rstrip("\r\n") for l in path.read_text().splitlines() if l.strip()]
    out = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("1 ") and i + 1 < len(lines) and lines[i + 1].startswith("2 "):
            out.append(("", lines[i], lines[i + 1]))
            i += 2
        else:
            out.append((lines[i].strip(), lines[i + 1], lines[i + 2]))
            i += 3
    return out


def iso(t):
    return t.utc_strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_of(name, l1, site_id, lat, lon, alt_m, p, refine_crossing, refine_max):
    """One CSV row: the pass refined on Skyfield's altitude (while `refine_*` see this satellite)."""
    norad = int(l1[2:7])
    rise = refine_crossing(p["rise"], True) if p["rise"] is not None else None
    setting = refine_crossing(p["set"], False) if p["set"] is not None else None
    best = None
    for c in p["culm"]:
        tc, el = refine_max(c)
        if best is None or el > best[1]:
            best = (tc, el, c)
    return ",".join([
        str(norad), name, site_id, f"{lat:g}", f"{lon:g}", f"{alt_m:g}",
        iso(rise) if rise is not None else "", iso(best[0]) if best is not None else "", iso(setting) if setting is not None else "",
        f"{best[1]:.6f}" if best is not None else "",
        iso(p["rise"]) if p["rise"] is not None else "", iso(best[2]) if best is not None else "",
        iso(p["set"]) if p["set"] is not None else "",
    ])


def main():
    ts = load.timescale(delta_t=69.184)  # UT1 = UTC (see the module docstring)
    t0 = ts.utc(*START)
    t1 = ts.utc(*STOP)
    sets = read_tle(TLE)[::EVERY]
    rows = []
    for site_id, lat, lon, alt_m in SITES:
        site = wgs84.latlon(lat, lon, elevation_m=alt_m)
        for name, l1, l2 in sets:
            sat = EarthSatellite(l1, l2, name, ts)
            diff = sat - site

            def altitudes(t_center_tt, offsets):
                t = ts.tt_jd(t_center_tt + offsets / 86400.0)
                return t, diff.at(t).altaz()[0].degrees

            def crossing_near(t_center_tt, offsets, rising):
                # The crossing in the event's direction nearest to it (a short pass has both within 30 s).
                t, alt = altitudes(t_center_tt, offsets)
                above = alt >= MIN_ELEVATION_DEG
                k = np.nonzero((above[1:] != above[:-1]) & (above[1:] == rising))[0]
                if len(k) == 0:
                    raise RuntimeError(f"{name} {site_id}: no crossing near JD {t_center_tt}")
                k = k[np.argmin(np.abs(offsets[k]))]
                f = (MIN_ELEVATION_DEG - alt[k]) / (alt[k + 1] - alt[k])
                return t.tt[k] + f * (t.tt[k + 1] - t.tt[k])

            def max_near(t_center_tt, offsets):
                t, alt = altitudes(t_center_tt, offsets)
                k = int(np.argmax(alt))
                if k == 0 or k == len(alt) - 1:
                    raise RuntimeError(f"{name} {site_id}: maximum at the edge near JD {t_center_tt}")
                y0, y1, y2 = alt[k - 1], alt[k], alt[k + 1]
                den = y0 - 2 * y1 + y2
                p = 0.5 * (y0 - y2) / den if den != 0 else 0.0
                return t.tt[k] + p * (t.tt[k + 1] - t.tt[k]), y1 - 0.25 * (y0 - y2) * p

            # Two stages: 100 ms samples within SEARCH_S of the event, then GRID_S samples around that.
            def refine_crossing(t_event, rising):
                rough = crossing_near(t_event.tt, COARSE, rising)
                return ts.tt_jd(crossing_near(rough, FINE, rising))

            def refine_max(t_event):
                rough, _ = max_near(t_event.tt, COARSE)
                tt, el = max_near(rough, FINE)
                return ts.tt_jd(tt), el

            times, events = sat.find_events(site, t0, t1, altitude_degrees=MIN_ELEVATION_DEG)
            # Group into passes: [rise] culmination... [set]. A pass with no rise was under way at t0, one
            # with no set still under way at t1.
            current = None
            for t, e in zip(times, events):
                if e == 0:
                    current = {"rise": t, "culm": [], "set": None}
                elif e == 1:
                    if current is None:
                        current = {"rise": None, "culm": [], "set": None}
                    current["culm"].append(t)
                else:
                    if current is None:
                        current = {"rise": None, "culm": [], "set": None}
                    current["set"] = t
                    rows.append(row_of(name, l1, site_id, lat, lon, alt_m, current, refine_crossing, refine_max))
                    current = None
            if current is not None:
                rows.append(row_of(name, l1, site_id, lat, lon, alt_m, current, refine_crossing, refine_max))

    with open(OUT, "w") as f:
        f.write(f"# Reference passes above {MIN_ELEVATION_DEG:g} deg from Skyfield {skyfield.__version__} "
                f"(EarthSatellite.find_events, python3-sgp4, numpy {np.__version__}),\n")
        f.write(f"# made by scripts/reference/passes_skyfield.py from every {EVERY}th element set of "
                f"data/tle/starlink_2026-04-27.tle, {iso(t0)} to {iso(t1)}, Delta T = 69.184 s (UT1 = UTC).\n")
        f.write("# rise/culmination/set: refined on Skyfield's altitude (1 ms samples); *_raw: find_events as returned.\n")
        f.write("# An empty rise (set) is a pass under way at the window's start (end). Several culminations: the highest.\n")
        f.write("norad_id,name,site_id,lat_deg,lon_deg,alt_m,rise_utc,culmination_utc,set_utc,max_elevation_deg,"
                "rise_raw_utc,culmination_raw_utc,set_raw_utc\n")
        for r in rows:
            f.write(r + "\n")
    print(f"wrote {len(rows)} passes of {len(sets)} satellites over {len(SITES)} sites to {OUT}")


if __name__ == "__main__":
    main()
