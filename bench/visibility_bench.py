#!/usr/bin/python3
"""Peers of bench/visibility_bench.cpp: the same workloads with python-sgp4 + numpy and with Skyfield.

Run with Debian's interpreter (python3-sgp4 2.15, python3-skyfield 1.45, numpy):
    /usr/bin/python3 bench/visibility_bench.py [--passes-subset N] [--skyfield-subset N]
Prints "name value unit" lines, read by bench/visibility_bench.sh.

  in_view   all 10,238 element sets x the same 10,000 sites (uniform on the sphere; numpy's generator, so
            not the same points as the C++ driver's, same distribution) at 2026-04-27T12:00Z, 25 deg:
            SatrecArray.sgp4, GMST 1982 rotation, then every pair tested in numpy (the straightforward
            vectorised way; numpy has no spatial index), in chunks of sites to bound memory.
  passes    7 days over Kyiv, 25 deg. python-sgp4 + numpy: elevation sampled every 10 s for a subset of the
            satellites, passes from sign changes, AOS/LOS by linear interpolation, TCA at the highest
            sample (less work and less accuracy than skyfence: passes shorter than 10 s can be missed,
            times are good to ~0.1 s); Skyfield: EarthSatellite.find_events on a smaller subset. Both are
            scaled to the whole snapshot by the satellite count.
"""
import argparse
import time
from pathlib import Path

import numpy as np
from sgp4.api import SatrecArray, Satrec, jday

ROOT = Path(__file__).resolve().parents[1]
TLE = ROOT / "data" / "tle" / "starlink_2026-04-27.tle"
A, F = 6378.137, 1.0 / 298.257223563
E2 = F * (2 - F)
MIN_EL = np.radians(25.0)


def read_tle(path):
    lines = [l for l in path.read_text().splitlines() if l.strip()]
    out, i = [], 0
    while i < len(lines):
        if lines[i].startswith("1 ") and lines[i + 1].startswith("2 "):
            out.append(("", lines[i], lines[i + 1])); i += 2
        else:
            out.append((lines[i].strip(), lines[i + 1], lines[i + 2])); i += 3
    return out


def gmst82(jd, fr):
    t = (jd - 2451545.0 + fr) / 36525.0
    g = 67310.54841 + (8640184.812866 + (0.093104 + -6.2e-6 * t) * t) * t
    return ((jd % 1.0 + fr + g / 86400.0 % 1.0) % 1.0) * 2 * np.pi


def sites_ecef(lat, lon, h=0.0):
    n = A / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    r = np.stack([(n + h) * np.cos(lat) * np.cos(lon), (n + h) * np.cos(lat) * np.sin(lon),
                  (n * (1 - E2) + h) * np.sin(lat)], axis=-1)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    return r, up


def teme_to_ecef(r, jd, fr):
    g = gmst82(jd, fr)
    c, s = np.cos(g), np.sin(g)
    x, y = r[..., 0], r[..., 1]
    return np.stack([c * x + s * y, -s * x + c * y, r[..., 2]], axis=-1)


def in_view(sats):
    arr = SatrecArray([Satrec.twoline2rv(l1, l2) for _, l1, l2 in sats])
    rng = np.random.default_rng(20260427)
    lat = np.arcsin(rng.uniform(-1, 1, 10000))
    lon = np.radians(rng.uniform(-180, 180, 10000))
    site_r, site_up = sites_ecef(lat, lon)
    jd, fr = jday(2026, 4, 27, 12, 0, 0.0)
    best, pairs = 1e9, 0
    for _ in range(3):
        t0 = time.perf_counter()
        e, r, v = arr.sgp4(np.array([jd]), np.array([fr]))
        ok = e[:, 0] == 0
        p = teme_to_ecef(r[ok, 0, :], jd, fr)
        count = 0
        for k in range(0, len(lat), 250):
            rel = p[None, :, :] - site_r[k:k + 250, None, :]
            u = np.einsum("skc,sc->sk", rel, site_up[k:k + 250])
            rho = np.sqrt(np.einsum("skc,skc->sk", rel, rel))
            count += int(np.count_nonzero(u >= rho * np.sin(MIN_EL)))
        best = min(best, time.perf_counter() - t0)
        pairs = count
    print(f"peer_sgp4_numpy_in_view_s {best:.3f} s")
    print(f"peer_sgp4_numpy_in_view_pairs {pairs} pairs")


