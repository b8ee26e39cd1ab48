#!/usr/bin/python3
"""Peers of bench/coverage_bench.cpp: what a numpy user would write to count, for one step, the
satellites in view of every point, given the satellites' ITRF positions exported by the C++ driver.

    /usr/bin/python3 bench/coverage_peer.py DIR   (DIR holds points.npy and sats_itrf_km.npy)
Prints "name value" lines, read by bench/coverage_bench.sh. Timed: the visibility counting alone
(one step), best of 2; the cKDTree is built once over the points, outside the timing.

  numpy_brute   every satellite x point pair: WGS84 vertical, u >= sin(e) |rel|, in chunks of points.
  numpy_spherical  spherical-Earth shortcut: one matrix product of unit vectors against each satellite's
                central-angle threshold (approximate; reported with its own pair count).
  ckdtree       scipy cKDTree over the points' ECEF positions; each satellite queries the ball of the
                largest slant range at which it can be above the minimum elevation, exact test after.
"""
import sys
import time
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

A, F = 6378.137, 1.0 / 298.257223563
E2 = F * (2 - F)
B = A * (1 - F)
MIN_EL = np.radians(25.0)


def points_ecef(latlon_deg):
    lat, lon = np.radians(latlon_deg[:, 0]), np.radians(latlon_deg[:, 1])
    n = A / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    r = np.stack([n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1 - E2) * np.sin(lat)], -1)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)
    return r, up


def numpy_brute(p, up, sats, chunk=4096):
    """Every pair, written as a numpy user would for speed: two matrix products per chunk of points.
    u = up . (sat - p) = up . sat - up . p;  |sat - p|^2 = |sat|^2 + |p|^2 - 2 p . sat."""
    s2 = np.sin(MIN_EL) ** 2
    sat_n2 = np.einsum("sk,sk->s", sats, sats)
    counts = np.empty(len(p), dtype=np.int64)
    for i in range(0, len(p), chunk):
        pc, uc = p[i:i + chunk], up[i:i + chunk]
        u = uc @ sats.T
        u -= np.einsum("pk,pk->p", uc, pc)[:, None]
        n2 = pc @ sats.T
        n2 *= -2.0
        n2 += sat_n2[None, :]
        n2 += np.einsum("pk,pk->p", pc, pc)[:, None]
        # u >= sin(e) |rel|  <=>  u >= 0 and u^2 >= sin^2(e) |rel|^2 (e > 0)
        counts[i:i + chunk] = ((u >= 0) & (u * u >= s2 * n2)).sum(axis=1)
    return counts


def numpy_spherical(p, sats, chunk=8192):
    """The shortcut a numpy user often takes: a spherical Earth (radius 6371 km), so a satellite at
    radius r is above elevation e from every point within the central angle
    lam = acos(R cos(e) / r) - e, and one matrix product of unit vectors does the whole test.
    Approximate (it ignores the ellipsoid and the points' heights): its pair count differs slightly."""
    R = 6371.0
    pu = p / np.linalg.norm(p, axis=1)[:, None]
    r = np.linalg.norm(sats, axis=1)
    su = sats / r[:, None]
    cos_lam = np.cos(np.arccos(R * np.cos(MIN_EL) / r) - MIN_EL)
    counts = np.empty(len(p), dtype=np.int64)
    for i in range(0, len(p), chunk):
        counts[i:i + chunk] = (pu[i:i + chunk] @ su.T >= cos_lam[None, :]).sum(axis=1)
    return counts


def ckdtree_count(tree, p, up, sats):
    s = np.sin(MIN_EL)
    r_sat = np.linalg.norm(sats, axis=1)
    # Largest slant range at elevation MIN_EL from the smallest Earth radius (conservative ball).
    rho = B
    slant = np.sqrt(r_sat ** 2 - (rho * np.cos(MIN_EL)) ** 2) - rho * np.sin(MIN_EL)
    counts = np.zeros(len(p), dtype=np.int64)
    for j, idx in enumerate(tree.query_ball_point(sats, slant + 1.0)):
        idx = np.asarray(idx, dtype=np.int64)
        rel = sats[j] - p[idx]
        u = np.einsum("pk,pk->p", up[idx], rel)
        ok = u >= s * np.linalg.norm(rel, axis=1)
        np.add.at(counts, idx[ok], 1)
    return counts


def best_of(k, fn):
    best, out = float("inf"), None
    for _ in range(k):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main():
    d = Path(sys.argv[1])
    p, up = points_ecef(np.load(d / "points.npy"))
    sats = np.load(d / "sats_itrf_km.npy")
    tree = cKDTree(p)
    t_brute, c_brute = best_of(2, lambda: numpy_brute(p, up, sats))
    t_tree, c_tree = best_of(2, lambda: ckdtree_count(tree, p, up, sats))
    t_sph, c_sph = best_of(2, lambda: numpy_spherical(p, sats))
    print(f"peer_satellites {len(sats)}")
    print(f"peer_points {len(p)}")
    print(f"peer_numpy_brute_step_s {t_brute:.4f}")
    print(f"peer_numpy_brute_pairs_in_view {int(c_brute.sum())}")
    print(f"peer_ckdtree_step_s {t_tree:.4f}")
    print(f"peer_ckdtree_pairs_in_view {int(c_tree.sum())}")
    print(f"peer_numpy_spherical_step_s {t_sph:.4f}")
    print(f"peer_numpy_spherical_pairs_in_view {int(c_sph.sum())}")


if __name__ == "__main__":
    main()
