#!/usr/bin/python3
"""Reference for the country-membership differential test (tests/oracle/policy/differential_test.cpp).

Generates 100,000 points (seeded: uniform on the sphere, near borders, near the antimeridian and the
poles), decides which bundled Natural Earth country contains each with python3-shapely on the
TopoJSON decoded here independently of skyfence, and writes tests/data/policy/borders_reference.csv:

    lat_deg,lon_deg,country,border_m

country: the 0-based index of the containing country among the features of countries-50m.json in
file order (every feature has a unique name), or -1 for none; several would be joined by '|'.
border_m: an upper bound of the distance to the nearest border in metres when within 200 m (the
great-circle distance to the nearest point of the nearest lon/lat segment found by a local
equirectangular search), else "far".

Geometry meaning: Natural Earth draws edges as straight lines in lon/lat, which is exactly shapely's
planar model on (lon, lat). A ring whose consecutive longitudes jump by more than 180 deg crosses the
antimeridian: it is unwrapped to continuous longitudes and points are tested at lon, lon + 360 and
lon - 360. A ring that does not close after unwrapping (Antarctica's, drawn along -180..180 without the
pole) goes once round the globe: it encircles the nearer pole and is closed along it.

Usage: /usr/bin/python3 scripts/reference/policy/borders_shapely.py [--seed N] [--out PATH]
"""
import argparse
import json
import math
import os

import numpy as np
from shapely.geometry import LineString, Point, Polygon
from shapely.prepared import prep
from shapely.strtree import STRtree

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
R_M = 6371008.8


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_of(arcs, idx):
    ring = []
    for i in idx:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(pts if not ring else pts[1:])
    return ring


def unwrap(ring):
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        out.append((lon, lat))
    span = out[-1][0] - out[0][0]
    if abs(span) < 1e-9:
        return out
    # Once round the globe: the ring encircles a pole (Antarctica's, by the nearer pole); close it
    # along that pole in the lon/lat plane.
    pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
    return out + [(out[-1][0], pole), (out[0][0], pole), out[0]]


def country_rings(topo, arcs):
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        rings = [ring_of(arcs, r) for p in polys for r in p]
        countries.append((g["properties"]["name"], rings))
    return countries


def generate(seed, all_rings, n_uniform=40000, n_border=40000, n_antimeridian=12000, n_polar=8000):
    rng = np.random.RandomState(seed)
    pts = []
    z = rng.uniform(-1, 1, n_uniform)
    lon = rng.uniform(-180, 180, n_uniform)
    pts += list(zip(np.degrees(np.arcsin(z)), lon))
    verts = [v for r in all_rings for v in r]
    pick = rng.randint(0, len(verts), n_border)
    dist_m = np.exp(rng.uniform(math.log(0.5), math.log(30000.0), n_border))  # 0.5 m .. 30 km, log-uniform
    bearing = rng.uniform(0, 2 * math.pi, n_border)
    for k in range(n_border):
        vlon, vlat = verts[pick[k]]
        dlat = math.degrees(dist_m[k] * math.cos(bearing[k]) / R_M)
        coslat = max(math.cos(math.radians(vlat)), 1e-6)
        dlon = math.degrees(dist_m[k] * math.sin(bearing[k]) / (R_M * coslat))
        la = max(-90.0, min(90.0, vlat + dlat))
        lo = (vlon + dlon + 180.0) % 360.0 - 180.0
        pts.append((la, lo))
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n_antimeridian)))
    lon = rng.uniform(-1.0, 1.0, n_antimeridian) + 180.0
    pts += [(a, (o + 180.0) % 360.0 - 180.0) for a, o in zip(lat, lon)]
    lat = rng.uniform(80, 90, n_polar) * np.where(rng.uniform(size=n_polar) < 0.5, -1, 1)
    pts += list(zip(lat, rng.uniform(-180, 180, n_polar)))
    # The points as the fixture stores them (6 decimals, about 0.1 m), so both sides use the same.
    return [(round(float(a), 6), round(float(o), 6)) for a, o in pts]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20260427)
    ap.add_argument("--out", default=os.path.join(REPO, "tests", "data", "policy", "borders_reference.csv"))
    args = ap.parse_args()
    print(f"seed {args.seed}")
    topo = json.load(open(os.path.join(REPO, "data", "borders", "countries-50m.json")))
    arcs = decode_arcs(topo)
    countries = country_rings(topo, arcs)
    # Every ring (unwrapped, and shifted by 360 deg where it reaches past +-180) in one STRtree;
    # a point is in a country when it lies in an odd number of the country's rings (even-odd).
    ring_polys, ring_country, ring_prepared = [], [], []
    segments = []
    for ci, (_, rings) in enumerate(countries):
        for r in rings:
            u = unwrap(r)
            lons = [p[0] for p in u]
            shifts = [0.0]
            if max(lons) > 180.0:
                shifts.append(-360.0)
            if min(lons) < -180.0:
                shifts.append(360.0)
            for sh in shifts:
                poly = Polygon([(x + sh, y) for x, y in u])
                ring_polys.append(poly)
                ring_country.append(ci)
                ring_prepared.append(prep(poly))
            for a, b in zip(r, r[1:]):
                if abs(a[0] - b[0]) <= 180 and a != b:
                    segments.append((a, b))
    ring_tree = STRtree(ring_polys)
    ring_index = {id(g): k for k, g in enumerate(ring_polys)}
    pts = generate(args.seed, [r for _, rs in countries for r in rs])
    seg_lines = [LineString(s) for s in segments]
    tree = STRtree(seg_lines)
    seg_of = {id(g): s for g, s in zip(seg_lines, segments)}
    rows = []
    for lat, lon in pts:
        p = Point(lon, lat)
        count = {}
        for g in ring_tree.query(p):
            k = ring_index[id(g)]
            if ring_prepared[k].contains(p):
                count[ring_country[k]] = count.get(ring_country[k], 0) + 1
        inside = [str(c) for c in sorted(count) if count[c] % 2 == 1]
        # Nearest border within about 200 m: local equirectangular metres around the point.
        box_deg = 0.002 / max(math.cos(math.radians(lat)), 0.01)
        best = None
        coslat = math.cos(math.radians(lat))
        for g in tree.query(Point(lon, lat).buffer(min(box_deg, 10.0), 4)):
            (alon, alat), (blon, blat) = seg_of[id(g)]
            def xy(plon, plat):
                d = (plon - lon + 180.0) % 360.0 - 180.0
                return (math.radians(d) * coslat * R_M, math.radians(plat - lat) * R_M)
            ax, ay = xy(alon, alat)
            bx, by = xy(blon, blat)
            dx, dy = bx - ax, by - ay
            L2 = dx * dx + dy * dy
            t = 0.0 if L2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L2))
            d = math.hypot(ax + t * dx, ay + t * dy)
            best = d if best is None else min(best, d)
        border = "far" if best is None or best > 200.0 else f"{best * 1.01 + 0.01:.2f}"
        rows.append(f"{lat:.6f},{lon:.6f},{'|'.join(inside) if inside else '-1'},{border}\n")
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"# generated by scripts/reference/policy/borders_shapely.py --seed {args.seed}; do not edit\n")
        f.write("lat_deg,lon_deg,country,border_m\n")
        f.writelines(rows)
    os.replace(tmp, args.out)
    print(f"{len(rows)} points -> {args.out}")


if __name__ == "__main__":
    main()
