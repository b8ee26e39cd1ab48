#!/usr/bin/python3
"""The shapely peer of bench/policy_bench.cpp: the same region test (which bundled country contains
each point) with python3-shapely prepared geometries behind an STRtree, single thread, on the same
points (the same 64-bit LCG). Prints "name value" lines.

    /usr/bin/python3 bench/policy_peer.py [POINTS]

Geometry as in scripts/reference/policy/borders_shapely.py (TopoJSON decoded here, rings across the
antimeridian unwrapped and shifted, a ring round a pole closed along it); the set-up is not timed.
"""
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "reference", "policy"))
import borders_shapely as ref  # noqa: E402
import json  # noqa: E402

from shapely.geometry import Point, Polygon  # noqa: E402
from shapely.prepared import prep  # noqa: E402
from shapely.strtree import STRtree  # noqa: E402

MASK = (1 << 64) - 1


def lcg_points(n):
    x = 1
    out = []
    for _ in range(n):
        x = (6364136223846793005 * x + 1442695040888963407) & MASK
        z = 2.0 * ((x >> 11) * 2.0 ** -53) - 1.0
        x = (6364136223846793005 * x + 1442695040888963407) & MASK
        lon = 360.0 * ((x >> 11) * 2.0 ** -53) - 180.0
        out.append((math.degrees(math.asin(z)), lon))
    return out


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    topo = json.load(open(os.path.join(ref.REPO, "data", "borders", "countries-50m.json")))
    countries = ref.country_rings(topo, ref.decode_arcs(topo))
    polys, owner = [], []
    for ci, (_, rings) in enumerate(countries):
        for r in rings:
            u = ref.unwrap(r)
            lons = [p[0] for p in u]
            shifts = [0.0] + ([-360.0] if max(lons) > 180 else []) + ([360.0] if min(lons) < -180 else [])
            for sh in shifts:
                polys.append(Polygon([(x + sh, y) for x, y in u]))
                owner.append(ci)
    prepared = [prep(p) for p in polys]
    tree = STRtree(polys)
    slot = {id(g): k for k, g in enumerate(polys)}
    pts = [Point(lon, lat) for lat, lon in lcg_points(n)]
    t0 = time.perf_counter()
    inside_any = 0
    for p in pts:
        count = {}
        for g in tree.query(p):
            k = slot[id(g)]
            if prepared[k].contains(p):
                count[owner[k]] = count.get(owner[k], 0) + 1
        inside_any += any(v % 2 for v in count.values())
    dt = time.perf_counter() - t0
    print(f"peer_points {n}")
    print(f"peer_in_a_country {inside_any}")
    print(f"peer_shapely_per_s {n / dt:.0f}")


if __name__ == "__main__":
    main()