def passes_numpy(sats, n):
    subset = sats[:: max(1, len(sats) // n)][:n]
    site_r, site_up = sites_ecef(np.radians(50.45), np.radians(30.52), 0.18)
    jd0, fr0 = jday(2026, 4, 27, 0, 0, 0.0)
    steps = np.arange(0, 7 * 86400 + 1, 10.0)
    jd = np.full(steps.shape, jd0)
    fr = fr0 + steps / 86400.0
    t0 = time.perf_counter()
    found = 0
    for k in range(0, len(subset), 25):
        arr = SatrecArray([Satrec.twoline2rv(l1, l2) for _, l1, l2 in subset[k:k + 25]])
        e, r, v = arr.sgp4(jd, fr)
        p = teme_to_ecef(r, jd[None, :], fr[None, :])
        rel = p - site_r
        rho = np.linalg.norm(rel, axis=-1)
        el = np.arcsin(np.einsum("stc,c->st", rel, site_up) / rho)
        el[e != 0] = -np.pi / 2
        above = el >= MIN_EL
        for s in range(above.shape[0]):
            edges = np.flatnonzero(np.diff(above[s].astype(np.int8)))
            rises = edges[above[s][edges + 1]]
            sets = edges[~above[s][edges + 1]]
            # AOS/LOS by linear interpolation, TCA at the highest sample of each pass.
            for i0 in rises:
                f = (MIN_EL - el[s, i0]) / (el[s, i0 + 1] - el[s, i0])
                _ = steps[i0] + f * 10.0
            for i1 in sets:
                f = (MIN_EL - el[s, i1]) / (el[s, i1 + 1] - el[s, i1])
                _ = steps[i1] + f * 10.0
            found += len(rises)
    dt = time.perf_counter() - t0
    print(f"peer_sgp4_numpy_passes_subset {len(subset)} satellites")
    print(f"peer_sgp4_numpy_passes_subset_s {dt:.3f} s")
    print(f"peer_sgp4_numpy_passes_scaled_s {dt * len(sats) / len(subset):.1f} s")
    print(f"peer_sgp4_numpy_passes_subset_found {found} passes")


def passes_skyfield(sats, n):
    from skyfield.api import EarthSatellite, load, wgs84
    ts = load.timescale(delta_t=69.184)
    site = wgs84.latlon(50.45, 30.52, elevation_m=180)
    subset = sats[:: max(1, len(sats) // n)][:n]
    t0, t1 = ts.utc(2026, 4, 27), ts.utc(2026, 5, 4)
    start = time.perf_counter()
    found = 0
    for name, l1, l2 in subset:
        t, ev = EarthSatellite(l1, l2, name, ts).find_events(site, t0, t1, altitude_degrees=25.0)
        found += int(np.count_nonzero(ev == 0))
    dt = time.perf_counter() - start
    print(f"peer_skyfield_passes_subset {len(subset)} satellites")
    print(f"peer_skyfield_passes_subset_s {dt:.3f} s")
    print(f"peer_skyfield_passes_scaled_s {dt * len(sats) / len(subset):.1f} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--passes-subset", type=int, default=500)
    ap.add_argument("--skyfield-subset", type=int, default=20)
    args = ap.parse_args()
    sats = read_tle(TLE)
    print(f"peer_satellites {len(sats)}")
    in_view(sats)
    passes_numpy(sats, args.passes_subset)
    passes_skyfield(sats, args.skyfield_subset)


if __name__ == "__main__":
    main()
